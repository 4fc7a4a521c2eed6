package dev.headroom.text;

import dev.headroom.parse.Values;

import java.util.List;

/**
 * A minimal JSON writer: objects, arrays, strings, integers, decimals, booleans and null.
 * Unknown numbers and non-finite decimals are written as null, so the output is always valid.
 */
public final class JsonWriter {

    private final StringBuilder out;
    private boolean first = true;

    public JsonWriter(StringBuilder out) {
        this.out = out;
    }

    /** Writes more fields into an object already begun elsewhere: the first field gets a comma. */
    public static JsonWriter continuing(StringBuilder out) {
        JsonWriter w = new JsonWriter(out);
        w.first = false;
        return w;
    }

    /** Starts an array under key; add objects with {@link #element()}, close with {@link #endArray()}. */
    public JsonWriter array(String key) {
        key(key);
        out.append('[');
        first = true;
        return this;
    }

    /** Starts an object inside an array. */
    public JsonWriter element() {
        if (!first) {
            out.append(',');
        }
        return begin();
    }

    public JsonWriter endArray() {
        out.append(']');
        first = false;
        return this;
    }

    public JsonWriter begin() {
        out.append('{');
        first = true;
        return this;
    }

    public JsonWriter end() {
        out.append('}');
        first = false;
        return this;
    }

    private JsonWriter key(String key) {
        if (!first) {
            out.append(',');
        }
        first = false;
        string(key);
        out.append(':');
        return this;
    }

    /** An integer; {@link Values#UNKNOWN} and {@link Values#UNLIMITED} become null. */
    public JsonWriter number(String key, long value) {
        key(key);
        if (Values.limited(value)) {
            out.append(value);
        } else {
            out.append("null");
        }
        return this;
    }

    /** A decimal rounded to 4 places; NaN and infinities become null. */
    public JsonWriter decimal(String key, double value) {
        key(key);
        decimal(value);
        return this;
    }

    private void decimal(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            out.append("null");
        } else {
            double rounded = Math.round(value * 10000) / 10000.0;
            if (rounded == Math.rint(rounded) && Math.abs(rounded) < 1e15) {
                out.append((long) rounded);
            } else {
                // plain notation: 21404924.5188, not 2.14049245188E7
                out.append(java.math.BigDecimal.valueOf(rounded).stripTrailingZeros().toPlainString());
            }
        }
    }

    public JsonWriter bool(String key, boolean value) {
        key(key);
        out.append(value);
        return this;
    }

    public JsonWriter string(String key, String value) {
        key(key);
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    public JsonWriter strings(String key, List<String> values) {
        key(key).out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(values.get(i));
        }
        out.append(']');
        return this;
    }

    public JsonWriter nul(String key) {
        key(key);
        out.append("null");
        return this;
    }

    /** Starts a nested object under key; close it with {@link #end()}. */
    public JsonWriter object(String key) {
        key(key);
        return begin();
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF && !validSurrogate(s, i))) {
                        out.append("\\u").append(Units.hex(c, 4));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
