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

    /**
     * A first read that came back short with fewer bytes than this is the whole file, so the
     * read at the end offset that would confirm end of file (a second system call per file and
     * tick, about a sixth of a tick's I/O) is skipped. Kernel files are seq_files: a read fills
     * the request unless at end of file or when the kernel's page-sized (4 KiB or more) buffer
     * cannot take the next record, which after fewer than 2 KiB needs a record over 2 KiB. The
     * files read every tick are single records (memory.stat, status, meminfo, PSI, one number)
     * or short lines (cgroup.procs); regular files (fixture trees) only come back short at the end.
     */
    static final int ONE_READ = 2048;
    /** mountinfo lines can pass 2 KiB (overlay lowerdir lists): always read to a confirmed end (once, at discovery). */
    private static final String LONG_RECORDS = "mountinfo";

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
            int first = channel.read(dst, 0);
            if (first < 0) {
                return 0;
            }
            if (first < ONE_READ && dst.hasRemaining() && !path.endsWith(LONG_RECORDS)) {
                return first;
            }
            long position = first;
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
