package torfs.storage;

import java.nio.file.Path;

/**
 * A second process for {@link DataLockTest}: takes the lock of the test torrent in DIR, prints
 * "locked" and holds it until its stdin closes (or it is killed).
 */
public final class DataLockHolder {
    private DataLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        DataLayout layout = DataLockTest.layout(Path.of(args[0]));
        try (DataLock lock = DataLock.acquire(layout)) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes our stdin
            }
        }
    }
}
