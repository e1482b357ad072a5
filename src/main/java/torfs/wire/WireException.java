package torfs.wire;

import io.netty.handler.codec.DecoderException;

/** The peer broke the wire protocol: the connection must close. */
public final class WireException extends DecoderException {
    public WireException(String message) {
        super(message);
    }
}
