package dev.headroom.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One read per small file (the short read is the whole file), re-reads see new contents, big files are read whole. */
class ChannelFileSourceTest {

    @TempDir
    Path dir;

    @Test
    void smallFileIsReadWholeAndFreshEachTime() throws IOException {
        Path file = dir.resolve("memory.current");
        Files.write(file, "123\n".getBytes(StandardCharsets.US_ASCII));
        ChannelFileSource source = new ChannelFileSource();
        ByteBuffer buffer = ByteBuffer.allocate(64);
        assertEquals(4, source.read(file.toString(), buffer));
        Files.write(file, "4567890\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(8, source.read(file.toString(), buffer));
        assertEquals("4567890\n", new String(buffer.array(), 0, 8, StandardCharsets.US_ASCII));
        source.close();
    }

    @Test
    void fileLargerThanOneReadFillsTheBuffer() throws IOException {
        byte[] big = new byte[ChannelFileSource.ONE_READ * 3];
        java.util.Arrays.fill(big, (byte) 'x');
        Path file = dir.resolve("memory.stat");
        Files.write(file, big);
        ChannelFileSource source = new ChannelFileSource();
        assertEquals(big.length, source.read(file.toString(), ByteBuffer.allocate(big.length + 100)));
        assertEquals(1000, source.read(file.toString(), ByteBuffer.allocate(1000)));
        source.close();
    }

    @Test
    void emptyAndMissingFiles() throws IOException {
        Path file = dir.resolve("empty");
        Files.write(file, new byte[0]);
        ChannelFileSource source = new ChannelFileSource();
        assertEquals(0, source.read(file.toString(), ByteBuffer.allocate(16)));
        assertEquals(-1, source.read(dir.resolve("missing").toString(), ByteBuffer.allocate(16)));
        source.close();
    }

    @Test
    void mountinfoIsReadToAConfirmedEnd() throws IOException {
        Path file = dir.resolve("mountinfo");
        byte[] line = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(file, line);
        ChannelFileSource source = new ChannelFileSource();
        assertEquals(line.length, source.read(file.toString(), ByteBuffer.allocate(4096)));
        source.close();
    }
}
