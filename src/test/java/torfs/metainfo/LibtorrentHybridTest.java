package torfs.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid v1+v2 torrent made by the real libtorrent (its create_torrent default, with pad
 * files in the v1 list) parses through its v1 part with libtorrent's own v1 info-hash.
 * libtorrent runs in a network namespace with only loopback, like every third-party peer.
 */
class LibtorrentHybridTest {
    private static final String SCRIPT = """
            import sys, libtorrent as lt
            root, out = sys.argv[1], sys.argv[2]
            fs = lt.file_storage()
            lt.add_files(fs, root + '/payload')
            ct = lt.create_torrent(fs, 16384)
            ct.add_tracker('http://127.0.0.1:1/announce')
            lt.set_piece_hashes(ct, root)
            open(out, 'wb').write(lt.bencode(ct.generate()))
            ti = lt.torrent_info(out)
            print(str(ti.info_hashes().v1))
            """;

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void hybridFromLibtorrentParsesWithPadFilesAndItsV1Hash() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 missing");
        Path payload = tmp.resolve("payload");
        Files.createDirectories(payload.resolve("sub"));
        Random r = new Random(7);
        for (String[] f : new String[][] {{"a.bin", "20000"}, {"sub/b.bin", "5000"}, {"c.bin", "40000"}}) {
            byte[] b = new byte[Integer.parseInt(f[1])];
            r.nextBytes(b);
            Files.write(payload.resolve(f[0]), b);
        }
        Path script = tmp.resolve("mk.py");
        Files.writeString(script, SCRIPT);
        Path out = tmp.resolve("hybrid.torrent");
        String inner = "ip link set lo up; /usr/bin/python3 -c 'import libtorrent' || exit 77; "
                + "exec /usr/bin/python3 '" + script + "' '" + tmp + "' '" + out + "'";
        Process p = new ProcessBuilder("unshare", "--net", "--fork", "bash", "-c", inner)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes()).strip();
        assumeTrue(p.exitValue() != 77, "python3-libtorrent is not installed");
        assertThat(p.exitValue()).as(output).isZero();
        String v1 = output.lines().reduce((a, b) -> b).orElseThrow();

        Torrent t = MetainfoParser.parse(out);
        assertThat(t.hybrid()).isTrue();
        assertThat(t.infoHash().hex()).isEqualTo(v1);
        assertThat(t.name()).isEqualTo("payload");
        assertThat(t.files()).anyMatch(FileEntry::pad);
        assertThat(t.files().stream().filter(FileEntry::pad))
                .allSatisfy(f -> assertThat(f.offset() + f.length()).isEqualTo(
                        (f.end() + 16383) / 16384 * 16384));
        assertThat(t.visibleFiles()).extracting(FileEntry::pathString)
                .containsExactlyInAnyOrder("a.bin", "sub/b.bin", "c.bin");
        assertThat(t.visibleFiles()).allSatisfy(f -> assertThat(f.offset() % 16384).isZero());
        assertThat(t.trackers()).containsExactly(List.of("http://127.0.0.1:1/announce"));
        assertThat(t.totalLength()).isEqualTo(t.files().get(t.files().size() - 1).end());
    }
}
