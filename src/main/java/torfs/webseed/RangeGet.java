package torfs.webseed;

import io.netty.buffer.ByteBuf;
import java.net.URI;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * One HTTP GET of {@code bytes=fileOffset-(fileOffset+length-1)} of one file, its body written
 * into {@code target} at {@code at}. {@code done} hears the outcome once, on the loop.
 */
final class RangeGet {
    final URI uri;
    final long fileOffset;
    final int length;
    /** The whole file's length: a 200 carrying all of it is taken only when it is small. */
    final long fileLength;
    final ByteBuf target;
    final int at;
    final boolean urgent;
    final int redirects;
    /** False once nobody wants the bytes: a queued request is then not sent. */
    final BooleanSupplier wanted;
    private final BiConsumer<RangeGet, Outcome> done;
    private boolean finished;

    RangeGet(URI uri, long fileOffset, int length, long fileLength, ByteBuf target, int at, boolean urgent,
             int redirects, BooleanSupplier wanted, BiConsumer<RangeGet, Outcome> done) {
        this.wanted = wanted;
        this.uri = uri;
        this.fileOffset = fileOffset;
        this.length = length;
        this.fileLength = fileLength;
        this.target = target;
        this.at = at;
        this.urgent = urgent;
        this.redirects = redirects;
        this.done = done;
    }

    /** The same range asked at another URL (a redirect). */
    RangeGet at(URI to) {
        return new RangeGet(to, fileOffset, length, fileLength, target, at, urgent, redirects + 1, wanted, done);
    }

    /** Reports the outcome; later reports (a close after a timeout) are ignored. */
    void finish(Outcome o) {
        if (!finished) {
            finished = true;
            done.accept(this, o);
        }
    }

    boolean isFinished() {
        return finished;
    }

    /** scheme://host:port, the key of the connections that may carry this request. */
    String hostKey() {
        return (tls() ? "https://" : "http://") + uri.getHost() + ":" + port();
    }

    boolean tls() {
        return "https".equalsIgnoreCase(uri.getScheme());
    }

    int port() {
        return uri.getPort() > 0 ? uri.getPort() : tls() ? 443 : 80;
    }

    String rangeHeader() {
        return "bytes=" + fileOffset + "-" + (fileOffset + length - 1);
    }
}
