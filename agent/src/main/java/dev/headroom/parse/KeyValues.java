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
        if (keys.length > 64) {
            throw new IllegalArgumentException("at most 64 keys");
        }
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

    /**
     * Fills {@code out[i]} with the value of key i, or {@link Values#UNKNOWN}. One pass over each
     * line, and none past the line where the last wanted key was found. This runs every tick; the
     * loops over bytes are in methods of their own ({@link #keyEnd}, {@link #lineEnd}), called
     * once per line: the JIT counts invocations, so they are compiled after a few ticks, where a
     * loop inside this method (called once per tick) would run interpreted for minutes.
     */
    public void parse(byte[] b, int length, long[] out) {
        java.util.Arrays.fill(out, 0, keys.length, Values.UNKNOWN);
        // keys whose first occurrence was seen (a garbled one stays unknown: a later duplicate is not trusted either)
        long decided = 0;
        int left = keys.length;
        int line = 0;
        while (line < length && left > 0) {
            int keyEnd = keyEnd(b, line, length);
            int index = indexOf(b, line, keyEnd);
            int end = lineEnd(b, keyEnd, length);
            if (index >= 0 && (decided & 1L << index) == 0) {
                decided |= 1L << index;
                left--;
                out[index] = value(b, keyEnd, end);
            }
            line = end + 1;
        }
    }

    /** The end of the key that starts at {@code from}: the first blank, tab or newline. */
    private static int keyEnd(byte[] b, int from, int length) {
        int i = from;
        while (i < length && b[i] != ' ' && b[i] != '\t' && b[i] != '\n') {
            i++;
        }
        return i;
    }

    /** The index of the newline that ends the line containing {@code from}, or {@code length}. */
    private static int lineEnd(byte[] b, int from, int length) {
        int i = from;
        while (i < length && b[i] != '\n') {
            i++;
        }
        return i;
    }

    private int indexOf(byte[] b, int from, int to) {
        int length = to - from;
        for (int k = 0; k < keys.length; k++) {
            byte[] key = keys[k];
            // length and first byte inline: most lines are no key of ours
            if (key.length == length && key[0] == b[from] && Numbers.equals(b, from, to, key)) {
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
