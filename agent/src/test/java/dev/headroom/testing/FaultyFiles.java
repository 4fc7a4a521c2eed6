package dev.headroom.testing;

import dev.headroom.io.FileSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FileSource} wrapper that injects faults into the reads of a real one, by file name
 * (the last path component, e.g. {@code memory.usage_in_bytes}): missing, I/O error, permission
 * denied, empty, or other contents. Faults can be set and cleared from any thread while a
 * sampler reads.
 */
public final class FaultyFiles implements FileSource {

    public enum Fault { MISSING, IO_ERROR, DENIED, EMPTY }

    private final FileSource delegate;
    private final Map<String, Object> faults = new ConcurrentHashMap<>();
    private final AtomicLong reads = new AtomicLong();
    private final Map<String, Integer> readsByName = new ConcurrentHashMap<>();

    public FaultyFiles(FileSource delegate) {
        this.delegate = delegate;
    }

    public FaultyFiles fail(String fileName, Fault fault) {
        faults.put(fileName, fault);
        return this;
    }

    /** The file reads as these contents instead of its own. */
    public FaultyFiles contents(String fileName, String contents) {
        faults.put(fileName, contents.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return this;
    }

    public FaultyFiles clear() {
        faults.clear();
        return this;
    }

    public long reads() {
        return reads.get();
    }

    /** Reads of files with this name (the last path element). */
    public int reads(String fileName) {
        return readsByName.getOrDefault(fileName, 0);
    }

    @Override
    public int read(String path, ByteBuffer dst) throws IOException {
        reads.incrementAndGet();
        String name = path.substring(path.lastIndexOf('/') + 1);
        readsByName.merge(name, 1, Integer::sum);
        Object fault = faults.get(name);
        if (fault == null) {
            return delegate.read(path, dst);
        }
        if (fault instanceof byte[]) {
            byte[] b = (byte[]) fault;
            dst.clear();
            int n = Math.min(b.length, dst.remaining());
            dst.put(b, 0, n);
            return n;
        }
        switch ((Fault) fault) {
            case MISSING:
                return -1;
            case IO_ERROR:
                throw new IOException("No such device");
            case DENIED:
                throw new AccessDeniedException(path);
            default:
                dst.clear();
                return 0;
        }
    }

    @Override
    public boolean isDirectory(String path) {
        return delegate.isDirectory(path);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
