package torfs.tracker;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Picks channel classes that match the caller's event loop group: epoll when it is an epoll
 * group, NIO otherwise. The epoll classes are a runtime-only dependency, so they are looked up
 * by name.
 */
public final class Transports {
    private static final String EPOLL = "io.netty.channel.epoll.";
    private static final boolean EPOLL_AVAILABLE = epollAvailable();

    private Transports() {
    }

    /** A new group, epoll when the native transport loads, NIO otherwise. */
    public static EventLoopGroup newEventLoopGroup(int threads) {
        IoHandlerFactory factory = NioIoHandler.newFactory();
        if (EPOLL_AVAILABLE) {
            try {
                factory = (IoHandlerFactory) Class.forName(EPOLL + "EpollIoHandler").getMethod("newFactory")
                        .invoke(null);
            } catch (ReflectiveOperationException e) {
                // keep NIO
            }
        }
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    static boolean isEpoll(EventLoopGroup group) {
        if (!EPOLL_AVAILABLE || !(group instanceof IoEventLoopGroup io)) {
            return false;
        }
        try {
            return io.isIoType(Class.forName(EPOLL + "EpollIoHandler").asSubclass(IoHandler.class));
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        return isEpoll(group) ? load("EpollSocketChannel", SocketChannel.class) : NioSocketChannel.class;
    }

    static Class<? extends DatagramChannel> datagramChannel(EventLoopGroup group) {
        return isEpoll(group) ? load("EpollDatagramChannel", DatagramChannel.class) : NioDatagramChannel.class;
    }

    private static <T> Class<? extends T> load(String name, Class<T> type) {
        try {
            return Class.forName(EPOLL + name).asSubclass(type);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("epoll group without epoll classes", e);
        }
    }

    private static boolean epollAvailable() {
        try {
            return (Boolean) Class.forName(EPOLL + "Epoll").getMethod("isAvailable").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }
}
