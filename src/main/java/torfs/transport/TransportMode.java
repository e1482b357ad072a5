package torfs.transport;

/**
 * Which transports carry peer connections. {@code BOTH} accepts either and dials TCP first,
 * uTP when TCP fails (a refused or silent TCP port is the common reason a peer is reachable
 * only over UDP; trying TCP first keeps the usual case as fast as before).
 */
public enum TransportMode {
    TCP, UTP, BOTH;

    public boolean tcp() {
        return this != UTP;
    }

    public boolean utp() {
        return this != TCP;
    }
}
