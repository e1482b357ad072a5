package torfs.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process at a time serves a torrent's data in a directory: an exclusive lock on
 * {@code DATA/.torfs/<info-hash>.lock}, held from before the data check until the store is
 * closed. Two mounts of one torrent share a data directory by default
 * ({@code ~/.cache/torfs/<info-hash>}), and a download or a seed may be pointed at a mount's:
 * both processes would write the same files and resume state, and a capped mount's hole
 * punches would zero pieces the other serves as verified. The lock goes by the info-hash, not
 * the name: two torrents of the same files (cross-seeding one copy on two trackers, a public
 * and a private twin) share them, as other clients let them. The kernel drops the lock when its
 * process dies (kill -9 too), so a leftover file never blocks; it is not deleted on close
 * (a deleted lock file could be locked by two processes at once). A data directory on a
 * read-only file system takes no lock: nothing can write there, and seeders may share it.
 */
public final class DataLock implements Closeable {
    /** strerror(EROFS), the reason the JDK gives. */
    private static final String READ_ONLY = "Read-only file system";
    private final FileChannel channel;
    private final FileLock lock;

    private DataLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** {@code DATA/.torfs/<info-hash>.lock}. */
    public static Path fileOf(DataLayout layout) {
        return layout.dataDir().resolve(DataLayout.STATE_DIR).resolve(layout.torrent().infoHash().hex() + ".lock");
    }

    /**
     * Takes the lock of {@code layout}'s torrent in its data directory, writing our pid into
     * the file; a {@link DataInUseException} naming the holder when another process has it.
     */
    public static DataLock acquire(DataLayout layout) throws IOException {
        Path dir = layout.dataDir();
        if (Files.isDirectory(dir) && Files.getFileStore(dir).isReadOnly()) {
            return new DataLock(null, null); // nobody writes there: seeding from read-only media needs no lock
        }
        Path file = fileOf(layout);
        FileChannel ch;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (FileSystemException e) {
            if (READ_ONLY.equals(e.getReason())) {
                // a read-only bind mount: the JDK's file store is the writable one it binds from
                return new DataLock(null, null);
            }
            throw e;
        }
        try {
            FileLock lock;
            boolean ours = false;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this very process holds it: the torrent's last session is still stopping
                ours = true;
            }
            if (lock == null) {
                String holder = ours ? "this process (a stop not finished yet)" : holder(ch);
                throw new DataInUseException(layout.dataDir() + ": the data of " + layout.torrent().name()
                        + " is in use by " + holder + "; stop it or give another --data");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new DataLock(ch, lock);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The pid the holder wrote, as words for the message. */
    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24);
        ch.read(b, 0);
        String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
        return pid.matches("\\d+") ? "another torfs process (pid " + pid + ")" : "another torfs process";
    }

    /** Lets the lock go; idempotent. */
    @Override
    public void close() throws IOException {
        if (channel == null) {
            return;
        }
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
