package dev.headroom.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.io.File;

/**
 * Reads files through channels kept open between reads: a positional read from offset 0
 * returns fresh values for cgroup and proc files at a fraction of the cost of
 * open-read-close. A channel whose read fails is closed and reopened on the next read
 * (the cgroup was removed, the process was moved); once a second a kept channel is also checked
 * against its path, so a deleted or replaced regular file is not read on from the old inode.
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

    /** How often a kept channel is checked against the path (deleted or replaced file). */
    private static final long REVALIDATE_NANOS = 1_000_000_000L;

    private final Map<String, Open> open = new HashMap<>();

    /**
     * A channel kept open, with the identity (device, inode) of the file it was opened on. Only
     * regular files are re-checked: on /proc and /sys a removed file fails to read by itself, and
     * checking costs a stat and its allocations.
     */
    private static final class Open {
        final FileChannel channel;
        final Object key;
        final boolean revalidate;
        long checkedAt;

        Open(FileChannel channel, Object key, boolean revalidate, long checkedAt) {
            this.channel = channel;
            this.key = key;
            this.revalidate = revalidate;
            this.checkedAt = checkedAt;
        }
    }

    @Override
    public int read(String path, ByteBuffer dst) throws IOException {
        Open o = open.get(path);
        long now = System.nanoTime();
        if (o != null && o.revalidate && now - o.checkedAt >= REVALIDATE_NANOS) {
            // On cgroupfs and procfs a removed file fails to read, but a regular file (a tree under
            // root=) that was deleted or replaced keeps serving its old contents through the open
            // channel: check, at most once a second, that the path still names the same file.
            o.checkedAt = now;
            Object key;
            try {
                key = fileKey(path);
            } catch (NoSuchFileException e) {
                forget(path, o.channel);
                return -1;
            } catch (IOException | RuntimeException e) {
                key = o.key;
            }
            if (key == null || !key.equals(o.key)) {
                forget(path, o.channel);
                o = null;
            }
        }
        if (o == null) {
            FileChannel channel;
            Object key = null;
            try {
                channel = FileChannel.open(Paths.get(path), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return -1;
            }
            boolean revalidate = !path.startsWith("/proc/") && !path.startsWith("/sys/");
            if (revalidate) {
                try {
                    key = fileKey(path);
                } catch (IOException | RuntimeException e) {
                    key = null;
                }
            }
            o = new Open(channel, key, revalidate, now);
            open.put(path, o);
        }
        FileChannel channel = o.channel;
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

    private static Object fileKey(String path) throws IOException {
        return Files.readAttributes(Paths.get(path), BasicFileAttributes.class).fileKey();
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
        for (Open o : open.values()) {
            try {
                o.channel.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
        open.clear();
    }
}
