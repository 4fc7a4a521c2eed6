package dev.headroom.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The kinds of configuration value: how each is validated and read. */
public enum Kind {
    BOOLEAN("true or false"),
    DURATION("a duration such as 250ms, 2s or 1m (at least 10ms)"),
    RATIO("a number between 0 and 1, such as 0.85"),
    PERCENT("a percentage between 0 and 100, such as 10"),
    CHOICE("one of"),
    LIST("a comma-separated list of"),
    PATH("a file path");

    private final String expected;

    Kind(String expected) {
        this.expected = expected;
    }

    /** What is allowed, or null when the value is fine. */
    String check(String value, List<String> choices) {
        switch (this) {
            case BOOLEAN:
                return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null : expected;
            case DURATION:
                long millis = millisOrNegative(value);
                return millis >= 10 ? null : expected;
            case RATIO:
                return number(value, 0, 1) ? null : expected;
            case PERCENT:
                return number(value, 0, 100) ? null : expected;
            case CHOICE:
                return choices.contains(value.toLowerCase(Locale.ROOT)) ? null : expected + " " + String.join(", ", choices);
            case LIST:
                for (String item : value.split("\\s*,\\s*")) {
                    if (!item.isEmpty() && !choices.contains(item.toLowerCase(Locale.ROOT))) {
                        return expected + " " + String.join(", ", choices);
                    }
                }
                return null;
            default:
                return value.indexOf('\0') < 0 ? null : expected;
        }
    }

    /**
     * A valid value (see {@link #check}) as what its accessor returns: Boolean, Long (duration in
     * milliseconds), Double, the choice in lower case, an unmodifiable List of choices, or the path.
     * Done once, when the configuration is read: nothing parses a setting again.
     */
    Object value(String value) {
        switch (this) {
            case BOOLEAN:
                return bool(value);
            case DURATION:
                return millis(value);
            case RATIO:
            case PERCENT:
                return Double.parseDouble(value);
            case CHOICE:
                return value.toLowerCase(Locale.ROOT);
            case LIST:
                List<String> items = new ArrayList<>();
                for (String item : value.split("\\s*,\\s*")) {
                    if (!item.isEmpty()) {
                        items.add(item.toLowerCase(Locale.ROOT));
                    }
                }
                return Collections.unmodifiableList(items);
            default:
                return value;
        }
    }

    private static boolean number(String value, double min, double max) {
        try {
            double d = Double.parseDouble(value);
            return d >= min && d <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Digits with at most a decimal point, and not empty: no regular expression (read at agent start). */
    private static boolean digitsAndDot(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }

    static boolean bool(String value) {
        return Boolean.parseBoolean(value.trim());
    }

    static long millis(String value) {
        return millisOrNegative(value);
    }

    /** 250ms, 2s, 1.5s, 1m, 1h; a bare number is seconds; -1 when malformed. */
    static long millisOrNegative(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        double unit;
        String number;
        if (v.endsWith("ms")) {
            unit = 1;
            number = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            unit = 1000;
            number = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            unit = 60_000;
            number = v.substring(0, v.length() - 1);
        } else if (v.endsWith("h")) {
            unit = 3_600_000;
            number = v.substring(0, v.length() - 1);
        } else {
            unit = 1000;
            number = v;
        }
        try {
            double d = Double.parseDouble(number.trim());
            if (Double.isNaN(d) || d < 0 || d * unit > Long.MAX_VALUE / 2 || !digitsAndDot(number.trim())) {
                return -1;
            }
            return Math.round(d * unit);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
