package torfs.bencode;

/** A decoded bencode value: integer, byte string, list or dictionary. */
public sealed interface BValue permits BInt, BString, BList, BDict {
}
