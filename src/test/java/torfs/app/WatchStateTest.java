package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import torfs.metainfo.InfoHash;

/** The watch folder's reactions, from listings and a parser given by the test. */
class WatchStateTest {
    private static final InfoHash A = hash(1);
    private static final InfoHash B = hash(2);

    private static InfoHash hash(int b) {
        byte[] h = new byte[20];
        h[0] = (byte) b;
        return InfoHash.of(h);
    }

    private final WatchState<String> state = new WatchState<>();
    /** What each file parses as now: a hash, or absent for "not a torrent (yet)". */
    private final Map<String, InfoHash> contents = new HashMap<>();
    private final Map<String, WatchState.Stamp> listing = new HashMap<>();
    private int reads;

    private WatchState.Changes<String> scan() {
        return state.scan(Map.copyOf(listing), name -> {
            reads++;
            InfoHash h = contents.get(name);
            return h == null ? WatchState.Parse.failed("truncated") : WatchState.Parse.ok(Map.of(h, name));
        });
    }

    private void write(String name, long size, long time, InfoHash parsesAs) {
        listing.put(name, new WatchState.Stamp(size, time));
        if (parsesAs == null) {
            contents.remove(name);
        } else {
            contents.put(name, parsesAs);
        }
    }

    @Test
    void aCreatedFileIsAddedOnceAndNotReadAgainWhileUnchanged() {
        write("a.torrent", 100, 1, A);
        var c = scan();
        assertThat(c.add()).containsExactly(Map.entry(A, "a.torrent"));
        assertThat(c.remove()).isEmpty();
        var again = scan();
        assertThat(again.add()).isEmpty();
        assertThat(reads).isEqualTo(1);
    }

    @Test
    void aPartialWriteWaitsUntilTheFileParses() {
        write("a.torrent", 50, 1, null); // half written
        assertThat(scan().add()).isEmpty();
        write("a.torrent", 100, 2, A); // the rest arrived
        assertThat(scan().add()).containsOnlyKeys(A);
    }

    @Test
    void aFileThatStaysBrokenIsReportedOnceUntilItChanges() {
        write("junk.torrent", 10, 1, null);
        assertThat(scan().bad()).isEmpty();
        int reported = 0;
        for (int i = 0; i < 5; i++) {
            reported += scan().bad().size();
        }
        assertThat(reported).isEqualTo(1);
        assertThat(reads).as("read only when it changed").isEqualTo(1);
        write("junk.torrent", 11, 2, null); // changed: read again, reported again if it stays broken
        scan();
        assertThat(List.of(scan().bad(), scan().bad(), scan().bad()).stream().mapToInt(List::size).sum()).isEqualTo(1);
    }

    @Test
    void aDeletedFileRemovesItsTorrent() {
        write("a.torrent", 100, 1, A);
        scan();
        listing.remove("a.torrent");
        var c = scan();
        assertThat(c.remove()).containsExactly(A);
        assertThat(c.add()).isEmpty();
    }

    @Test
    void aRenameChangesNothing() {
        write("a.torrent", 100, 1, A);
        scan();
        listing.remove("a.torrent");
        write("renamed.torrent", 100, 1, A);
        var c = scan();
        assertThat(c.add()).isEmpty();
        assertThat(c.remove()).isEmpty();
    }

    @Test
    void aFileRewrittenWithAnotherTorrentSwapsThem() {
        write("a.torrent", 100, 1, A);
        scan();
        write("a.torrent", 120, 2, B);
        var c = scan();
        assertThat(c.add()).containsOnlyKeys(B);
        assertThat(c.remove()).isEqualTo(Set.of(A));
    }

    @Test
    void aTorrentNamedByTwoFilesStaysWhileEitherIsThere() {
        write("a.torrent", 100, 1, A);
        write("a-copy.torrent", 100, 1, A);
        assertThat(scan().add()).containsOnlyKeys(A);
        listing.remove("a.torrent");
        assertThat(scan().remove()).isEmpty();
        listing.remove("a-copy.torrent");
        assertThat(scan().remove()).containsExactly(A);
    }

    @Test
    void aMagnetFileNamesSeveralTorrents() {
        listing.put("list.magnet", new WatchState.Stamp(200, 1));
        var c = state.scan(Map.copyOf(listing), name -> WatchState.Parse.ok(Map.of(A, "m1", B, "m2")));
        assertThat(c.add()).containsOnlyKeys(A, B);
    }
}
