package dev.headroom.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
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
 * Reads files kept open between reads: a read from offset 0 returns fresh values for cgroup and
 * proc files at a fraction of the cost of open-read-close. The files are {@link RandomAccessFile}s
 * (seek, then read into the buffer's array): two system calls where a {@link FileChannel}'s
 * positional read makes one, but a few dozen bytecodes instead of several hundred (blocking
 * bookkeeping, a temporary direct buffer, a copy). At the default interval the tick runs
 * interpreted for minutes, and there a read costs about a quarter of a channel's; compiled,
 * both cost the same (the kernel's work). A file whose read fails is closed and reopened on the next read
 * (the cgroup was removed, the process was moved); once a second a kept file is also checked
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

    /** How often a kept file is checked against the path (deleted or replaced file). */
    private static final long REVALIDATE_NANOS = 1_000_000_000L;

    private final Map<String, Open> open = new HashMap<>();

    /**
     * A file kept open, with the identity (device, inode) of the file it was opened on. Only
     * regular files are re-checked: on /proc and /sys a removed file fails to read by itself, and
     * checking costs a stat and its allocations.
     */
    private static final class Open {
        final RandomAccessFile file;
        final Object key;
        final boolean revalidate;
        /** mountinfo: lines can pass 2 KiB, read to a confirmed end. */
        final boolean longRecords;
        long checkedAt;

        Open(RandomAccessFile file, Object key, boolean revalidate, boolean longRecords, long checkedAt) {
            this.file = file;
            this.longRecords = longRecords;
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
            // descriptor: check, at most once a second, that the path still names the same file.
            o.checkedAt = now;
            Object key;
            try {
                key = fileKey(path);
            } catch (NoSuchFileException e) {
                forget(path, o.file);
                return -1;
            } catch (IOException | RuntimeException e) {
                key = o.key;
            }
            if (key == null || !key.equals(o.key)) {
                forget(path, o.file);
                o = null;
            }
        }
        if (o == null) {
            RandomAccessFile file;
            Object key = null;
            try {
                file = new RandomAccessFile(path, "r");
            } catch (FileNotFoundException e) {
                // one exception for every failure to open: let NIO say which (missing: -1)
                try {
                    FileChannel.open(Paths.get(path), StandardOpenOption.READ).close();
                } catch (NoSuchFileException missing) {
                    return -1;
                }
                throw e;
            }
            boolean revalidate = !path.startsWith("/proc/") && !path.startsWith("/sys/");
            if (revalidate) {
                try {
                    key = fileKey(path);
                } catch (IOException | RuntimeException e) {
                    key = null;
                }
            }
            o = new Open(file, key, revalidate, path.endsWith(LONG_RECORDS), now);
            open.put(path, o);
        }
        RandomAccessFile file = o.file;
        dst.clear();
        byte[] b = dst.array();
        int capacity = dst.capacity();
        try {
            file.seek(0);
            int first = file.read(b, 0, capacity);
            if (first < 0) {
                return 0;
            }
            if (first < ONE_READ && first < capacity && !o.longRecords) {
                dst.position(first);
                return first;
            }
            int length = first;
            while (length < capacity) {
                int n = file.read(b, length, capacity - length);
                if (n <= 0) {
                    break;
                }
                length += n;
            }
            dst.position(length);
            return length;
        } catch (IOException | RuntimeException e) {
            forget(path, file);
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

    private void forget(String path, RandomAccessFile file) {
        open.remove(path);
        try {
            file.close();
        } catch (IOException ignored) {
            // already broken: nothing more to release
        }
    }

    @Override
    public void close() {
        for (Open o : open.values()) {
            try {
                o.file.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
        open.clear();
    }
}
