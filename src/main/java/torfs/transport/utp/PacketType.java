package torfs.transport.utp;

/** The five uTP packet types (BEP 29), numbered as on the wire (the high nibble of byte 0). */
public enum PacketType {
    DATA, FIN, STATE, RESET, SYN;

    private static final PacketType[] BY_CODE = values();

    int code() {
        return ordinal();
    }

    /** The type for a wire code, or null for codes 5-15 (the packet is dropped). */
    static PacketType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
