package torfs.bencode;

import java.util.List;

/** A bencode list. A long decoded one decodes its elements when they are read ({@link SpanList}). */
public record BList(List<BValue> values) implements BValue {
    public BList {
        values = values instanceof SpanList ? values : List.copyOf(values);
    }
}
