package dev.headroom.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One file that is read again every sample: its path, a reusable buffer holding the last
 * contents, and why the last read failed. The failure texts for the common cases are built
 * once, so a permanently missing optional file costs no allocation per sample.
 */
public final class SourceFile {

    private static final int MAX_SIZE = 1 << 20;

    private final String path;
    private final String missing;
    private final String garbled;
    /** Null: read at every load; else read again only once per {@link Refresh#due()}. */
    private final Refresh refresh;
    private long loadedIn = -1;
    private ByteBuffer buffer;
    private int length;
    private String problem;

    public SourceFile(String path) {
        this(path, 512);
    }

    public SourceFile(String path, int initialSize) {
        this(path, initialSize, null);
    }

    /** A file whose value rarely changes: read again only when {@code refresh} is {@link Refresh#due() due}. */
    public SourceFile(String path, int initialSize, Refresh refresh) {
        this.refresh = refresh;
        this.path = path;
        this.missing = path + ": missing";
        this.garbled = path + ": not a valid number";
        this.buffer = ByteBuffer.allocate(initialSize);
    }

    /**
     * Reads the whole file; false (with {@link #problem()}) when it is missing or unreadable. A
     * file with a {@link Refresh} that is not due returns the outcome of its last read, unread.
     */
    public boolean load(FileSource source) {
        if (refresh != null) {
            long round = refresh.round();
            if (round == loadedIn) {
                return problem == null;
            }
            loadedIn = round;
        }
        try {
            while (true) {
                int n = source.read(path, buffer);
                if (n < 0) {
                    return fail(missing);
                }
                if (n < buffer.capacity() || buffer.capacity() >= MAX_SIZE) {
                    length = n;
                    problem = null;
                    return true;
                }
                buffer = ByteBuffer.allocate(buffer.capacity() * 2);
            }
        } catch (IOException | RuntimeException e) {
            return fail(path + ": unreadable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private boolean fail(String why) {
        length = 0;
        problem = why;
        return false;
    }

    /** The warning for contents that do not parse, built once. */
    public String garbled() {
        return garbled;
    }

    public String path() {
        return path;
    }

    public byte[] bytes() {
        return buffer.array();
    }

    public int length() {
        return length;
    }

    /** Why the last load failed, or null after a successful load. */
    public String problem() {
        return problem;
    }

    /** The contents as text, for code that is not on the hot path. */
    public String text() {
        return new String(buffer.array(), 0, length, java.nio.charset.StandardCharsets.UTF_8);
    }
}
