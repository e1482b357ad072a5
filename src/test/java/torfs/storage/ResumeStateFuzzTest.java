package torfs.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A resume file is outside bytes: a crash, a full disk or a user can leave anything there.
 * Only {@link ResumeState.CorruptException} may escape, and what decodes must survive a
 * round trip unchanged. Seeds in ResumeStateFuzzTestInputs/ are replayed by plain {@code mvn test}.
 */
class ResumeStateFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void decode(byte[] data) throws Exception {
        ResumeState s;
        try {
            s = ResumeState.decode(data);
        } catch (ResumeState.CorruptException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        // a bitfield costs one byte per 8 pieces of input: no bigger state than the file itself
        assertThat((long) s.have().size()).isLessThanOrEqualTo(data.length * 8L);
        assertThat(s.files().size()).isLessThanOrEqualTo(data.length);
        for (ResumeState.FileStamp f : s.files()) {
            assertThat(f.size()).isGreaterThanOrEqualTo(-1);
        }
        byte[] again = s.encode();
        ResumeState back = ResumeState.decode(again);
        assertThat(back).isEqualTo(s);
        assertThat(back.encode()).isEqualTo(again);
    }
}
