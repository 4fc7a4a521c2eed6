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

    /** How often a kept channel is checked against the path (deleted or replaced file). */
    private static final long REVALIDATE_NANOS = 1_000_000_000L;

    private final Map<String, Open> open = new HashMap<>();

    /** A channel kept open, with the identity (device, inode) of the file it was opened on. */
    private static final class Open {
        final FileChannel channel;
        final Object key;
        long checkedAt;

        Open(FileChannel channel, Object key, long checkedAt) {
            this.channel = channel;
            this.key = key;
            this.checkedAt = checkedAt;
        }
    }

    @Override
    public int read(String path, ByteBuffer dst) throws IOException {
        Open o = open.get(path);
        long now = System.nanoTime();
        if (o != null && now - o.checkedAt >= REVALIDATE_NANOS) {
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
            Object key;
            try {
                channel = FileChannel.open(Paths.get(path), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return -1;
            }
            try {
                key = fileKey(path);
            } catch (IOException | RuntimeException e) {
                key = null;
            }
            o = new Open(channel, key, now);
            open.put(path, o);
        }
        FileChannel channel = o.channel;
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
