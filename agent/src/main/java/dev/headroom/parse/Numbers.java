package dev.headroom.parse;

/**
 * Parses decimal numbers straight from the bytes of a kernel file, without building Strings.
 * Kernel counters are u64: anything at or above 2^63 cannot be a real byte count, so it is
 * unknown as a count and unlimited as a limit.
 */
public final class Numbers {

    /** v1 reports "no limit" as Long.MAX rounded down to a page; any page size up to 16 MiB. */
    static final long V1_UNLIMITED_FLOOR = 0x7FFFFFFFFF000000L;

    /** Returned by {@link #u64} for a valid u64 at or above 2^63. */
    static final long HUGE = Long.MIN_VALUE + 1;

    private static final byte[] MAX_WORD = {'m', 'a', 'x'};
    private static final byte[] U64_MAX = "18446744073709551615".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Numbers() {
    }

    /** A byte count or counter: a non-negative number below 2^63, else {@link Values#UNKNOWN}. */
    public static long count(byte[] b, int from, int to) {
        long v = u64(b, from, to);
        return v == HUGE ? Values.UNKNOWN : v;
    }

    /**
     * A memory limit: {@code max}, or a number where anything at or above the v1 unlimited
     * floor (or 2^63..2^64-1) means {@link Values#UNLIMITED}.
     */
    public static long limit(byte[] b, int from, int to) {
        from = skipSpace(b, from, to);
        to = trimEnd(b, from, to);
        if (equals(b, from, to, MAX_WORD)) {
            return Values.UNLIMITED;
        }
        long v = u64(b, from, to);
        if (v == HUGE || (v != Values.UNKNOWN && v >= V1_UNLIMITED_FLOOR)) {
            return Values.UNLIMITED;
        }
        return v;
    }

    /** A value read as a count that stands for a limit (v1's page-rounded Long.MAX is "no limit"). */
    public static long asLimit(long value) {
        return value != Values.UNKNOWN && value >= V1_UNLIMITED_FLOOR ? Values.UNLIMITED : value;
    }

    /** A signed decimal such as oom_score_adj; {@link Values#UNKNOWN} when not a number in range. */
    public static long signed(byte[] b, int from, int to) {
        from = skipSpace(b, from, to);
        to = trimEnd(b, from, to);
        boolean negative = from < to && b[from] == '-';
        long v = count(b, negative ? from + 1 : from, to);
        if (v == Values.UNKNOWN || (negative && (from + 1 == to || isSpace(b[from + 1])))) {
            return Values.UNKNOWN;
        }
        return negative ? -v : v;
    }

    /**
     * Parses an unsigned decimal: {@link Values#UNKNOWN} for empty input, a sign, any other
     * character, or a value above 2^64-1; {@link #HUGE} for 2^63..2^64-1.
     */
    static long u64(byte[] b, int from, int to) {
        from = skipSpace(b, from, to);
        to = trimEnd(b, from, to);
        int digits = to - from;
        if (digits <= 0 || digits > 20) {
            return Values.UNKNOWN;
        }
        long v = 0;
        boolean huge = false;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return Values.UNKNOWN;
            }
            if (!huge && v > (Long.MAX_VALUE - d) / 10) {
                huge = true;
            }
            v = v * 10 + d;
        }
        if (!huge) {
            return v;
        }
        if (digits == 20 && compare(b, from, U64_MAX) > 0) {
            return Values.UNKNOWN;
        }
        return HUGE;
    }

    /**
     * A decimal with up to two fraction digits (PSI averages such as {@code 12.34}) in
     * hundredths; {@link Values#UNKNOWN} when malformed.
     */
    public static long hundredths(byte[] b, int from, int to) {
        from = skipSpace(b, from, to);
        to = trimEnd(b, from, to);
        int dot = from;
        while (dot < to && b[dot] != '.') {
            dot++;
        }
        for (int i = from; i < to; i++) {
            if (isSpace(b[i])) {
                // "1 .5" or "12. 5" is not a number (the parts would otherwise be trimmed one by one)
                return Values.UNKNOWN;
            }
        }
        long whole = count(b, from, dot);
        if (whole == Values.UNKNOWN || whole > Long.MAX_VALUE / 1000) {
            return Values.UNKNOWN;
        }
        long fraction = 0;
        if (dot < to) {
            int n = to - dot - 1;
            if (n < 1 || n > 2) {
                return Values.UNKNOWN;
            }
            fraction = count(b, dot + 1, to);
            if (fraction == Values.UNKNOWN) {
                return Values.UNKNOWN;
            }
            if (n == 1) {
                fraction *= 10;
            }
        }
        return whole * 100 + fraction;
    }

    static int skipSpace(byte[] b, int from, int to) {
        while (from < to && isSpace(b[from])) {
            from++;
        }
        return from;
    }

    static int trimEnd(byte[] b, int from, int to) {
        while (to > from && isSpace(b[to - 1])) {
            to--;
        }
        return to;
    }

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    static boolean equals(byte[] b, int from, int to, byte[] word) {
        if (to - from != word.length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (b[from + i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    private static int compare(byte[] b, int from, byte[] digits) {
        for (int i = 0; i < digits.length; i++) {
            int c = Byte.compare(b[from + i], digits[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
