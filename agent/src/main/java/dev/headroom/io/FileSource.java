package dev.headroom.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where every byte headroom reads comes from: the real filesystem, or a fake in tests
 * (fixture trees, fault injection). Paths are absolute paths on the host.
 */
public interface FileSource {

    /**
     * Reads the file from offset 0 into {@code dst} (a heap buffer, cleared first) until end of file or until
     * {@code dst} is full. Returns the number of bytes read, or -1 when the file does not exist.
     *
     * @throws IOException any other failure (permission, I/O error, a removed cgroup)
     */
    int read(String path, ByteBuffer dst) throws IOException;

    boolean isDirectory(String path);

    /** Releases what the source keeps open. */
    void close();
}
