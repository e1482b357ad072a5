package torfs.session;

/**
 * Short holds on verified pieces, so a capped cache cannot evict a piece between a check that it
 * is verified and the read of its bytes: a read (or an upload's disk read) takes a lease, copies,
 * and releases. Without a cap nothing is ever evicted and a lease is just the verified check.
 */
interface PieceLeases {
    /** A reader's: true, and the piece is held until {@link #release}, when it is verified now. */
    boolean tryLease(int piece);

    /** An upload's: as {@link #tryLease}, but a capped cache does not count it as read. */
    boolean tryLeaseToUpload(int piece);

    void release(int piece);

    /** Leases through {@code cache} once it is set (a capped session), else the verified check. */
    static PieceLeases through(java.util.function.Supplier<CacheEviction> cache,
                               java.util.function.IntPredicate verified) {
        return new PieceLeases() {
            @Override
            public boolean tryLease(int piece) {
                CacheEviction e = cache.get();
                return e == null ? verified.test(piece) : e.tryLease(piece);
            }

            @Override
            public boolean tryLeaseToUpload(int piece) {
                CacheEviction e = cache.get();
                return e == null ? verified.test(piece) : e.tryLeaseToUpload(piece);
            }

            @Override
            public void release(int piece) {
                CacheEviction e = cache.get();
                if (e != null) {
                    e.release(piece);
                }
            }
        };
    }
}
