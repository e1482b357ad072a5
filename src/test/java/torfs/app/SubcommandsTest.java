package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SubcommandsTest {
    private static CommandLine registered(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Subcommands.register(cl, args);
        return cl;
    }

    @Test
    void aCommandLineThatNamesACommandGetsThatOneOnly() {
        assertThat(registered("download", "t.torrent", "--data", "d").getSubcommands()).containsOnlyKeys("download");
        assertThat(registered("--debug", "mount", "t.torrent", "/mnt").getSubcommands()).containsOnlyKeys("mount");
        // an alias is the command's
        assertThat(registered("umount", "/mnt").getSubcommands()).containsKeys("unmount", "umount").hasSize(2);
    }

    @Test
    void anyOtherGetsThemAllInUsageOrder() {
        for (String[] args : new String[][] {{}, {"--help"}, {"--version"}, {"mnt", "x"}}) {
            assertThat(registered(args).getSubcommands().keySet()).containsExactly(
                    "info", "create", "verify", "mount", "unmount", "umount", "download", "seed",
                    "add", "remove", "pause", "resume", "list", "status", "limits");
        }
    }

    @Test
    void theUsageStillListsEveryCommand() {
        String usage = registered().getUsageMessage();
        assertThat(usage).contains("info", "create", "verify", "mount", "unmount", "download", "seed",
                "add", "remove", "pause", "resume", "list", "status", "limits");
    }
}
