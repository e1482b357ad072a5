package torfs.bencode;

/** A bencode integer; bencode allows arbitrary size but torrents never need more than 64 bits. */
public record BInt(long value) implements BValue {
}
