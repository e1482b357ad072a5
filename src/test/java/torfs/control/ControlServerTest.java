package torfs.control;

import static org.assertj.core.api.Assertions.assertThat;

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
}
