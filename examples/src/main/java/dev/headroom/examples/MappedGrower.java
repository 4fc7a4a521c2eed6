package dev.headroom.examples;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A memory-mapped temp file ({@code FileChannel.map} READ_WRITE), extended chunk by chunk, every page written:
 * dirty page cache mapped into the process. The file is deleted on normal exit.
 */
final class MappedGrower implements Grower {
    private final File file;
    private final RandomAccessFile raf;
    private final List<MappedByteBuffer> retained = new ArrayList<>();
    private long size;

    MappedGrower() throws IOException {
        file = File.createTempFile("headroom-grow-", ".map");
        file.deleteOnExit();
        raf = new RandomAccessFile(file, "rw");
    }

    @Override
    public long grow(long bytes) throws IOException {
        int length = (int) Math.min(bytes, Integer.MAX_VALUE);
        MappedByteBuffer chunk = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, size, length);
        for (int i = 0; i < length; i += PAGE) {
            chunk.put(i, (byte) 1);
        }
        retained.add(chunk);
        size += length;
        return length;
    }

    @Override
    public String file() {
        return file.getPath();
    }

    @Override
    public void close() {
        file.delete(); // mappings stay valid until the process ends
    }
}
