package dev.headroom.fuzz;

import dev.headroom.parse.Values;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Slow, obvious reference parsers (Strings, regular expressions, BigInteger) that the fast
 * byte parsers must agree with: a fast parser may say "unknown" where the reference finds a
 * value (it may be stricter), never a value the reference does not find.
 */
final class Oracle {

    static final long V1_UNLIMITED_FLOOR = 0x7FFFFFFFFF000000L;
    private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private Oracle() {
    }

    /** One char per byte, so indexes match the byte parsers'. */
    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && space(s.charAt(from))) {
            from++;
        }
        while (to > from && space(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean digits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    static long count(String s) {
        s = strip(s);
        if (!digits(s)) {
            return Values.UNKNOWN;
        }
        BigInteger v = new BigInteger(s);
        return v.compareTo(TWO_63) < 0 ? v.longValue() : Values.UNKNOWN;
    }

    static long limit(String s) {
        s = strip(s);
        if (s.equals("max")) {
            return Values.UNLIMITED;
        }
        if (!digits(s)) {
            return Values.UNKNOWN;
        }
        BigInteger v = new BigInteger(s);
        if (v.compareTo(TWO_64) >= 0) {
            return Values.UNKNOWN;
        }
        return v.compareTo(BigInteger.valueOf(V1_UNLIMITED_FLOOR)) >= 0 ? Values.UNLIMITED : v.longValue();
    }

    static long signed(String s) {
        s = strip(s);
        boolean negative = s.startsWith("-");
        String rest = negative ? s.substring(1) : s;
        if (!digits(rest)) {
            return Values.UNKNOWN;
        }
        long v = count(rest);
        return v == Values.UNKNOWN ? v : negative ? -v : v;
    }

    /** A decimal with up to two fraction digits, in hundredths. */
    static long hundredths(String s) {
        s = strip(s);
        if (!s.matches("[0-9]+(\\.[0-9]{1,2})?")) {
            return Values.UNKNOWN;
        }
        int dot = s.indexOf('.');
        String whole = dot < 0 ? s : s.substring(0, dot);
        String fraction = dot < 0 ? "00" : (s.substring(dot + 1) + "0").substring(0, 2);
        BigInteger v = new BigInteger(whole).multiply(BigInteger.valueOf(100)).add(new BigInteger(fraction));
        return v.compareTo(TWO_63) < 0 ? v.longValue() : Values.UNKNOWN;
    }

    /** The value of the first line whose first token (up to a blank or tab) is the key. */
    static long keyValue(String text, String key) {
        for (String line : text.split("\n", -1)) {
            int keyEnd = 0;
            while (keyEnd < line.length() && line.charAt(keyEnd) != ' ' && line.charAt(keyEnd) != '\t') {
                keyEnd++;
            }
            if (!line.substring(0, keyEnd).equals(key)) {
                continue;
            }
            String v = strip(line.substring(keyEnd));
            if (v.length() >= 3 && v.endsWith("kB") && space(v.charAt(v.length() - 3))) {
                long kb = count(v.substring(0, v.length() - 2));
                return kb == Values.UNKNOWN || kb > Long.MAX_VALUE / 1024 ? Values.UNKNOWN : kb * 1024;
            }
            return count(v);
        }
        return Values.UNKNOWN;
    }
}
