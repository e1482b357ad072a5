package torfs.dht;

/** A datagram that is not valid KRPC. Cheap: no stack trace, since hostile nodes can send many. */
final class KrpcException extends Exception {
    KrpcException(String message) {
        super(message, null, false, false);
    }
}
