package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MountDaemonTest {
    @Test
    void theLaunchersShortCommandOptionsDoNotReachTheMountProcess() {
        // the launcher starts `mount` light (C1 only, small heap); the mount process hashes
        // pieces, and SHA-1 runs 4x slower without C2
        for (String o : new String[] {"-XX:TieredStopAtLevel=1", "-XX:-TieredCompilation", "-Xmx64m",
                "-Xms8m", "-Xss256k", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=1g"}) {
            assertThat(MountDaemon.isShortCommandOption(o)).as(o).isTrue();
        }
        for (String o : new String[] {"-Xshare:auto", "-Dtorfs.debug=true", "-XX:+UnlockDiagnosticVMOptions",
                "-ea"}) {
            assertThat(MountDaemon.isShortCommandOption(o)).as(o).isFalse();
        }
    }

    @Test
    void theMountProcessGetsItsOwnHeapAndCollector() {
        assertThat(MountDaemon.javaCommand(80)).contains("-Xmx80m", "-XX:+UseSerialGC")
                .doesNotContain("-XX:TieredStopAtLevel=1")
                .endsWith(MountChild.class.getName());
    }

    @Test
    void theMountProcessLeavesJnrsAssemblerToTheInterpreterOnce() {
        assertThat(MountDaemon.javaCommand(80))
                .containsOnlyOnce("-XX:CompileCommand=exclude,jnr.x86asm.Assembler::_emitX86")
                .containsOnlyOnce("-XX:CompileCommand=quiet");
    }
}
