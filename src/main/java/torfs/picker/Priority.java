package torfs.picker;

/**
 * How urgently a piece is wanted, lowest first. NOW pieces carry a deadline and are served
 * before everything else; READAHEAD is the window ahead of a sequential reader; NONE pieces
 * are never requested (a lazy mount's unread parts).
 */
public enum Priority {
    NONE, NORMAL, HIGH, READAHEAD, NOW
}
