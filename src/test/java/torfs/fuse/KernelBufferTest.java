package torfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;

class KernelBufferTest {
    @Test
    void aViewWritesIntoTheNativeMemoryItself() {
        Pointer memory = Memory.allocateDirect(Runtime.getSystemRuntime(), 64);
        ByteBuffer view = KernelBuffer.view(memory, 64);
        assertThat(view).as("jffi made a direct buffer over libfuse's memory").isNotNull();
        assertThat(view.isDirect()).isTrue();
        assertThat(view.capacity()).isEqualTo(64);
        view.put(10, (byte) 42).put(63, (byte) 7);
        assertThat(memory.getByte(10)).isEqualTo((byte) 42);
        assertThat(memory.getByte(63)).isEqualTo((byte) 7);
    }

    @Test
    void heapMemoryGetsNoViewButAScratchArrayBigEnough() {
        Pointer heap = Memory.allocate(Runtime.getSystemRuntime(), 64);
        assertThat(KernelBuffer.view(heap, 64)).isNull();
        assertThat(KernelBuffer.scratch(200_000)).hasSizeGreaterThanOrEqualTo(200_000);
    }
}
