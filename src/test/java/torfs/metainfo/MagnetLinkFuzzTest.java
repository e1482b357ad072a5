package torfs.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any string is a {@link MagnetLink} or a one-line {@link MetainfoException}, nothing else; an
 * accepted link's canonical form parses back to it. Saved inputs in
 * MagnetLinkFuzzTestInputs/ are replayed by plain {@code mvn test}.
 */
class MagnetLinkFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void magnetLink(byte[] data) {
        String uri = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        MagnetLink m;
        try {
            m = MagnetLink.parse(uri);
        } catch (MetainfoException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return;
        }
        assertThat(m.selectedFiles().size()).isLessThanOrEqualTo(MagnetLink.MAX_SELECTED);
        m.peers().forEach(p -> assertThat(p.getPort()).isBetween(1, 65535));
        try {
            assertThat(MagnetLink.parse(m.toUri())).isEqualTo(m);
        } catch (MetainfoException e) {
            throw new AssertionError("canonical form does not parse: " + m.toUri(), e);
        }
    }
}
