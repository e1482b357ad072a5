package torfs.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** BEP 54's lt_donthave payload: one big-endian piece index, nothing else. */
class DontHaveMessageTest {
    @Test
    void roundTripsABigEndianIndex() {
        assertThat(DontHaveMessage.encode(0x01020304)).containsExactly(1, 2, 3, 4);
        assertThat(DontHaveMessage.decode(DontHaveMessage.encode(99), 100)).isEqualTo(99);
    }

    @Test
    void aWrongLengthOrAnIndexOutsideTheTorrentIsAProtocolError() {
        assertThatThrownBy(() -> DontHaveMessage.decode(new byte[3], 10)).isInstanceOf(WireException.class);
        assertThatThrownBy(() -> DontHaveMessage.decode(new byte[5], 10)).isInstanceOf(WireException.class);
        assertThatThrownBy(() -> DontHaveMessage.decode(DontHaveMessage.encode(10), 10)).isInstanceOf(WireException.class);
        assertThatThrownBy(() -> DontHaveMessage.decode(DontHaveMessage.encode(-1), 10)).isInstanceOf(WireException.class);
    }
}
