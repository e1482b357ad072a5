package torfs.transport.utp;

/** 16-bit sequence-number arithmetic that survives wrap-around (65535 + 1 = 0). */
final class Seq {
    static final int MASK = 0xffff;

    private Seq() {
    }

    static int add(int seq, int n) {
        return (seq + n) & MASK;
    }

    /** Signed distance from {@code from} to {@code to}, in [-32768, 32767]. */
    static int diff(int to, int from) {
        return (short) (to - from);
    }

    static boolean before(int a, int b) {
        return diff(a, b) < 0;
    }
}
