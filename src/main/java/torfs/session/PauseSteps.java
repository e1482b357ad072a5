package torfs.session;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import torfs.peer.PeerConnection;
import torfs.tracker.Announcer;

/**
 * What {@link TorrentSession#pause()} and {@link TorrentSession#resume()} do, on the session's
 * loop (the state they change is confined to it): a pause closes every peer, ends the DHT
 * lookups and tells the trackers {@code stopped}; a resume announces again, looks up the DHT
 * and dials. {@link PauseState} is the flag both set and readers see.
 */
final class PauseSteps {
    private PauseSteps() {
    }

    /** On the loop: pauses {@code s}; {@code told} completes once the trackers answered. */
    static void pause(TorrentSession s, CompletableFuture<Void> told) {
        if (s.closed || !s.pause.set(true)) {
            told.complete(null);
            return;
        }
        Announcer a = s.announcer;
        s.announcer = null;
        s.client.stopDhtLookups(s);
        // not a failure: dialled again at once on resume (and their closes below count none)
        s.dialledPeers.values().forEach(s.addresses::release);
        s.dialledPeers.clear();
        for (PeerConnection p : List.copyOf(s.peers.values())) {
            p.close("paused");
        }
        s.writer.failWaiting(s.pause.readFailure()); // reads waiting now would wait for nothing
        s.stats = s.snapshot();
        if (a == null) {
            told.complete(null);
        } else {
            a.stop().whenComplete((v, x) -> told.complete(null)); // bounded by its stop timeout
        }
    }

    /** On the loop: resumes {@code s}; {@code done} completes at once (reads wait again). */
    static void resume(TorrentSession s, CompletableFuture<Void> done) {
        boolean changed = !s.closed && s.pause.set(false);
        done.complete(null);
        if (!changed) {
            return;
        }
        s.announcer = s.client.announcerFor(s);
        s.shownAnnouncer = s.announcer;
        if (s.announcer != null) {
            s.announcer.start();
        }
        s.client.startDhtLookups(s);
        s.connectMore();
        s.refreshAll();
    }
}
