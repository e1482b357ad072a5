package torfs.bencode;

import java.util.List;

/** A bencode list. */
public record BList(List<BValue> values) implements BValue {
    public BList {
        values = List.copyOf(values);
    }
}
