package dev.headroom.examples;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * A file under /dev/shm (tmpfs), written at the rate: shmem, which cannot be reclaimed without swap. The file is
 * deleted on normal exit and on SIGTERM/SIGINT; after SIGKILL (an OOM kill) it stays, and keeps its memory, until
 * someone removes {@code /dev/shm/headroom-grow-<pid>}.
 */
final class ShmemGrower implements Grower {
    private final File file;
    private final FileChannel channel;
    private final ByteBuffer block = ByteBuffer.allocateDirect(64 * 1024);

    ShmemGrower() throws IOException {
        file = new File("/dev/shm", "headroom-grow-" + Grow.pid());
        channel = FileChannel.open(file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        while (block.hasRemaining()) {
            block.put((byte) 1);
        }
    }

    @Override
    public long grow(long bytes) throws IOException {
        long written = 0;
        while (written < bytes) {
            block.clear();
            block.limit((int) Math.min(block.capacity(), bytes - written));
            written += channel.write(block);
        }
        return written;
    }

    @Override
    public String file() {
        return file.getPath();
    }

    @Override
    public void close() {
        file.delete();
    }
}
