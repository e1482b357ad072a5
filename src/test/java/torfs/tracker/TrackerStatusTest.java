package torfs.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The trackers a paused torrent shows before it ever announced. */
class TrackerStatusTest {
    @Test
    void unannouncedTrackersKeepTheirTiersAndHaveNoResults() {
        List<TrackerStatus> s = TrackerStatus.unannounced(List.of(List.of("http://a/announce", " udp://b:1 "),
                List.of(" "), List.of("http://c/announce")));
        assertThat(s).containsExactly(
                new TrackerStatus("http://a/announce", 0, false, false, Optional.empty(), Optional.empty(), -1, -1, -1, 0, 0),
                new TrackerStatus("udp://b:1", 0, false, false, Optional.empty(), Optional.empty(), -1, -1, -1, 0, 0),
                new TrackerStatus("http://c/announce", 1, false, false, Optional.empty(), Optional.empty(), -1, -1, -1, 0, 0));
        assertThat(TrackerStatus.unannounced(List.of())).isEmpty();
    }
}
