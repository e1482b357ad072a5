package torfs.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The API over a real unix socket: Netty's HTTP codec on one side, the JDK's channel on the other. */
@Timeout(60)
class ControlServerTest {
    @TempDir
    Path tmp;

    @Test
    void answersOverTheUnixSocketAndOnlyItsOwnerMayConnect() throws Exception {
        ControlApiTest.RecordingLibrary library = new ControlApiTest.RecordingLibrary();
        library.torrents.put("Album", ControlApiTest.album());
        Path socket = tmp.resolve("control.sock");
        Files.writeString(socket, "stale"); // left by a killed process: replaced
        try (ControlServer server = ControlServer.start(socket, new ControlApi(library))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            ControlClient client = new ControlClient(socket);
            ControlClient.Answer list = client.request("GET", "/api/torrents", null);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).startsWith("{\"torrents\":[{\"name\":\"Album\"").endsWith("}\n");
            ControlClient.Answer add = client.request("POST", "/api/torrents", "{\"filename\":\"bad\"}");
            assertThat(add).isEqualTo(new ControlClient.Answer(400, "{\"error\":\"bad: not a torrent\"}\n"));
        }
        assertThat(Files.exists(socket)).isFalse();
    }
    @Test
    void aTokenlessPageOnLoopbackRefusesOtherHostsAndCrossSitePosts() throws Exception {
        ControlApiTest.RecordingLibrary library = new ControlApiTest.RecordingLibrary();
        library.torrents.put("Album", ControlApiTest.album());
        try (ControlServer server = ControlServer.startWeb(new InetSocketAddress("127.0.0.1", 0),
                new ControlApi(library), null)) {
            int port = server.port();
            String self = "127.0.0.1:" + port;
            assertThat(status(port, "GET /api/torrents", "Host: " + self)).isEqualTo(200);
            assertThat(status(port, "GET /", "Host: localhost:" + port)).isEqualTo(200);
            // DNS rebinding: another name that resolves here
            assertThat(status(port, "GET /api/torrents", "Host: evil.example:" + port)).isEqualTo(403);
            // another site's page posting through the user's browser
            assertThat(status(port, "DELETE /api/torrents/Album", "Host: " + self,
                    "Origin: https://evil.example")).isEqualTo(403);
            assertThat(status(port, "POST /api/torrents", "Host: " + self, "Referer: http://evil.example/x"))
                    .isEqualTo(403);
            assertThat(library.torrents).containsKey("Album");
            // the page itself, and a client that is not a browser page, reach the API
            assertThat(status(port, "POST /api/torrents", "Host: " + self, "Origin: http://" + self)).isEqualTo(400);
            assertThat(status(port, "POST /api/torrents", "Host: " + self)).isEqualTo(400);
            // through an SSH tunnel the page's host and port are the tunnel's
            assertThat(status(port, "POST /api/torrents", "Host: localhost:9000", "Origin: http://localhost:9000"))
                    .isEqualTo(400);
            assertThat(status(port, "POST /api/torrents", "Host: " + self, "Origin: http://127.0.0.1:3000"))
                    .as("another service on loopback").isEqualTo(403);
        }
    }

    /** The status code of one raw HTTP/1.1 request (an empty JSON body for a POST). */
    private static int status(int port, String requestLine, String... headers) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            StringBuilder b = new StringBuilder(requestLine).append(" HTTP/1.1\r\n");
            for (String h : headers) {
                b.append(h).append("\r\n");
            }
            b.append("Content-Length: 2\r\nConnection: close\r\n\r\n{}");
            OutputStream out = s.getOutputStream();
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Integer.parseInt(head.substring(9, 12));
        }
    }
}
