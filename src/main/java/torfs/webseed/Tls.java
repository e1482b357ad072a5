package torfs.webseed;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

/**
 * TLS for https web seeds: the JDK's engine, the JVM's trust store (Debian's Java reads the
 * system's CA certificates; {@code -Djavax.net.ssl.trustStore} names another), the host name
 * checked against the certificate, and SNI. The context is made on first use: most torrents
 * have no https seed and should not pay for it.
 */
final class Tls {
    private static volatile SslContext context;

    private Tls() {
    }

    /** A handler for a connection to {@code host:port}, checking the certificate names {@code host}. */
    static SslHandler clientHandler(ByteBufAllocator alloc, String host, int port) throws SSLException {
        SslHandler h = context().newHandler(alloc, host, port);
        SSLParameters p = h.engine().getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        h.engine().setSSLParameters(p);
        return h;
    }

    /**
     * Whether {@code cause} is a failed handshake (an untrusted or misnamed certificate, no
     * common protocol): trying again cannot help, so the seed is dropped rather than retried.
     */
    static boolean isHandshakeFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException || t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** A handshake failure in a user's words, without the JDK's class names. */
    static String describe(Throwable cause) {
        Throwable innermost = cause;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            innermost = t;
            String m = String.valueOf(t.getMessage());
            if (t instanceof java.security.cert.CertPathValidatorException || m.contains("PKIX path")) {
                return "untrusted certificate (not signed by a CA in the Java trust store)";
            }
            if (t instanceof CertificateException && (m.contains("No subject alternative") || m.contains("No name matching"))) {
                return "the certificate names another host";
            }
        }
        String m = innermost.getMessage();
        return m == null ? "handshake failed" : m.replaceAll("^[\\w.$]+(Exception|Error): ", "");
    }

    private static SslContext context() throws SSLException {
        SslContext c = context;
        if (c == null) {
            synchronized (Tls.class) {
                c = context;
                if (c == null) {
                    c = SslContextBuilder.forClient().build();
                    context = c;
                }
            }
        }
        return c;
    }
}
