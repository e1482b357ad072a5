package torfs.transport.mse;

/**
 * Which connections use protocol encryption (MSE/PE).
 * PREFER: dial with RC4 or plaintext offered, choose RC4 when a peer offers it, accept both
 * incoming, and retry a peer once in plaintext when its encrypted attempt fails.
 * REQUIRE: RC4 only, both ways. DISABLE: plaintext only; incoming encrypted attempts dropped.
 */
public enum Encryption {
    PREFER, REQUIRE, DISABLE;

    static final int PLAINTEXT = 0x01;
    static final int RC4 = 0x02;

    /** crypto_provide of an initiator: the methods we allow. */
    int provide() {
        return switch (this) {
            case PREFER -> PLAINTEXT | RC4;
            case REQUIRE -> RC4;
            case DISABLE -> PLAINTEXT;
        };
    }

    /** crypto_select of a responder for the peer's crypto_provide: RC4 when both allow it. */
    int select(int provided) {
        int both = provided & provide();
        if ((both & RC4) != 0) {
            return RC4;
        }
        if ((both & PLAINTEXT) != 0) {
            return PLAINTEXT;
        }
        throw new MseException("peer offers crypto " + provided + ", we allow " + provide());
    }

    /** Plaintext BitTorrent handshakes are welcome. */
    public boolean allowsPlaintext() {
        return this != REQUIRE;
    }

    /** MSE handshakes are welcome (and made when dialling). */
    public boolean allowsEncrypted() {
        return this != DISABLE;
    }
}
