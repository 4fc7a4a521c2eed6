package dev.headroom.runtime;

import dev.headroom.analysis.Thresholds;
import dev.headroom.text.Units;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's settings, merged from agent arguments ({@code key=value,...}), system properties
 * ({@code headroom.key}) and environment variables ({@code HEADROOM_KEY}), in that order of
 * precedence. Every value is validated; a bad one yields one problem line naming the key, the
 * value and what is allowed, and the default is used.
 */
public final class Config {

    public enum LogTarget { STDERR, JUL, NONE }

    public enum Format { TEXT, JSON }

    /** Every key with its default and what it accepts, in the order --help lists them. */
    static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        key("enabled", "true", Kind.BOOLEAN, "turn the agent off entirely");
        key("interval", "1s", Kind.DURATION, "time between samples while healthy");
        key("fastInterval", "250ms", Kind.DURATION, "time between samples at WARNING or above, within 10 points of warn, or while the limit is predicted within horizon");
        key("warn", "0.85", Kind.RATIO, "utilization (working set / limit) that raises WARNING");
        key("critical", "0.95", Kind.RATIO, "utilization that raises CRITICAL");
        key("hysteresis", "0.05", Kind.RATIO, "how far utilization must fall below a threshold before the level drops");
        key("horizon", "60s", Kind.DURATION, "warn when the trend predicts the limit within this time");
        key("window", "30s", Kind.DURATION, "sliding window of the growth-rate estimate");
        key("pressureSome", "10", Kind.PERCENT, "PSI 'some avg10' (percent) that raises WARNING");
        key("pressureFull", "5", Kind.PERCENT, "PSI 'full avg10' (percent) that raises CRITICAL");
        key("repeat", "30s", Kind.DURATION, "how often an unchanged WARNING or CRITICAL state is logged again");
        key("log", "stderr", Kind.CHOICE, "where lines go: stderr, jul (java.util.logging logger 'headroom') or none", "stderr", "jul", "none");
        key("format", "text", Kind.CHOICE, "log line format: text or json (one object per line)", "text", "json");
        key("jmx", "true", Kind.BOOLEAN, "register both MXBeans: dev.headroom:type=ContainerMemory and dev.headroom:type=JvmMemory");
        key("jmxDelay", "5s", Kind.DURATION, "register the MXBeans after this delay unless the application creates the platform MBean server first");
        key("micrometer", "true", Kind.BOOLEAN, "bind meters into the application's Micrometer registries");
        key("jfr", "true", Kind.BOOLEAN, "emit Flight Recorder events (Java 11+) into running recordings; until one starts, only a listener is added");
        key("terminationMessage", "", Kind.PATH, "file to keep a summary of the latest WARNING/CRITICAL in (e.g. /dev/termination-log); off when empty");
        key("onCritical", "", Kind.LIST, "diagnostics logged once per CRITICAL episode: threads, histogram, nmt", "threads", "histogram", "nmt");
        key("relief", "", Kind.LIST, "give memory back when the kill is near (CRITICAL, or the limit within seconds), once per episode: heap (return the emptied heap: heap free ratios or SoftMaxHeapSize lowered, one full GC), native (trim glibc's malloc arenas)", "heap", "native");
        key("readinessFile", "", Kind.PATH, "file that exists while the level is below CRITICAL: removed at CRITICAL, back at OK (a Kubernetes exec readiness probe: test -f PATH); off when empty");
        key("root", "/", Kind.PATH, "directory standing for / when reading files (captured trees, tests)");
    }

    /** Each key's value as written (or its default), for {@link #get}. */
    private final Map<String, String> values;
    /** Each key's value parsed once by its {@link Kind} ({@link Kind#value}): what the accessors return. */
    private final Map<String, Object> typed = new HashMap<>();
    private final List<String> problems;

    private Config(Map<String, String> values, List<String> problems) {
        this.values = values;
        this.problems = Collections.unmodifiableList(problems);
        for (Map.Entry<String, String> e : values.entrySet()) {
            typed.put(e.getKey(), KEYS.get(e.getKey()).kind.value(e.getValue()));
        }
    }

    /** The defaults. */
    public static Config defaults() {
        return parse(null, Collections.<String, String>emptyMap(), Collections.<String, String>emptyMap());
    }

    /** Configuration as the agent sees it: arguments, then this JVM's system properties, then its environment. */
    public static Config load(String agentArgs) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("headroom.")) {
                props.put(name, System.getProperty(name));
            }
        }
        return parse(agentArgs, props, System.getenv());
    }

    public static Config parse(String agentArgs, Map<String, String> systemProperties, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Map<String, String> raw = new LinkedHashMap<>();
        // lowest precedence first, so later sources overwrite
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String key = fromEnvironment(e.getKey());
            if (key != null) {
                raw.put(key, e.getValue());
            }
        }
        for (Map.Entry<String, String> e : systemProperties.entrySet()) {
            if (e.getKey().startsWith("headroom.")) {
                String name = e.getKey().substring("headroom.".length());
                if (name.indexOf('.') >= 0) {
                    continue; // headroom.agent.active and other namespaced properties are not settings
                }
                String key = canonical(name);
                if (key == null) {
                    problems.add(unknownKey("system property headroom." + printable(name)));
                } else {
                    raw.put(key, e.getValue());
                }
            }
        }
        for (Map.Entry<String, String> e : splitArguments(agentArgs, problems).entrySet()) {
            String key = canonical(e.getKey());
            if (key == null) {
                problems.add(unknownKey("agent argument '" + printable(e.getKey()) + "'"));
            } else {
                raw.put(key, e.getValue());
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Key key : KEYS.values()) {
            String value = raw.get(key.name);
            String problem = value == null ? null : key.check(value.trim());
            if (problem != null) {
                problems.add("bad value '" + printable(value) + "' for " + key.name + ": expected " + problem + "; using "
                        + (key.defaultValue.isEmpty() ? "none" : key.defaultValue));
                value = null;
            }
            values.put(key.name, value == null ? key.defaultValue : value.trim());
        }
        if ((Double) Kind.RATIO.value(values.get("critical")) < (Double) Kind.RATIO.value(values.get("warn"))) {
            problems.add("critical (" + values.get("critical") + ") is below warn (" + values.get("warn")
                    + "); using warn " + KEYS.get("warn").defaultValue + " and critical " + KEYS.get("critical").defaultValue);
            values.put("warn", KEYS.get("warn").defaultValue);
            values.put("critical", KEYS.get("critical").defaultValue);
        }
        return new Config(values, problems);
    }

    /**
     * {@code key=value,key=value}; a part without '=' continues the previous value, so a list
     * can be written naturally: {@code onCritical=threads,histogram,interval=2s}.
     */
    static Map<String, String> splitArguments(String args, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (args == null || args.trim().isEmpty()) {
            return out;
        }
        String last = null;
        for (String part : args.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                last = part.substring(0, eq).trim();
                out.put(last, part.substring(eq + 1));
            } else if (last != null && !part.trim().isEmpty()) {
                out.put(last, out.get(last) + "," + part);
            } else if (!part.trim().isEmpty()) {
                problems.add("agent argument '" + printable(part.trim()) + "' is not key=value; ignored");
            }
        }
        return out;
    }

    /** A value as it may appear inside one log line: control characters escaped. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append("\\x").append(Units.hex(c, 2));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String unknownKey(String what) {
        return what + " is not a headroom setting (known: " + String.join(", ", KEYS.keySet()) + "); ignored";
    }

    /** The key for a name in any case ("fastinterval", "FAST_INTERVAL"), or null. */
    static String canonical(String name) {
        String folded = name.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
        for (String key : KEYS.keySet()) {
            if (key.toLowerCase(Locale.ROOT).equals(folded)) {
                return key;
            }
        }
        return null;
    }

    /** HEADROOM_FAST_INTERVAL or HEADROOM_FASTINTERVAL to fastInterval; other variables are not ours. */
    private static String fromEnvironment(String variable) {
        if (!variable.startsWith("HEADROOM_")) {
            return null;
        }
        return canonical(variable.substring("HEADROOM_".length()));
    }

    /** Every key as "name (default X): meaning", for --help. */
    public static List<String> describeKeys() {
        List<String> out = new ArrayList<>();
        for (Key key : KEYS.values()) {
            out.add(key.name + " (default " + (key.defaultValue.isEmpty() ? "off" : key.defaultValue) + "): " + key.meaning);
        }
        return out;
    }

    public List<String> problems() {
        return problems;
    }

    public String get(String key) {
        return values.get(key);
    }

    public boolean enabled() {
        return (Boolean) typed.get("enabled");
    }

    public long intervalMillis() {
        return (Long) typed.get("interval");
    }

    public long fastIntervalMillis() {
        return (Long) typed.get("fastInterval");
    }

    public double warn() {
        return (Double) typed.get("warn");
    }

    public double critical() {
        return (Double) typed.get("critical");
    }

    public double hysteresis() {
        return (Double) typed.get("hysteresis");
    }

    public long horizonMillis() {
        return (Long) typed.get("horizon");
    }

    public long windowMillis() {
        return (Long) typed.get("window");
    }

    public double pressureSomePercent() {
        return (Double) typed.get("pressureSome");
    }

    public double pressureFullPercent() {
        return (Double) typed.get("pressureFull");
    }

    public long repeatMillis() {
        return (Long) typed.get("repeat");
    }

    public LogTarget log() {
        return LogTarget.valueOf(((String) typed.get("log")).toUpperCase(Locale.ROOT));
    }

    public Format format() {
        return Format.valueOf(((String) typed.get("format")).toUpperCase(Locale.ROOT));
    }

    public boolean jmx() {
        return (Boolean) typed.get("jmx");
    }

    public long jmxDelayMillis() {
        return (Long) typed.get("jmxDelay");
    }

    public boolean micrometer() {
        return (Boolean) typed.get("micrometer");
    }

    public boolean jfr() {
        return (Boolean) typed.get("jfr");
    }

    /** The termination message file, or null when off. */
    public String terminationMessage() {
        String path = (String) typed.get("terminationMessage");
        return path.isEmpty() ? null : path;
    }

    @SuppressWarnings("unchecked")
    public List<String> onCritical() {
        return (List<String>) typed.get("onCritical");
    }

    /** The relief actions asked for: heap, native (empty by default). */
    @SuppressWarnings("unchecked")
    public List<String> relief() {
        return (List<String>) typed.get("relief");
    }

    /** The readiness file, or null when off. */
    public String readinessFile() {
        String path = (String) typed.get("readinessFile");
        return path.isEmpty() ? null : path;
    }

    public String root() {
        return (String) typed.get("root");
    }

    private static void key(String name, String defaultValue, Kind kind, String meaning, String... choices) {
        KEYS.put(name, new Key(name, defaultValue, kind, meaning, choices));
    }

    /** One setting: its name, default, kind of value and meaning. */
    static final class Key {
        final String name;
        final String defaultValue;
        final Kind kind;
        final String meaning;
        final List<String> choices;

        Key(String name, String defaultValue, Kind kind, String meaning, String[] choices) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.kind = kind;
            this.meaning = meaning;
            this.choices = Arrays.asList(choices);
        }

        /** What is allowed, or null when the value is fine. */
        String check(String value) {
            return kind.check(value, choices);
        }
    }

    /** The analysis thresholds these settings give. */
    public Thresholds thresholds() {
        return new Thresholds(warn(), critical(), hysteresis(), horizonMillis(), windowMillis(),
                pressureSomePercent(), pressureFullPercent());
    }
}
