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
}
