package dev.headroom.parse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static dev.headroom.parse.Values.UNKNOWN;
import static dev.headroom.parse.Values.UNLIMITED;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NumbersTest {

    private static long count(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return Numbers.count(b, 0, b.length);
    }

    private static long limit(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return Numbers.limit(b, 0, b.length);
    }

    private static long u64(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return Numbers.u64(b, 0, b.length);
    }

    private static long signed(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return Numbers.signed(b, 0, b.length);
    }

    private static long hundredths(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return Numbers.hundredths(b, 0, b.length);
    }

    @Test
    void countEdges() {
        assertEquals(0, count("0"));
        assertEquals(1, count("1"));
        assertEquals(268435456L, count("268435456"));
        assertEquals(Long.MAX_VALUE, count("9223372036854775807"));
        assertEquals(Long.MAX_VALUE - 1, count("9223372036854775806"));
        // 2^63 and above are valid u64 but no real byte count: unknown, never negative
        assertEquals(UNKNOWN, count("9223372036854775808"));
        assertEquals(UNKNOWN, count("18446744073709551615"));
        assertEquals(UNKNOWN, count("18446744073709551616"));
        assertEquals(UNKNOWN, count("99999999999999999999"));
        assertEquals(UNKNOWN, count("123456789012345678901"));
    }

    @Test
    void u64Range() {
        assertEquals(0, u64("0"));
        assertEquals(Long.MAX_VALUE, u64("9223372036854775807"));
        assertEquals(Numbers.HUGE, u64("9223372036854775808"));
        assertEquals(Numbers.HUGE, u64("18446744073709551615"));
        assertEquals(Numbers.HUGE, u64("10000000000000000000"));
        assertEquals(UNKNOWN, u64("18446744073709551616"));
        assertEquals(UNKNOWN, u64("18446744073709551620"));
        assertEquals(UNKNOWN, u64("28446744073709551615"));
    }

    @Test
    void whitespaceAroundNumbersIsIgnored() {
        assertEquals(42, count("42\n"));
        assertEquals(42, count("  42 \n"));
        assertEquals(42, count("\t42\r\n"));
        assertEquals(4096, limit("4096\n"));
        assertEquals(UNLIMITED, limit("max\n"));
        assertEquals(UNLIMITED, limit(" max "));
        assertEquals(-500, signed("-500\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "   ", "abc", "12a", "a12", "4 2", "0x10", "+5", "-1", "1e3", "1.5", "12,3", "MAX", "maxx", "-"})
    void garbageIsUnknownAsCount(String s) {
        assertEquals(UNKNOWN, count(s), () -> "count(\"" + s + "\")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "abc", "12a", "4 2", "-1", "-4096", "+5", "MAX", "max1", "1.5", "18446744073709551616", "99999999999999999999"})
    void garbageIsUnknownAsLimit(String s) {
        assertEquals(UNKNOWN, limit(s), () -> "limit(\"" + s + "\")");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "max",
        "9223372036854771712",   // Long.MAX rounded down to a 4 KiB page
        "9223372036854710272",   // 64 KiB pages
        "9223372036854775807",   // old kernels: Long.MAX itself
        "9223372036854775808",   // 2^63
        "18446744073709551615",  // 2^64 - 1
        "9223372036837998592",   // 0x7FFFFFFFFF000000: the floor itself
    })
    void unlimitedForms(String s) {
        assertEquals(UNLIMITED, limit(s), () -> "limit(\"" + s + "\")");
        assertEquals(UNLIMITED, limit(s + "\n"), () -> "limit(\"" + s + "\\n\")");
    }

    @Test
    void limitsBelowTheUnlimitedFloorAreReal() {
        assertEquals(0, limit("0"));
        assertEquals(268435456L, limit("268435456"));
        assertEquals(0x7FFFFFFFFEFFFFFFL, limit("9223372036837998591"));
        assertEquals(16762257408L, limit("16762257408"));
    }

    @Test
    void asLimitMapsThePageRoundedMaximumToUnlimited() {
        assertEquals(UNLIMITED, Numbers.asLimit(9223372036854771712L));
        assertEquals(UNLIMITED, Numbers.asLimit(9223372036854710272L));
        assertEquals(UNLIMITED, Numbers.asLimit(Long.MAX_VALUE));
        assertEquals(UNKNOWN, Numbers.asLimit(UNKNOWN));
        assertEquals(268435456L, Numbers.asLimit(268435456L));
        assertEquals(0, Numbers.asLimit(0));
    }

    @Test
    void signedValues() {
        assertEquals(0, signed("0"));
        assertEquals(-1000, signed("-1000"));
        assertEquals(1000, signed("1000"));
        assertEquals(-997, signed("-997\n"));
        assertEquals(UNKNOWN, signed("-"));
        assertEquals(UNKNOWN, signed("--1"));
        assertEquals(UNKNOWN, signed("- 1"));
        assertEquals(UNKNOWN, signed(""));
        assertEquals(UNKNOWN, signed("abc"));
        assertEquals(UNKNOWN, signed("1-"));
    }

    @Test
    void hundredthsOfPsiAverages() {
        assertEquals(1234, hundredths("12.34"));
        assertEquals(50, hundredths("0.5"));
        assertEquals(5, hundredths("0.05"));
        assertEquals(0, hundredths("0.00"));
        assertEquals(10000, hundredths("100.00"));
        assertEquals(700, hundredths("7"));
        assertEquals(1234, hundredths(" 12.34\n"));
        assertEquals(UNKNOWN, hundredths("1.234"), "three fraction digits are not PSI");
        assertEquals(UNKNOWN, hundredths("1."));
        assertEquals(UNKNOWN, hundredths(".5"));
        assertEquals(UNKNOWN, hundredths("-1.00"));
        assertEquals(UNKNOWN, hundredths("1.2a"));
        assertEquals(UNKNOWN, hundredths("1.-2"));
        assertEquals(UNKNOWN, hundredths("a.12"));
        assertEquals(UNKNOWN, hundredths(""));
        assertEquals(UNKNOWN, hundredths("1.2.3"));
    }

    @Test
    void parsingStaysWithinTheGivenRange() {
        byte[] b = "xx123yy 9".getBytes(StandardCharsets.US_ASCII);
        assertEquals(123, Numbers.count(b, 2, 5));
        assertEquals(12, Numbers.count(b, 2, 4));
        assertEquals(9, Numbers.count(b, 7, 9));
        assertEquals(UNKNOWN, Numbers.count(b, 0, 5));
        byte[] m = "limit=max;".getBytes(StandardCharsets.US_ASCII);
        assertEquals(UNLIMITED, Numbers.limit(m, 6, 9));
        assertEquals(UNKNOWN, Numbers.limit(m, 6, 10));
    }
}
