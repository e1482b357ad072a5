package torfs.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BitfieldTest {
    @Test
    void wireLayoutIsHighBitFirstWithZeroSpareBits() {
        Bitfield b = new Bitfield(10);
        b.set(0);
        b.set(9);
        assertThat(b.toWire()).containsExactly(0x80, 0x40);
        assertThat(Bitfield.fromWire(b.toWire(), 10)).isEqualTo(b);
        assertThat(b.toString()).isEqualTo("1000000001");
    }

    @Test
    void orAddsTheOthersIndexesOfOneSizeOnly() {
        Bitfield a = new Bitfield(6);
        a.set(0);
        Bitfield b = new Bitfield(6);
        b.set(3);
        b.set(5);
        a.or(b);
        assertThat(a.toString()).isEqualTo("100101");
        assertThat(b.toString()).isEqualTo("000101");
        assertThatThrownBy(() -> a.or(new Bitfield(7))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void spareBitsAndWrongLengthsAreRejected() {
        assertThatThrownBy(() -> Bitfield.fromWire(new byte[] {0, 0x20}, 10))
                .hasMessageContaining("spare bit");
        assertThatThrownBy(() -> Bitfield.fromWire(new byte[] {0}, 10)).hasMessageContaining("expected 2");
    }

    @Test
    void countsAndSearches() {
        Bitfield b = Bitfield.full(9);
        assertThat(b.isComplete()).isTrue();
        b.clear(3);
        assertThat(b.nextClear(0)).isEqualTo(3);
        assertThat(b.nextClear(4)).isEqualTo(-1);
        assertThat(b.nextSet(9)).isEqualTo(-1);
        assertThat(b.countIn(2, 5)).isEqualTo(2);
        assertThat(b.cardinality()).isEqualTo(8);
        Bitfield c = b.copy();
        c.set(3);
        assertThat(b.get(3)).isFalse();
        assertThatThrownBy(() -> b.get(9)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
