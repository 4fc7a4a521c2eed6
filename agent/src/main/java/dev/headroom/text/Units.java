package dev.headroom.text;

import dev.headroom.parse.Values;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Numbers as a person reads them: "512.0 MiB", "85.2%", "n/a" for unknown. No
 * {@code String.format}: its first call loads the JDK's locale data, ~240 KiB of heap kept for
 * good (measured), a quarter of the agent's whole footprint.
 */
public final class Units {

    public static final String UNKNOWN = "n/a";

    private Units() {
    }

    /** A count, or "n/a". */
    public static String count(long value) {
        return Values.known(value) ? Long.toString(value) : UNKNOWN;
    }

    public static String bytes(long bytes) {
        if (bytes == Values.UNKNOWN) {
            return UNKNOWN;
        }
        if (bytes == Values.UNLIMITED) {
            return "unlimited";
        }
        long abs = Math.abs(bytes);
        if (abs < 1024) {
            return bytes + " B";
        }
        if (abs < 1024L * 1024) {
            return fixed(bytes / 1024.0, 1) + " KiB";
        }
        if (abs < 1024L * 1024 * 1024) {
            return fixed(bytes / (1024.0 * 1024), 1) + " MiB";
        }
        if (abs < 1024L * 1024 * 1024 * 1024) {
            return fixed(bytes / (1024.0 * 1024 * 1024), 2) + " GiB";
        }
        return fixed(bytes / (1024.0 * 1024 * 1024 * 1024), 2) + " TiB";
    }

    /** A rate in bytes per second, signed: "+12.0 MiB/s". */
    public static String rate(double bytesPerSecond) {
        if (Double.isNaN(bytesPerSecond)) {
            return UNKNOWN;
        }
        String sign = bytesPerSecond >= 0 ? "+" : "-";
        return sign + bytes(Math.round(Math.abs(bytesPerSecond))) + "/s";
    }

    public static String percent(double ratio) {
        if (Double.isNaN(ratio)) {
            return UNKNOWN;
        }
        return fixed(ratio * 100, 1) + "%";
    }

    /** Seconds as "0.4s", "45s", "3m20s", "2h05m". */
    public static String duration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return UNKNOWN;
        }
        // fast growth is warned about with less than a second left: say how much less
        if (seconds < 0.05) {
            return "<0.1s";
        }
        if (seconds < 0.95) {
            return fixed(seconds, 1) + "s";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + twoDigits(s % 60) + "s";
        }
        return (s / 3600) + "h" + twoDigits((s % 3600) / 60) + "m";
    }

    /** Hundredths of a percent (as PSI is kept) as "12.34%". */
    public static String hundredthsPercent(long hundredths) {
        if (!Values.known(hundredths)) {
            return UNKNOWN;
        }
        return (hundredths / 100) + "." + twoDigits(hundredths % 100) + "%";
    }

    /**
     * {@code value} with {@code decimals} digits after the point, rounded half up from its
     * shortest decimal form: what {@code String.format("%.1f")} prints, without the locale data.
     */
    static String fixed(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return UNKNOWN;
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }

    private static String twoDigits(long value) {
        return zeroPad(Long.toString(value), 2);
    }

    /** {@code digits} with zeros in front up to {@code width}: "07", "0a", "0042". */
    public static String zeroPad(String digits, int width) {
        if (digits.length() >= width) {
            return digits;
        }
        StringBuilder out = new StringBuilder(width);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits).toString();
    }

    /** {@code value} in lower-case hex, zero-padded to {@code digits}: "0a" (escapes in JSON and messages). */
    public static String hex(int value, int digits) {
        return zeroPad(Integer.toHexString(value), digits);
    }
}
