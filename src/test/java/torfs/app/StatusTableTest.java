package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The compact table of `torfs list` and `torfs status`, from fixed API answers. */
class StatusTableTest {
    @Test
    void oneLineATorrent() {
        String json = "{\"torrents\":[{\"name\":\"Album\",\"hashString\":\"0123456789abcdef0123456789abcdef01234567\","
                + "\"state\":\"downloading\",\"totalSize\":70000,\"haveValid\":49152,\"percentDone\":0.7021,"
                + "\"rateDownload\":10000,\"rateUpload\":2000,\"eta\":3725,\"peersConnected\":3},"
                + "{\"name\":\"m\",\"hashString\":\"1123456789abcdef0123456789abcdef01234567\",\"state\":\"metadata\","
                + "\"totalSize\":0,\"haveValid\":0,\"percentDone\":0.0,\"rateDownload\":0,\"rateUpload\":0,\"eta\":-1,"
                + "\"peersConnected\":0},"
                + "{\"name\":\"p\",\"hashString\":\"2123456789abcdef0123456789abcdef01234567\",\"state\":\"stopped\","
                + "\"totalSize\":2048,\"haveValid\":1024,\"percentDone\":0.5,\"rateDownload\":0,\"rateUpload\":0,"
                + "\"eta\":-1,\"peersConnected\":0}]}";
        assertThat(StatusTable.render(json).lines().toList()).containsExactly(
                "HASH       STATE             SIZE   DONE    DOWN/s      UP/s PEERS      ETA  NAME",
                "01234567   downloading   68.4 KiB  70.2%   9.8 KiB   2.0 KiB     3    1h02m  Album",
                "11234567   metadata           0 B   0.0%       0 B       0 B     0        -  m",
                "21234567   stopped        2.0 KiB  50.0%       0 B       0 B     0        -  p");
    }

    @Test
    void aTorrentInErrorSaysWhyUnderItsLine() {
        String json = "{\"torrents\":[{\"name\":\"film\",\"hashString\":\"0123456789abcdef0123456789abcdef01234567\","
                + "\"state\":\"error\",\"error\":\"/d: the data of film is in use by another torfs process (pid 7)\","
                + "\"totalSize\":2048,\"percentDone\":0.0,\"rateDownload\":0,\"rateUpload\":0,\"eta\":-1,"
                + "\"peersConnected\":0}]}";
        assertThat(StatusTable.render(json).lines().skip(1).toList()).containsExactly(
                "01234567   error          2.0 KiB   0.0%       0 B       0 B     0        -  film",
                "  error: /d: the data of film is in use by another torfs process (pid 7)");
    }

    @Test
    void etaReadsAsTimeLeft() {
        assertThat(StatusTable.eta(-1)).isEqualTo("-");
        assertThat(StatusTable.eta(0)).isEqualTo("done");
        assertThat(StatusTable.eta(75)).isEqualTo("1m15s");
        assertThat(StatusTable.eta(7200)).isEqualTo("2h00m");
    }

    @Test
    void anUnexpectedAnswerIsOneLine() {
        assertThatThrownBy(() -> StatusTable.render("{\"nope\":1}")).hasMessage("unexpected answer from the mount");
    }

    @Test
    void withTrackersEachTorrentTellsItsAnnouncesAndLookups() {
        String json = "{\"torrents\":[{\"name\":\"Album\",\"hashString\":\"0123456789abcdef0123456789abcdef01234567\","
                + "\"state\":\"seeding\",\"totalSize\":1024,\"haveValid\":1024,\"percentDone\":1.0,"
                + "\"rateDownload\":0,\"rateUpload\":0,\"eta\":0,\"peersConnected\":1,"
                + "\"trackerStats\":[{\"announce\":\"http://127.0.0.1:6969/announce\",\"tier\":0,\"hasAnnounced\":true,"
                + "\"lastAnnounceTime\":1000,\"lastAnnounceSucceeded\":true,\"lastAnnounceResult\":\"Success\","
                + "\"lastAnnouncePeerCount\":1,\"isUpdating\":false,\"nextAnnounceTime\":2788,\"seederCount\":1,"
                + "\"leecherCount\":0},"
                + "{\"announce\":\"udp://127.0.0.1:1\",\"tier\":1,\"hasAnnounced\":true,\"lastAnnounceTime\":1010,"
                + "\"lastAnnounceSucceeded\":false,\"lastAnnounceResult\":\"connection refused\",\"lastAnnouncePeerCount\":0,"
                + "\"isUpdating\":false,\"nextAnnounceTime\":1025,\"seederCount\":-1,\"leecherCount\":-1},"
                + "{\"announce\":\"http://x/a\",\"tier\":2,\"hasAnnounced\":false,\"lastAnnounceTime\":0,"
                + "\"lastAnnounceSucceeded\":false,\"lastAnnounceResult\":\"\",\"lastAnnouncePeerCount\":0,"
                + "\"isUpdating\":true,\"nextAnnounceTime\":0,\"seederCount\":-1,\"leecherCount\":-1}],"
                + "\"dht\":{\"lookingUp\":false,\"lastLookupTime\":980,\"lastLookupPeerCount\":4,"
                + "\"lastLookupNodeCount\":8,\"lastAnnounceNodeCount\":7,\"nextLookupTime\":1880}}],"
                + "\"dht\":{\"enabled\":true,\"state\":\"ready\",\"nodes\":143}}";
        assertThat(StatusTable.render(json, true, 1020).lines().skip(2).toList()).containsExactly(
                "  tracker http://127.0.0.1:6969/announce (tier 0): ok 0m20s ago, 1 peer (1 seeding, 0 leeching), next in 29m28s",
                "  tracker udp://127.0.0.1:1 (tier 1): failed 0m10s ago: connection refused, next in 0m05s",
                "  tracker http://x/a (tier 2): not announced yet, announcing",
                "  dht: 4 peers from 8 nodes 0m40s ago, next in 14m20s",
                "DHT: ready, 143 nodes");
        assertThat(StatusTable.render(json)).doesNotContain("tracker", "DHT");
        assertThat(StatusTable.render("{\"torrents\":[],\"dht\":{\"enabled\":false,\"state\":\"off\",\"nodes\":0}}",
                true, 0)).endsWith("DHT: off\n");
    }
}
