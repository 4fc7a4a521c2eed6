package dev.headroom.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.io.File;

/**
 * Reads files through channels kept open between reads: a positional read from offset 0
 * returns fresh values for cgroup and proc files at a fraction of the cost of
 * open-read-close. A channel whose read fails is closed and reopened on the next read
 * (the cgroup was removed, the process was moved).
 *
 * <p>Not thread-safe: owned by the sampler thread.
 */
public final class ChannelFileSource implements FileSource {

    private final Map<String, FileChannel> open = new HashMap<>();

    @Override
    public int read(String path, ByteBuffer dst) throws IOException {
        FileChannel channel = open.get(path);
        if (channel == null) {
            try {
                channel = FileChannel.open(Paths.get(path), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return -1;
            }
            open.put(path, channel);
        }
        dst.clear();
        try {
            long position = 0;
            while (dst.hasRemaining()) {
                int n = channel.read(dst, position);
                if (n <= 0) {
                    break;
                }
                position += n;
            }
            return (int) position;
        } catch (IOException | RuntimeException e) {
            forget(path, channel);
            throw e instanceof IOException ? (IOException) e : new IOException(e);
        }
    }

    @Override
    public boolean isDirectory(String path) {
        return new File(path).isDirectory();
    }

    private void forget(String path, FileChannel channel) {
        open.remove(path);
        try {
            channel.close();
        } catch (IOException ignored) {
            // already broken: nothing more to release
        }
    }

    @Override
    public void close() {
        for (FileChannel channel : open.values()) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
        open.clear();
    }
}
