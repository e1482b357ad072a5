package torfs.transport.utp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * A uTP connection seen as a Netty {@link io.netty.channel.Channel}, so the peer pipeline runs
 * on it as on TCP. Writes go to the {@link UtpConnection}'s send buffer while it has room and
 * otherwise stay in Netty's outbound buffer, so writability and its water marks work as TCP's
 * do; reads are fired as the connection delivers bytes in order, and while the application
 * does not read (autoRead off) the bytes stay in the connection, whose advertised window
 * shrinks to zero. The peer's FIN reads as end of stream: the channel closes. All of it runs
 * on the {@link UtpSocketManager}'s loop.
 */
public final class UtpChannel extends AbstractChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false);

    private final UtpSocketManager manager;
    private final Config config = new Config(this);
    private UtpConnection connection;
    private InetSocketAddress remote;
    private boolean open = true;
    /** A read() asked for one batch; written by whichever thread turns autoRead off. */
    private volatile boolean readPending;
    private boolean deliveryScheduled;
    private ChannelPromise connectPromise;
    private ScheduledFuture<?> connectTimeout;

    UtpChannel(UtpSocketManager manager) {
        super(null);
        this.manager = manager;
    }

    /** An accepted connection: {@code connection} is made by the manager with this channel's events. */
    UtpChannel(UtpSocketManager manager, InetSocketAddress remote) {
        this(manager);
        this.remote = remote;
    }

    void attach(UtpConnection c) {
        this.connection = c;
    }

    UtpConnection connection() {
        return connection;
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && connection != null && connection.isConnected();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new UtpUnsafe();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop == manager.eventLoop(); // the connection's state is confined to the UDP socket's loop
    }

    @Override
    protected SocketAddress localAddress0() {
        return manager.localAddress();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("uTP channels share the UDP endpoint's address");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doClose() {
        if (!open) {
            return;
        }
        open = false;
        if (connection != null) {
            connection.close(manager.now()); // a FIN after what was written; the manager keeps it until acked
        }
        failConnect(new ClosedChannelException());
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        scheduleDelivery();
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws ClosedChannelException {
        while (connection != null && !connection.isClosed()) {
            Object msg = in.current();
            if (msg == null) {
                return;
            }
            if (!(msg instanceof ByteBuf buf)) {
                in.remove(new UnsupportedOperationException("uTP channels write ByteBufs only"));
                continue;
            }
            if (connection.pendingBytes() >= connection.sendBufferLimit()) {
                return; // resumed by the connection's writable event
            }
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            connection.write(bytes, manager.now());
            in.remove();
        }
        if (in.current() != null) {
            throw new ClosedChannelException();
        }
    }

    /** Events of this channel's connection, called on the loop. */
    UtpConnection.Host events() {
        return new UtpConnection.Host() {
            @Override
            public void send(Packet p) {
                manager.send(remote, p);
            }

            @Override
            public void connected() {
                if (connectTimeout != null) {
                    connectTimeout.cancel(false);
                }
                ChannelPromise p = connectPromise;
                connectPromise = null;
                if (p != null && p.trySuccess()) {
                    pipeline().fireChannelActive();
                }
            }

            @Override
            public void readable() {
                scheduleDelivery();
            }

            @Override
            public void ackOwed() {
                manager.oweAck(connection());
            }

            @Override
            public void writable() {
                if (open) {
                    ((UtpUnsafe) unsafe()).resumeWrites();
                }
            }

            @Override
            public void closed(String reason) {
                failConnect(new ConnectException("uTP: " + (reason == null ? "closed" : reason)));
                if (open && !readableOrEnd()) {
                    unsafe().close(unsafe().voidPromise());
                } else {
                    scheduleDelivery(); // deliver what arrived first; the end closes the channel
                }
            }
        };
    }

    private boolean readableOrEnd() {
        return connection.receivedBytesHeld() > 0;
    }

    private void failConnect(Throwable cause) {
        ChannelPromise p = connectPromise;
        connectPromise = null;
        if (p != null) {
            p.tryFailure(cause);
        }
    }

    private void scheduleDelivery() {
        if (!deliveryScheduled && open && isRegistered()) {
            deliveryScheduled = true;
            eventLoop().execute(this::deliver);
        }
    }

    /** Fires what the connection holds, a batch per read request (everything while autoRead is on). */
    private void deliver() {
        deliveryScheduled = false;
        if (!open || connection == null) {
            return;
        }
        boolean fired = false;
        // autoRead is checked too, as Netty's NIO channels keep reading while it is on: autoRead
        // turned off on one thread and on again on another (disk threads pausing peers) can
        // clear readPending after the read() that the turn back on asked for, and nobody asks again
        while (readPending || config.isAutoRead()) {
            byte[] b = connection.poll(manager.now());
            if (b == null) {
                break;
            }
            fired = true;
            pipeline().fireChannelRead(Unpooled.wrappedBuffer(b));
            if (!config.isAutoRead()) {
                readPending = false;
            }
        }
        if (fired) {
            pipeline().fireChannelReadComplete();
        }
        if (open && (connection.atEndOfStream() || connection.isClosed() && connection.receivedBytesHeld() == 0)) {
            unsafe().close(unsafe().voidPromise()); // the peer's FIN (or its end): TCP's end of stream
        }
    }

    private final class UtpUnsafe extends AbstractUnsafe {
        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            if (!promise.setUncancellable() || !ensureOpen(promise)) {
                return;
            }
            if (connection != null || !(remoteAddress instanceof InetSocketAddress r) || r.isUnresolved()) {
                promise.setFailure(new ConnectException("uTP: cannot connect to " + remoteAddress));
                return;
            }
            remote = r;
            connectPromise = promise;
            int millis = config.getConnectTimeoutMillis();
            if (millis > 0) {
                connectTimeout = eventLoop().schedule(() -> {
                    if (connectPromise != null) {
                        failConnect(new ConnectException("uTP: connect timed out: " + r));
                        close(voidPromise());
                    }
                }, millis, TimeUnit.MILLISECONDS);
            }
            promise.addListener(f -> {
                if (!f.isSuccess()) {
                    close(voidPromise());
                }
            });
            manager.dial(UtpChannel.this);
        }

        void resumeWrites() {
            flush0();
        }
    }

    private static final class Config extends DefaultChannelConfig {
        Config(UtpChannel ch) {
            super(ch);
        }

        @Override
        public <T> boolean setOption(ChannelOption<T> option, T value) {
            if (option == ChannelOption.TCP_NODELAY) {
                return true; // uTP sends at every flush anyway; accepted so the TCP bootstrap options fit
            }
            return super.setOption(option, value);
        }

        @Override
        protected void autoReadCleared() {
            ((UtpChannel) channel).readPending = false;
        }
    }
}
