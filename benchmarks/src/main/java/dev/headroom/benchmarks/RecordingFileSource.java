package dev.headroom.benchmarks;

import dev.headroom.io.FileSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.Set;

/** A FileSource that notes every path read through it, to learn which files one tick reads. */
final class RecordingFileSource implements FileSource {

    private final FileSource delegate;
    final Set<String> read = new LinkedHashSet<>();
    final Set<String> existing = new LinkedHashSet<>();

    RecordingFileSource(FileSource delegate) {
        this.delegate = delegate;
    }

    @Override
    public int read(String path, ByteBuffer dst) throws IOException {
        read.add(path);
        int n = delegate.read(path, dst);
        if (n >= 0) {
            existing.add(path);
        }
        return n;
    }

    @Override
    public boolean isDirectory(String path) {
        return delegate.isDirectory(path);
    }

    @Override
    public void close() {
        delegate.close();
    }

    void clear() {
        read.clear();
        existing.clear();
    }
}
