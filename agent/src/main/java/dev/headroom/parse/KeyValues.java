package dev.headroom.parse;

import java.nio.charset.StandardCharsets;

/**
 * Reads the "key value" lines of files such as {@code memory.stat}, {@code memory.events},
 * {@code memory.oom_control}, {@code /proc/meminfo} and {@code /proc/self/status}. Keys match
 * exactly (never by prefix: {@code oom} is not {@code oom_kill}, {@code anon} is not
 * {@code anon_thp}); unknown keys are ignored; the first occurrence of a key wins; a value
 * followed by {@code kB} is converted to bytes.
 */
public final class KeyValues {

    private final byte[][] keys;
    private final String[] names;

    /** Keys as they appear before the value, e.g. {@code "total_rss"} or {@code "VmRSS:"}. */
    public KeyValues(String... keys) {
        this.names = keys.clone();
        this.keys = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            this.keys[i] = keys[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    public int size() {
        return keys.length;
    }

    public String name(int index) {
        return names[index];
    }

    /** One warning per key, "PATH: no valid KEY", built once so a missing key costs nothing per sample. */
    public String[] missingWarnings(String path) {
        String[] messages = new String[names.length];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = path + ": no valid " + names[i];
        }
        return messages;
    }

    /** Fills {@code out[i]} with the value of key i, or {@link Values#UNKNOWN}. */
    public void parse(byte[] b, int length, long[] out) {
        java.util.Arrays.fill(out, 0, keys.length, Values.UNKNOWN);
        boolean[] seen = null;
        int line = 0;
        while (line < length) {
            int end = line;
            while (end < length && b[end] != '\n') {
                end++;
            }
            int keyEnd = line;
            while (keyEnd < end && b[keyEnd] != ' ' && b[keyEnd] != '\t') {
                keyEnd++;
            }
            int index = indexOf(b, line, keyEnd);
            if (index >= 0 && out[index] == Values.UNKNOWN) {
                if (seen == null || !seen[index]) {
                    out[index] = value(b, keyEnd, end);
                    if (out[index] == Values.UNKNOWN) {
                        // a garbled first occurrence stays unknown: a later duplicate is not trusted either
                        if (seen == null) {
                            seen = new boolean[keys.length];
                        }
                        seen[index] = true;
                    }
                }
            }
            line = end + 1;
        }
    }

    private int indexOf(byte[] b, int from, int to) {
        for (int k = 0; k < keys.length; k++) {
            if (Numbers.equals(b, from, to, keys[k])) {
                return k;
            }
        }
        return -1;
    }

    private static long value(byte[] b, int from, int to) {
        to = Numbers.trimEnd(b, from, to);
        boolean kilobytes = to - from >= 3 && b[to - 2] == 'k' && b[to - 1] == 'B' && Numbers.isSpace(b[to - 3]);
        if (kilobytes) {
            long kb = Numbers.count(b, from, to - 3);
            return kb == Values.UNKNOWN || kb > Long.MAX_VALUE / 1024 ? Values.UNKNOWN : kb * 1024;
        }
        return Numbers.count(b, from, to);
    }
}
