package torfs.tracker;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Picks channel classes that match the caller's event loop group: epoll when it is an epoll
 * group, NIO otherwise. The epoll classes are always on the class path; the native library
 * may not load, which {@link Epoll#isAvailable()} tells.
 */
public final class Transports {
    private Transports() {
    }

    /** A new group, epoll when the native transport loads, NIO otherwise. */
    public static EventLoopGroup newEventLoopGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads,
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    static boolean isEpoll(EventLoopGroup group) {
        // a class literal does not initialise the class: safe without the native library
        return group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
    }

    public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        return isEpoll(group) ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public static Class<? extends ServerChannel> serverSocketChannel(EventLoopGroup group) {
        return isEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends DatagramChannel> datagramChannel(EventLoopGroup group) {
        return isEpoll(group) ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
