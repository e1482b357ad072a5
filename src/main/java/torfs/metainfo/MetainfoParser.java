package torfs.metainfo;

/**
 * PLACEHOLDER so the storage branch compiles; the real parser comes from the metainfo branch
 * and replaces this file on merge.
 */
public final class MetainfoParser {
    private MetainfoParser() {
    }

    public static Torrent parse(byte[] data) throws MetainfoException {
        throw new MetainfoException("torrent parsing is not available in this build");
    }
}
