package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The paused flag's transitions. */
class PauseStateTest {
    @Test
    void setSaysWhetherItChanged() {
        PauseState p = new PauseState("x", false);
        assertThat(p.isPaused()).isFalse();
        assertThat(p.set(false)).isFalse();
        assertThat(p.set(true)).isTrue();
        assertThat(p.isPaused()).isTrue();
        assertThat(p.set(true)).isFalse();
        assertThat(p.set(false)).isTrue();
        assertThat(new PauseState("y", true).isPaused()).isTrue();
    }

    @Test
    void aRefusedReadNamesTheTorrent() {
        assertThat(new PauseState("Album", true).readFailure()).hasMessage("Album is paused");
    }
}
