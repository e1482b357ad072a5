package torfs.control;

import java.util.List;

/**
 * The torrents a running process serves, as the API sees them: what the mount (in torfs.app)
 * implements. Calls come from the control server's worker thread, never from an event loop,
 * so they may block briefly (parsing a .torrent, fetching one from a URL).
 */
public interface Library {
    /** Every torrent, by name. */
    List<TorrentView> list();

    /** The torrent named {@code id} (name, info-hash or a unique prefix of 8 hex digits), or null. */
    TorrentView find(String id);

    /**
     * Adds a torrent from {@code source}: a .torrent file's path, a magnet link or an http URL
     * of a .torrent. Bad input is a {@link ControlException} with status 400, a torrent already
     * served one with 409. A magnet's metadata is fetched after this returns. {@code paused}
     * adds it paused (see {@link #setPaused}).
     */
    TorrentView add(String source, boolean paused) throws ControlException;

    /** Adds a torrent from a .torrent file's bytes. */
    TorrentView addMetainfo(byte[] torrentFile, boolean paused) throws ControlException;

    /**
     * Pauses ({@code paused} true) or resumes the torrents {@code ids} names, or all of them when
     * {@code ids} is null. A paused torrent stays in the mount and serves its verified data, but
     * talks to no peer, tracker or DHT node; reads of data it lacks fail at once. The state is
     * kept beside its resume state, so it survives a remount. An unknown id is a 404 and nothing
     * changes. Returns the torrents named, as they are after the change.
     */
    List<TorrentView> setPaused(List<String> ids, boolean paused) throws ControlException;

    /**
     * Takes a torrent out of the mount (new opens fail, open files keep reading until closed)
     * and stops it; its data stays on disk unless {@code deleteData}. Null when there is none.
     */
    TorrentView remove(String id, boolean deleteData) throws ControlException;

    /** The process: its port, limits and number of torrents. */
    SessionView session();

    /** Sets the limits shared by all torrents (bytes/s, 0 for none); a null one stays. */
    SessionView setLimits(Long uploadLimit, Long downloadLimit) throws ControlException;
}
