package torfs.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeIdTest {
    /** BEP 42's table: address, rand, and the first 21 bits of the id (as its first 3 bytes, masked). */
    @Test
    void secureIdsMatchBep42Vectors() throws Exception {
        check("124.31.75.21", 1, 0x5fbfb8);
        check("21.75.31.124", 86, 0x5a3ce8);
        check("65.23.51.170", 22, 0xa5d430);
        check("84.124.73.14", 65, 0x1b0320);
        check("43.213.53.83", 90, 0xe56f68);
    }

    private static void check(String ip, int rand, int prefix21) throws Exception {
        NodeId id = NodeId.secure(InetAddress.getByName(ip), rand, new Random(7));
        byte[] b = id.bytes();
        int top = ((b[0] & 0xff) << 16) | ((b[1] & 0xff) << 8) | (b[2] & 0xf8);
        assertThat(top).as(ip).isEqualTo(prefix21);
        assertThat(b[19] & 0xff).isEqualTo(rand);
        assertThat(id.isSecureFor(InetAddress.getByName(ip))).isTrue();
        assertThat(id.isSecureFor(InetAddress.getByName("98.76.54.32"))).isFalse();
    }

    @Test
    void localAddressesAreExemptAndGetRandomIds() throws Exception {
        Random random = new Random(3);
        for (String ip : new String[] {"127.0.0.1", "10.9.8.7", "192.168.1.2", "169.254.0.9", "0.0.0.0"}) {
            InetAddress a = InetAddress.getByName(ip);
            assertThat(NodeId.exempt(a)).as(ip).isTrue();
            NodeId first = NodeId.secure(a, random);
            NodeId second = NodeId.secure(a, random);
            // BEP 42 would fix the first 21 bits to one of eight prefixes; random ids share ~1 bit
            assertThat(first.commonPrefix(second)).as(ip).isLessThan(21);
            assertThat(NodeId.fromHex("0000000000000000000000000000000000000000").isSecureFor(a)).as(ip).isTrue();
        }
        assertThat(NodeId.exempt(InetAddress.getByName("98.76.54.32"))).isFalse();
    }

    @Test
    void distanceOrdersByXor() {
        NodeId zero = NodeId.fromHex("0000000000000000000000000000000000000000");
        NodeId one = NodeId.fromHex("0000000000000000000000000000000000000001");
        NodeId top = NodeId.fromHex("8000000000000000000000000000000000000000");
        assertThat(zero.closer(one, top)).isNegative();
        assertThat(top.closer(one, zero)).isPositive();
        assertThat(zero.commonPrefix(one)).isEqualTo(159);
        assertThat(zero.commonPrefix(top)).isZero();
        assertThat(zero.commonPrefix(zero)).isEqualTo(160);
        assertThat(zero.distance(top)).isEqualTo(top);
    }

    @Test
    void randomWithPrefixSharesExactlyThatMany() {
        Random r = new Random(1);
        NodeId own = NodeId.random(r);
        for (int p = 0; p < 160; p += 7) {
            assertThat(own.commonPrefix(own.randomWithPrefix(p, r))).isEqualTo(p);
        }
    }
}
