package dev.headroom.parse;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.headroom.parse.Values.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class PressureTest {

    private static long[] parse(String text) {
        long[] out = new long[Pressure.SIZE];
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        Pressure.parse(b, b.length, out);
        return out;
    }

    @Test
    void bothLines() {
        String psi = "some avg10=12.34 avg60=0.50 avg300=1.07 total=123456789\n"
                + "full avg10=0.00 avg60=60.01 avg300=100.00 total=42\n";
        assertArrayEquals(new long[] {1234, 50, 107, 123456789, 0, 6001, 10000, 42}, parse(psi));
    }

    @Test
    void onlySomeLine() {
        assertArrayEquals(new long[] {100, 200, 300, 7, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN},
                parse("some avg10=1.00 avg60=2.00 avg300=3.00 total=7\n"));
    }

    @Test
    void fieldsAreFoundByNameNotPosition() {
        assertArrayEquals(new long[] {150, UNKNOWN, 25, 9, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN},
                parse("some total=9 avg300=0.25 avg10=1.50 avg1=7.00 avg600=8.00\n"));
    }

    @Test
    void malformedFieldsStayUnknownAndOthersSurvive() {
        assertArrayEquals(new long[] {UNKNOWN, 50, UNKNOWN, UNKNOWN, 0, 0, 0, 0},
                parse("some avg10=abc avg60=0.5 avg300=1.234 total=-5\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"));
    }

    @Test
    void firstLineOfAKindWinsAndUnknownLinesAreIgnored() {
        assertArrayEquals(new long[] {100, 100, 100, 1, 200, 200, 200, 2},
                parse("somex avg10=9.00 avg60=9.00 avg300=9.00 total=9\n"
                        + "some avg10=1.00 avg60=1.00 avg300=1.00 total=1\n"
                        + "some avg10=5.00 avg60=5.00 avg300=5.00 total=5\n"
                        + "full avg10=2.00 avg60=2.00 avg300=2.00 total=2\n"
                        + "full avg10=6.00 avg60=6.00 avg300=6.00 total=6\n"));
    }

    @Test
    void emptyOrGarbage() {
        long[] none = {UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN};
        assertArrayEquals(none, parse(""));
        assertArrayEquals(none, parse("garbage\n\n\n"));
        assertArrayEquals(none, parse("some\nfull\n"));
    }

    @Test
    void hugeTotalIsUnknownNotNegative() {
        long[] out = parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=18446744073709551615\n");
        assertArrayEquals(new long[] {0, 0, 0, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN}, out);
    }
}
