package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class FstabOptionsTest {
    /** The real `torfs mount` model, as Main checks against it. */
    private static CommandSpec mountSpec() {
        CommandLine cl = new CommandLine(new Main());
        Subcommands.register(cl, new String[] {"mount"});
        return cl.getSubcommands().get("mount").getCommandSpec();
    }

    /** A mount command with options this branch does not have yet (other issues add them). */
    private static CommandSpec futureSpec() {
        return CommandSpec.create()
                .addOption(OptionSpec.builder("--watch").arity("0").type(boolean.class).build())
                .addOption(OptionSpec.builder("--cache-size").paramLabel("SIZE").type(String.class).build());
    }

    @Test
    void theIssuesFstabLineMapsToWatchAndCacheSizeWithFuseAndSystemOptionsSorted() {
        // fstab: /srv/torrents /mnt/t fuse.torfs watch,cache-size=4G,allow_other,noauto,x-systemd.automount 0 0
        // mount(8) adds rw; mount.fuse3 adds dev,suid
        List<String> args = FstabOptions.toMountArgs("/srv/torrents", "/mnt/t",
                List.of("rw,watch,cache-size=4G,allow_other,noauto,x-systemd.automount,dev,suid"), futureSpec());
        assertThat(args).containsExactly("mount", "--watch", "/srv/torrents", "/mnt/t", "--cache-size", "4G",
                "-o", "allow_other,dev,suid");
    }

    @Test
    void watchMayBeAFlagOrTakeTheSourceAsItsDirectory() {
        CommandSpec valued = CommandSpec.create()
                .addOption(OptionSpec.builder("--watch").paramLabel("DIR").type(String.class).build());
        assertThat(FstabOptions.toMountArgs("/srv/torrents", "/mnt/t", List.of("watch,rw"), valued))
                .containsExactly("mount", "--watch", "/srv/torrents", "/mnt/t");
        CommandLine cl = new CommandLine(valued.addPositional(
                CommandLine.Model.PositionalParamSpec.builder().paramLabel("MNT").type(String.class).build()));
        assertThat(cl.parseArgs("--watch", "/srv/torrents", "/mnt/t").matchedOptionValue("--watch", ""))
                .isEqualTo("/srv/torrents");
    }

    @Test
    void theMappingIsGenericWithoutAModel() {
        assertThat(FstabOptions.toMountArgs("s", "m", List.of("a=b", "flag,x=1,y=a=b"), null))
                .containsExactly("mount", "s", "m", "--a", "b", "--flag", "--x", "1", "--y", "a=b");
    }

    @Test
    void todaysOptionsMapOntoTheRealMountCommand() {
        List<String> args = FstabOptions.toMountArgs("/t.torrent", "/mnt", List.of(
                "defaults,lazy,no-dht,peer=127.0.0.2:6881,peer=127.0.0.3:6881,port=6990,data=/var/d",
                "nofail,_netdev,user,comment=systemd.x,x-systemd.requires=a.service,fsname=films,uid=1000"),
                mountSpec());
        assertThat(args).containsExactly("mount", "/t.torrent", "/mnt", "--lazy", "--no-dht",
                "--peer", "127.0.0.2:6881", "--peer", "127.0.0.3:6881", "--port", "6990", "--data", "/var/d",
                "-o", "fsname=films,uid=1000");
    }

    @Test
    void onlySystemOptionsLeaveAPlainMount() {
        assertThat(FstabOptions.toMountArgs("s", "m", List.of("rw,noauto,nofail,,x-systemd.automount"), mountSpec()))
                .containsExactly("mount", "s", "m");
    }

    @Test
    void anUnknownOptionIsNamedInOneLine() {
        assertThatThrownBy(() -> FstabOptions.toMountArgs("s", "m", List.of("lazy,bogus=1"), mountSpec()))
                .isInstanceOf(UserError.class).hasMessage("unknown mount option 'bogus=1' (see torfs mount --help)");
        assertThatThrownBy(() -> FstabOptions.toMountArgs("s", "m", List.of("no-such-flag"), mountSpec()))
                .isInstanceOf(UserError.class).hasMessageContaining("unknown mount option 'no-such-flag'");
    }

    @Test
    void aFlagWithAValueOrAValuedOptionWithoutOneIsRefused() {
        assertThatThrownBy(() -> FstabOptions.toMountArgs("s", "m", List.of("lazy=yes"), mountSpec()))
                .isInstanceOf(UserError.class).hasMessage("mount option 'lazy=yes': lazy takes no value");
        assertThatThrownBy(() -> FstabOptions.toMountArgs("s", "m", List.of("port"), mountSpec()))
                .isInstanceOf(UserError.class).hasMessage("mount option 'port' needs a value: port=P");
        assertThatThrownBy(() -> FstabOptions.toMountArgs("s", "m", List.of("cache-size"), futureSpec()))
                .isInstanceOf(UserError.class).hasMessageContaining("needs a value: cache-size=SIZE");
    }

    @Test
    void optionsThatWouldKeepMountFromReturningAreRefused() {
        for (String o : List.of("foreground", "help", "version", "-f", "=x")) {
            assertThatThrownBy(() -> FstabOptions.toMountArgs("s", "m", List.of(o), null))
                    .as(o).isInstanceOf(UserError.class).hasMessageContaining("cannot be used");
        }
    }
}
