package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which socket belongs to which kind of mount: add, remove and pause go to a mount of many. */
class ControlTargetTest {
    @Test
    void aMountOfOneTorrentKeepsItsSocketInItsStateDirectory() {
        assertThat(ControlTarget.ofOneTorrent("/srv/films/.torfs/control.sock")).isTrue();
        assertThat(ControlTarget.ofOneTorrent("/root/.cache/torfs/mounts/0123456789abcdef/control.sock")).isFalse();
        assertThat(ControlTarget.ofOneTorrent("control.sock")).isFalse();
    }
}
