package torfs.webseed;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import java.net.ConnectException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** What an https seed's failures become, and the handler checking the host name. */
class TlsTest {
    @Test
    void handshakeFailuresAreTellingAndFinal() {
        var untrusted = new DecoderException(new SSLHandshakeException("PKIX path building failed: "
                + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path"));
        assertThat(Tls.isHandshakeFailure(untrusted)).isTrue();
        assertThat(Tls.describe(untrusted)).isEqualTo("untrusted certificate (not signed by a CA in the Java trust store)");

        var misnamed = new SSLHandshakeException("No subject alternative names matching IP address 127.0.0.9 found");
        misnamed.initCause(new CertificateException("No subject alternative names matching IP address 127.0.0.9 found"));
        assertThat(Tls.describe(misnamed)).isEqualTo("the certificate names another host");

        var other = new SSLHandshakeException("Received fatal alert: protocol_version");
        assertThat(Tls.describe(other)).isEqualTo("Received fatal alert: protocol_version");
        assertThat(Tls.describe(new DecoderException("javax.net.ssl.SSLException: bad record"))).isEqualTo("bad record");

        assertThat(Tls.isHandshakeFailure(new ConnectException("Connection refused"))).isFalse();
    }

    @Test
    void theHandlerChecksTheHostNameAndSendsSni() throws Exception {
        SslHandler h = Tls.clientHandler(ByteBufAllocator.DEFAULT, "seed.example", 443);
        assertThat(h.engine().getUseClientMode()).isTrue();
        assertThat(h.engine().getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(h.engine().getPeerHost()).isEqualTo("seed.example");
        assertThat(h.engine().getPeerPort()).isEqualTo(443);
    }
}
