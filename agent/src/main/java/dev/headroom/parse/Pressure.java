package dev.headroom.parse;

import java.nio.charset.StandardCharsets;

/**
 * Parses PSI files ({@code memory.pressure}, {@code /proc/pressure/memory}):
 * <pre>
 * some avg10=0.00 avg60=0.00 avg300=0.00 total=0
 * full avg10=0.00 avg60=0.00 avg300=0.00 total=0
 * </pre>
 * Averages are percentages, kept in hundredths; totals are stall microseconds.
 */
public final class Pressure {

    public static final int SOME_AVG10 = 0;
    public static final int SOME_AVG60 = 1;
    public static final int SOME_AVG300 = 2;
    public static final int SOME_TOTAL = 3;
    public static final int FULL_AVG10 = 4;
    public static final int FULL_AVG60 = 5;
    public static final int FULL_AVG300 = 6;
    public static final int FULL_TOTAL = 7;
    public static final int SIZE = 8;

    /** 100.00 percent in hundredths. */
    private static final long MAX_AVERAGE = 100_00;

    private static final byte[] SOME = "some".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FULL = "full".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] FIELDS = {
        "avg10".getBytes(StandardCharsets.US_ASCII),
        "avg60".getBytes(StandardCharsets.US_ASCII),
        "avg300".getBytes(StandardCharsets.US_ASCII),
        "total".getBytes(StandardCharsets.US_ASCII),
    };

    private Pressure() {
    }

    /** Fills {@code out[0..8)}; anything missing or malformed stays {@link Values#UNKNOWN}. */
    public static void parse(byte[] b, int length, long[] out) {
        java.util.Arrays.fill(out, 0, SIZE, Values.UNKNOWN);
        int line = 0;
        while (line < length) {
            int end = line;
            while (end < length && b[end] != '\n') {
                end++;
            }
            int word = token(b, line, end);
            int base = Numbers.equals(b, line, word, SOME) ? SOME_AVG10
                    : Numbers.equals(b, line, word, FULL) ? FULL_AVG10 : -1;
            if (base >= 0 && out[base] == Values.UNKNOWN && out[base + 3] == Values.UNKNOWN) {
                fields(b, word, end, out, base);
            }
            line = end + 1;
        }
    }

    private static void fields(byte[] b, int from, int end, long[] out, int base) {
        int i = from;
        while (i < end) {
            while (i < end && b[i] == ' ') {
                i++;
            }
            int tokenEnd = token(b, i, end);
            int eq = i;
            while (eq < tokenEnd && b[eq] != '=') {
                eq++;
            }
            for (int f = 0; f < FIELDS.length && eq < tokenEnd; f++) {
                if (Numbers.equals(b, i, eq, FIELDS[f])) {
                    out[base + f] = f == 3 ? Numbers.count(b, eq + 1, tokenEnd) : average(b, eq + 1, tokenEnd);
                }
            }
            i = tokenEnd;
        }
    }

    /** A percentage in hundredths: above 100.00 is not a real average, so it is unknown. */
    private static long average(byte[] b, int from, int to) {
        long v = Numbers.hundredths(b, from, to);
        return v > MAX_AVERAGE ? Values.UNKNOWN : v;
    }

    private static int token(byte[] b, int from, int end) {
        while (from < end && b[from] != ' ') {
            from++;
        }
        return from;
    }
}
