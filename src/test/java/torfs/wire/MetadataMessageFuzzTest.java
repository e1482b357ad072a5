package torfs.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any ut_metadata payload is a {@link MetadataMessage} within its bounds or a
 * {@link WireException}; an accepted one re-encodes to a payload that parses to the same
 * message. Saved inputs in MetadataMessageFuzzTestInputs/ are replayed by plain {@code mvn test}.
 */
class MetadataMessageFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void metadataMessage(byte[] payload) {
        MetadataMessage m;
        try {
            m = MetadataMessage.parse(payload);
        } catch (WireException e) {
            return;
        }
        assertThat(m.piece()).isBetween(0, MetadataMessage.MAX_SIZE / MetadataMessage.BLOCK);
        assertThat(m.data().length).isLessThanOrEqualTo(MetadataMessage.BLOCK);
        if (m.type() == MetadataMessage.DATA) {
            assertThat(m.totalSize()).isBetween(1, MetadataMessage.MAX_SIZE);
        } else {
            assertThat(m.data()).isEmpty();
        }
        MetadataMessage again = MetadataMessage.parse(m.encode());
        assertThat(again.type()).isEqualTo(m.type());
        assertThat(again.piece()).isEqualTo(m.piece());
        assertThat(again.totalSize()).isEqualTo(m.totalSize());
        assertThat(again.data()).isEqualTo(m.data());
    }
}
