package torfs.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartTraceTest {
    @Test
    void onForAnyValueButEmptyAndZero() {
        assertThat(StartTrace.isOn("1")).isTrue();
        assertThat(StartTrace.isOn("yes")).isTrue();
        assertThat(StartTrace.isOn("0")).isFalse();
        assertThat(StartTrace.isOn("")).isFalse();
        assertThat(StartTrace.isOn(null)).isFalse();
    }
}
