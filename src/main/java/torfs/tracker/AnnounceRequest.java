package torfs.tracker;

import java.util.Objects;
import torfs.metainfo.InfoHash;

/**
 * What one announce tells a tracker. {@code numWant} &lt; 0 lets the tracker choose;
 * {@code key} identifies this client across IP changes.
 */
public record AnnounceRequest(InfoHash infoHash, byte[] peerId, int port, long uploaded, long downloaded,
                              long left, AnnounceEvent event, int numWant, int key) {
    public AnnounceRequest {
        Objects.requireNonNull(infoHash, "infoHash");
        Objects.requireNonNull(event, "event");
        if (peerId == null || peerId.length != 20) {
            throw new IllegalArgumentException("a peer id has 20 bytes");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        peerId = peerId.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    public AnnounceRequest withEvent(AnnounceEvent newEvent) {
        return new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left, newEvent, numWant, key);
    }

    public AnnounceRequest withNumWant(int newNumWant) {
        return new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left, event, newNumWant, key);
    }
}
