package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountChildTest {
    @Test
    void optionsSurviveTheTripToTheChild() {
        MountOptions o = new MountOptions(Path.of("/t/a b.torrent"), Path.of("/mnt/x"), Path.of("/d"),
                List.of("127.0.0.1:6881", "[::1]:7000"), "127.0.0.2", 6883, 500_000, 10_000_000,
                Duration.ofMillis(1500), 64L << 20, true, List.of("allow_other", "uid=5"));
        MountChild.Parsed p = MountChild.parse(MountChild.args(o, Path.of("/d/.ready")).toArray(new String[0]));
        assertThat(p.options()).isEqualTo(o);
        assertThat(p.readyFile()).isEqualTo(Path.of("/d/.ready"));

        MountOptions plain = new MountOptions(Path.of("/t"), Path.of("/m"), Path.of("/d"), List.of(), null, 0,
                0, 0, Duration.ofSeconds(120), 1, false, List.of());
        assertThat(MountChild.parse(MountChild.args(plain, Path.of("/r")).toArray(new String[0])).options())
                .isEqualTo(plain);

        MountOptions magnet = new MountOptions(Path.of("/d/.torfs/ab.torrent"), Path.of("/m"), Path.of("/d"),
                List.of(), null, 0, 0, 0, Duration.ofSeconds(120), 1, false, List.of(),
                "magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=a%20b&x.pe=127.0.0.2:6881",
                List.of("127.0.1.1:6881", "127.0.2.1:6881"), false, Duration.ofSeconds(7),
                torfs.transport.TransportMode.UTP, torfs.transport.mse.Encryption.REQUIRE);
        assertThat(MountChild.parse(MountChild.args(magnet, Path.of("/r")).toArray(new String[0])).options())
                .isEqualTo(magnet);

        MountOptions capped = new MountOptions(Path.of("/t"), Path.of("/m"), Path.of("/d"), List.of(), null, 0,
                0, 0, Duration.ofSeconds(120), 16L << 20, true, List.of(), null, List.of(), true,
                Duration.ofSeconds(7), torfs.transport.TransportMode.BOTH, torfs.transport.mse.Encryption.PREFER,
                64L << 20);
        assertThat(MountChild.parse(MountChild.args(capped, Path.of("/r")).toArray(new String[0])).options())
                .isEqualTo(capped);
    }

    @Test
    void unknownOrMissingArgumentsAreRejected() {
        assertThatThrownBy(() -> MountChild.parse(new String[] {"--nope", "1"}))
                .hasMessageContaining("unknown argument --nope");
        assertThatThrownBy(() -> MountChild.parse(new String[] {"--source", "/t"}))
                .hasMessageContaining("required");
        assertThatThrownBy(() -> MountChild.parse(new String[] {"--source"}))
                .hasMessageContaining("odd");
    }
}
