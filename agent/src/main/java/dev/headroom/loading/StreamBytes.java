package dev.headroom.loading;

import java.io.IOException;
import java.io.InputStream;

/** A stream's bytes in one exactly sized array: class files and the nested jar, read from the agent jar. */
final class StreamBytes {

    private StreamBytes() {
    }

    /** Reads {@code in} to its end and closes it. */
    static byte[] readAll(InputStream in) throws IOException {
        try {
            // available() is the stored size for a jar entry; capped, since a stream may say anything
            byte[] b = new byte[Math.min(Math.max(in.available(), 8192), 64 << 20)];
            int n = 0;
            for (int k; (k = in.read(b, n, b.length - n)) >= 0; ) {
                n += k;
                if (n == b.length) {
                    int next = in.read();
                    if (next < 0) {
                        return b;
                    }
                    byte[] bigger = new byte[b.length * 2];
                    System.arraycopy(b, 0, bigger, 0, n);
                    b = bigger;
                    b[n++] = (byte) next;
                }
            }
            byte[] exact = new byte[n];
            System.arraycopy(b, 0, exact, 0, n);
            return exact;
        } finally {
            in.close();
        }
    }
}
