package torfs.fuse;

import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.annotations.In;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.PointerByReference;
import ru.serce.jnrfuse.struct.FuseOperations;
import torfs.natives.LibC;
import torfs.stream.BeforeWait;

/**
 * libfuse 2's multithreaded request loop, run on Java threads instead of libfuse's own.
 *
 * <p>A callback from a thread libfuse created must be attached to the JVM first: jffi attaches
 * it for each callback and detaches it after, for the first thousand callbacks of every thread,
 * and libfuse ends idle workers and starts new ones as load comes and goes. That attach and
 * detach was most of the cost of a cheap request (a LOOKUP took ~95 µs, a C file system on the
 * same libfuse ~30 µs). Here every worker is a Java thread calling
 * {@code fuse_session_receive_buf}/{@code fuse_session_process_buf}, so a callback is a plain
 * call.
 *
 * <p>One worker at a time reads /dev/fuse (it leads); the idle others wait for the lead on a
 * semaphore, not in read(2). The leader answers every request itself and keeps reading; a read
 * that must wait for pieces hands the lead on first ({@link BeforeWait}), starting a new worker
 * when none is idle, so a waiting read never holds up others. After each request the leader
 * keeps reading, non-blocking, for {@link #SPIN_NANOS} before it sleeps in read(2): in a burst
 * of requests the kernel then finds nobody to wake, which on a VM costs a halted CPU's wake-up
 * each time (ls -lR of 100,000 files: 4.2-5.6 s with two workers asleep in read, 3.2-3.9 s
 * this way, for a third more CPU). A worker ends when ten others already wait for the lead.
 */
final class FuseLoop {
    /** The libfuse 2 functions jnr-fuse does not declare. */
    public interface Lib {
        Pointer fuse_setup(int argc, Pointer argv, FuseOperations op, long opSize, PointerByReference mountpoint,
                IntByReference multithreaded, Pointer userData);

        Pointer fuse_get_session(Pointer fuse);

        Pointer fuse_session_next_chan(Pointer se, Pointer ch);

        long fuse_chan_bufsize(Pointer ch);

        int fuse_chan_fd(Pointer ch);

        int fuse_session_receive_buf(Pointer se, Pointer buf, Pointer chp);

        void fuse_session_process_buf(Pointer se, Pointer buf, Pointer ch);

        int fuse_session_exited(Pointer se);

        void fuse_session_exit(Pointer se);

        int fuse_start_cleanup_thread(Pointer fuse);

        void fuse_stop_cleanup_thread(Pointer fuse);

        void fuse_teardown(Pointer fuse, Pointer mountpoint);

        int fuse_lowlevel_notify_inval_entry(Pointer ch, long parent, @In byte[] name, long namelen);
    }

    /** struct fuse_buf of fuse_common.h. */
    static final class FuseBuf extends Struct {
        final size_t size = new size_t();
        final Signed32 flags = new Signed32();
        final Pointer mem = new Pointer();
        final Signed32 fd = new Signed32();
        final off_t pos = new off_t();

        FuseBuf(Runtime runtime) {
            super(runtime);
        }
    }

    private static final int MAX_IDLE = 10;
    /** The root directory's node id in the kernel and in libfuse's high-level API. */
    private static final long FUSE_ROOT_ID = 1;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final long WORKER_EXIT_WAIT_MS = 2_000;
    /**
     * How long the leading worker keeps reading after a request before it sleeps. On this
     * 2-core VM the next of ls -lR's LOOKUPs comes 20-50 µs after the last answer (ls must be
     * woken first): with 20 µs the spin mostly missed it, with 50 and 100 µs it caught it.
     */
    private static final long SPIN_NANOS = 50_000;
    private static final Lib LIB = load();

    private final Lib lib;
    private final Runtime runtime = Runtime.getSystemRuntime();
    private final Pointer session;
    private final Pointer channel;
    private final long bufSize;
    private final String name;
    private final List<Thread> workers = new ArrayList<>();
    /** Held by the one worker reading /dev/fuse; the others wait for it here, not in read(2). */
    private final Semaphore lead = new Semaphore(1);
    private final LibC.Calls libc;
    private final int fd;
    private final boolean canSpin;
    /** Whether /dev/fuse is in blocking mode now; only the leading worker reads or sets it. */
    private boolean blocking;
    private int started;
    /** Set once the loop ends: no worker starts after it, so the last snapshot is complete. */
    private boolean closing;
    private volatile boolean failed;
    /** Guards the channel against a notification racing the teardown that frees it. */
    private final Object notifyLock = new Object();
    private boolean notifyClosed;

    private FuseLoop(Lib lib, Pointer session, Pointer channel, long bufSize, String name) {
        this.lib = lib;
        this.session = session;
        this.channel = channel;
        this.bufSize = bufSize;
        this.name = name;
        this.libc = LibC.get();
        this.fd = lib.fuse_chan_fd(channel);
        this.canSpin = libc != null && setBlocking(false);
        this.blocking = !canSpin;
    }

    /** Sets or clears O_NONBLOCK on /dev/fuse; false when fcntl failed. */
    private boolean setBlocking(boolean block) {
        int flags = libc.fcntl(fd, LibC.F_GETFL, 0);
        if (flags < 0) {
            return false;
        }
        int want = block ? flags & ~LibC.O_NONBLOCK : flags | LibC.O_NONBLOCK;
        return libc.fcntl(fd, LibC.F_SETFL, want) == 0;
    }

    /**
     * Mounts {@code fs} at {@code mountPoint} with {@code options} (libfuse's -o list), serves
     * requests until it is unmounted, then tears libfuse down. {@code onMounted} runs once
     * libfuse has mounted and set up (libfuse mounts before it checks all options, and unmounts
     * again when one is wrong, so the mount table alone does not say a mount worked).
     * {@code beforeTeardown} runs once the loop has ended, before the workers are waited for (it
     * releases blocked reads).
     *
     * @throws IllegalStateException when libfuse cannot mount (its reason is on stderr)
     */
    static void run(TorrentFs fs, Path mountPoint, String options, Runnable onMounted, Runnable beforeTeardown) {
        Lib lib = LIB;
        if (lib == null) {
            throw new IllegalStateException("libfuse 2 (libfuse.so.2) could not be loaded");
        }
        Runtime rt = Runtime.getSystemRuntime();
        String[] args = {"torfs", "-f", mountPoint.toString(), "-o", options};
        Pointer argv = Memory.allocateDirect(rt, (long) (args.length + 1) * rt.addressSize());
        List<Pointer> strings = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            byte[] b = args[i].getBytes(StandardCharsets.UTF_8);
            Pointer s = Memory.allocateDirect(rt, b.length + 1);
            s.put(0, b, 0, b.length);
            s.putByte(b.length, (byte) 0);
            strings.add(s);
            argv.putPointer((long) i * rt.addressSize(), s);
        }
        argv.putAddress((long) args.length * rt.addressSize(), 0L);
        PointerByReference mountpointOut = new PointerByReference();
        IntByReference multithreaded = new IntByReference();
        FuseOperations ops = fs.operations();
        Pointer fuse = lib.fuse_setup(args.length, argv, ops, Struct.size(ops), mountpointOut, multithreaded, null);
        if (fuse == null) {
            throw new IllegalStateException("libfuse could not mount " + mountPoint);
        }
        Pointer se = lib.fuse_get_session(fuse);
        Pointer ch = lib.fuse_session_next_chan(se, null);
        FuseLoop loop = new FuseLoop(lib, se, ch, lib.fuse_chan_bufsize(ch), workerPrefix(mountPoint));
        fs.torrents().tellNameChanges(loop::forgetTopName);
        onMounted.run();
        try {
            if (lib.fuse_start_cleanup_thread(fuse) != 0) {
                throw new IllegalStateException("libfuse could not start its cleanup thread");
            }
            boolean allEnded;
            try {
                loop.serve();
            } finally {
                fs.torrents().tellNameChanges(null);
                synchronized (loop.notifyLock) {
                    loop.notifyClosed = true;
                }
                beforeTeardown.run();
                allEnded = loop.awaitWorkers();
                lib.fuse_stop_cleanup_thread(fuse);
            }
            if (!allEnded) {
                // a worker still inside libfuse would touch freed memory: leave it allocated
                throw new IllegalStateException("a FUSE worker did not end; libfuse left as it is");
            }
            lib.fuse_teardown(fuse, mountpointOut.getValue());
            if (loop.failed) {
                throw new IllegalStateException("reading /dev/fuse failed");
            }
        } finally {
            // the argument vector and its strings stay allocated for as long as the mount
            Reference.reachabilityFence(argv);
            Reference.reachabilityFence(strings);
        }
    }

    /**
     * Makes the kernel forget what it cached of the top-level name {@code name} (a torrent added
     * or removed while mounted): a removed torrent is gone at once, not when its entry expires,
     * and an added one shows even where its name was looked up before. Blocks while a request
     * on the root is in flight (the kernel holds the root's lock), so never call it from a
     * request's handler; the torrents come and go on control, watch and metadata threads.
     */
    void forgetTopName(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        byte[] z = java.util.Arrays.copyOf(b, b.length + 1); // libfuse copies namelen + 1 bytes
        synchronized (notifyLock) {
            if (!notifyClosed) {
                // ENOENT: nothing was cached under that name; any failure leaves the timeouts to it
                lib.fuse_lowlevel_notify_inval_entry(channel, FUSE_ROOT_ID, z, b.length);
            }
        }
    }

    /** Names a mount's workers "torfs-fuse MOUNTPOINT #n" (a thread dump says whose they are). */
    static String workerPrefix(Path mountPoint) {
        return "torfs-fuse " + mountPoint + " #";
    }

    /** Starts the first worker and waits until the session has ended. */
    private void serve() {
        synchronized (this) {
            startWorker();
            while (lib.fuse_session_exited(session) == 0 && !workersAllGone()) {
                try {
                    wait(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    lib.fuse_session_exit(session);
                    return;
                }
            }
        }
    }

    private boolean workersAllGone() {
        return workers.stream().noneMatch(Thread::isAlive);
    }

    private synchronized void startWorker() {
        if (closing) {
            return;
        }
        Thread t = new Thread(this::work, name + (++started));
        t.setDaemon(true);
        workers.removeIf(w -> !w.isAlive());
        workers.add(t);
        t.start();
    }

    private void work() {
        FuseBuf buf = new FuseBuf(runtime);
        Pointer bufMemory = Memory.allocateDirect(runtime, Struct.size(buf));
        buf.useMemory(bufMemory);
        Pointer data = Memory.allocateDirect(runtime, bufSize);
        Pointer chp = Memory.allocateDirect(runtime, runtime.addressSize());
        Lead me = new Lead();
        BeforeWait.onThisThread(me::handOn);
        try {
            lead.acquireUninterruptibly();
            me.held = true;
            while (lib.fuse_session_exited(session) == 0) {
                int res = receive(buf, bufMemory, data, chp);
                if (res == -EINTR || res == -EAGAIN) {
                    continue;
                }
                if (res <= 0) {
                    if (res < 0) {
                        failed = true;
                        lib.fuse_session_exit(session);
                    }
                    return;
                }
                // a read that must wait for pieces hands the lead on first (Lead.handOn)
                lib.fuse_session_process_buf(session, bufMemory, chp.getPointer(0));
                if (!me.held) {
                    if (lead.getQueueLength() >= MAX_IDLE) {
                        return;
                    }
                    lead.acquireUninterruptibly();
                    me.held = true;
                }
            }
        } finally {
            BeforeWait.onThisThread(null);
            if (me.held) {
                me.held = false;
                lead.release(); // the next worker sees the end and passes it on
            }
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Whether one worker holds the lead; only its own thread reads or changes it. */
    private final class Lead {
        boolean held;

        /** Before a read waits for pieces: another worker reads /dev/fuse meanwhile. */
        void handOn() {
            if (held) {
                held = false;
                if (!lead.hasQueuedThreads()) {
                    startWorker();
                }
                lead.release();
            }
        }
    }

    /**
     * The next request, read by the leading worker: it keeps reading for {@link #SPIN_NANOS}
     * after the last one before it sleeps in read(2), so in a burst of cheap requests (ls -lR's
     * LOOKUPs) the kernel has no sleeping reader to wake.
     */
    private int receive(FuseBuf buf, Pointer bufMemory, Pointer data, Pointer chp) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (true) {
            buf.size.set(bufSize);
            buf.flags.set(0);
            buf.mem.set(data);
            buf.fd.set(0);
            buf.pos.set(0);
            chp.putPointer(0, channel);
            int res = lib.fuse_session_receive_buf(session, bufMemory, chp);
            if (res != -EAGAIN || !canSpin) {
                if (blocking && canSpin && res > 0) {
                    blocking = !setBlocking(false);
                }
                return res;
            }
            if (System.nanoTime() - spinUntil < 0) {
                Thread.onSpinWait();
            } else {
                // nothing came while spinning: sleep in read(2) until the kernel has a request
                blocking = setBlocking(true);
                if (!blocking) {
                    LockSupport.parkNanos(1_000_000); // fcntl failed: never a busy loop
                }
            }
        }
    }

    /** Waits for every worker to leave libfuse; false when one did not in time. */
    private boolean awaitWorkers() {
        List<Thread> all;
        synchronized (this) {
            closing = true;
            all = new ArrayList<>(workers);
        }
        long end = System.currentTimeMillis() + WORKER_EXIT_WAIT_MS;
        for (Thread t : all) {
            long left = end - System.currentTimeMillis();
            try {
                if (left > 0) {
                    t.join(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    private static Lib load() {
        for (String name : new String[] {"fuse", "libfuse.so.2"}) {
            try {
                return LibraryLoader.create(Lib.class).failImmediately().load(name);
            } catch (Throwable e) {
                // try the next name
            }
        }
        return null;
    }
}
