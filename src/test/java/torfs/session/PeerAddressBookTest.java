package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerAddressBookTest {
    private final PeerAddressBook book = new PeerAddressBook();
    private long now = 1_000_000_000_000L;

    /** Distinct loopback addresses (nothing is dialled: the book only lists them). */
    private static InetSocketAddress address(int i) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, (byte) (i >> 8), (byte) i}),
                    6881 + (i >> 16));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private List<InetSocketAddress> takeAll() {
        return book.takeToDial(Integer.MAX_VALUE, a -> false, now);
    }

    /** Dials {@code a} and loses it, {@code times} times, each retry when it is due. */
    private void fail(InetSocketAddress a, int times) {
        for (int i = 0; i < times; i++) {
            book.add(List.of(a), now);
            assertThat(takeAll()).contains(a);
            book.lost(a, now);
            now += PeerAddressBook.retryDelayNanos(i + 1);
        }
    }

    @Test
    void trackersCannotGrowTheListWithoutBound() {
        List<InetSocketAddress> many = new ArrayList<>();
        for (int i = 0; i < 5 * PeerAddressBook.MAX_WAITING; i++) {
            many.add(address(i));
        }
        book.add(many, now);
        List<InetSocketAddress> dialled = takeAll();
        assertThat(dialled).hasSize(PeerAddressBook.MAX_WAITING);
        assertThat(dialled).as("the freshest are kept").contains(many.get(many.size() - 1));
    }

    @Test
    void aGivenUpAddressIsTriedAgainOnceItsFailuresAreOld() {
        InetSocketAddress a = address(1);
        fail(a, PeerAddressBook.MAX_ATTEMPTS);
        book.add(List.of(a), now);
        assertThat(takeAll()).as("given up").isEmpty();
        now += PeerAddressBook.FORGET_NANOS;
        book.add(List.of(a), now);
        assertThat(takeAll()).containsExactly(a);
    }

    @Test
    void theMemoryOfFailuresIsBoundedOldestFirst() {
        InetSocketAddress first = address(0);
        fail(first, PeerAddressBook.MAX_ATTEMPTS);
        List<InetSocketAddress> others = new ArrayList<>();
        for (int i = 1; i <= PeerAddressBook.MAX_FAILED; i++) {
            others.add(address(i));
        }
        book.add(others, now);
        assertThat(takeAll()).hasSize(others.size());
        others.forEach(a -> book.lost(a, now)); // all at once: only the bound can forget the first
        book.add(List.of(first), now);
        assertThat(takeAll()).as("its failures were the oldest: forgotten").contains(first);
    }

    @Test
    void aReleasedAddressIsDialledAgainAtOnceWithNoFailureCounted() {
        InetSocketAddress a = address(7);
        book.add(List.of(a), now);
        assertThat(takeAll()).containsExactly(a);
        assertThat(book.dialledCount()).isEqualTo(1);
        book.release(a); // a pause closed it
        book.lost(a, now); // its connection's end, after: not a failure any more
        assertThat(book.dialledCount()).isZero();
        assertThat(takeAll()).as("no retry delay").containsExactly(a);
        book.release(address(8)); // never dialled: nothing happens
        assertThat(takeAll()).isEmpty();
    }

    @Test
    void aFailedAddressIsRetriedSoonThenLessAndLessOften() {
        InetSocketAddress a = address(9);
        book.add(List.of(a), now);
        assertThat(takeAll()).containsExactly(a);
        long second = 1_000_000_000L;
        long[] waits = {5, 15, 45, 120};
        for (long wait : waits) {
            book.lost(a, now);
            book.add(List.of(a), now); // a tracker naming it again changes nothing
            now += (wait - 1) * second;
            assertThat(takeAll()).as("not yet, %d s after a failure", wait - 1).isEmpty();
            now += second;
            assertThat(takeAll()).as("%d s after a failure", wait).containsExactly(a);
        }
        book.lost(a, now);
        now += PeerAddressBook.FORGET_NANOS - second;
        book.add(List.of(a), now);
        assertThat(takeAll()).as("given up after %d attempts", PeerAddressBook.MAX_ATTEMPTS).isEmpty();
    }
}
