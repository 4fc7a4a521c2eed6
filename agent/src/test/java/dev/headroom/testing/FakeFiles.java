package dev.headroom.testing;

import dev.headroom.io.FileSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link FileSource}: absolute path to contents, plus two kinds of broken file
 * (I/O error, permission denied). Directories are every parent of a file, plus any added
 * explicitly. Thread-safe, so a test may change files while a sampler reads them.
 */
public final class FakeFiles implements FileSource {

    /** Contents standing for a file that throws IOException on every read. */
    public static final byte[] IO_ERROR = new byte[0];
    /** Contents standing for a file that throws AccessDeniedException on every read. */
    public static final byte[] DENIED = new byte[0];

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Set<String> dirs = ConcurrentHashMap.newKeySet();

    public FakeFiles put(String path, byte[] contents) {
        files.put(path, contents);
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
            dirs.add(path.substring(0, slash));
        }
        return this;
    }

    public FakeFiles remove(String path) {
        files.remove(path);
        return this;
    }

    public byte[] get(String path) {
        return files.get(path);
    }

    @Override
    public int read(String path, ByteBuffer dst) throws IOException {
        byte[] b = files.get(path);
        if (b == null) {
            return -1;
        }
        if (b == IO_ERROR) {
            throw new IOException("injected I/O error");
        }
        if (b == DENIED) {
            throw new AccessDeniedException(path);
        }
        dst.clear();
        int n = Math.min(b.length, dst.remaining());
        dst.put(b, 0, n);
        return n;
    }

    @Override
    public boolean isDirectory(String path) {
        return dirs.contains(path);
    }

    @Override
    public void close() {
    }
}
