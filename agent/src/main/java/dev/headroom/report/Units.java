package dev.headroom.report;

import dev.headroom.parse.Values;

import java.util.Locale;

/** Numbers as a person reads them: "512.0 MiB", "85.2%", "n/a" for unknown. */
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
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (abs < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        if (abs < 1024L * 1024 * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f TiB", bytes / (1024.0 * 1024 * 1024 * 1024));
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
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
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
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** Hundredths of a percent (as PSI is kept) as "12.34%". */
    public static String hundredthsPercent(long hundredths) {
        if (!Values.known(hundredths)) {
            return UNKNOWN;
        }
        return String.format(Locale.ROOT, "%d.%02d%%", hundredths / 100, hundredths % 100);
    }
}
