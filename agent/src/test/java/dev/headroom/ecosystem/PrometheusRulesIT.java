package dev.headroom.ecosystem;

import dev.headroom.testing.ChildJvm;
import dev.headroom.testing.Json;
import dev.headroom.testing.Promtool;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15: the Prometheus rules and the Grafana dashboard in examples/ checked by the real
 * promtool, and every series they read checked against what a JVM with the agent really exports
 * (a scrape of the micrometer-plain example).
 */
class PrometheusRulesIT {

    private static final Path ROOT = ChildJvm.agentJar().toAbsolutePath().getParent().getParent().getParent();
    private static final Path RULES = ROOT.resolve("examples/prometheus/headroom-rules.yaml");
    private static final Path RULE_TESTS = ROOT.resolve("examples/prometheus/headroom-rules.test.yaml");
    private static final Path DASHBOARD = ROOT.resolve("examples/grafana/headroom-dashboard.json");

    /** How every dashboard query selects a series: only targets listed by the headroom_level variables. */
    private static final String TARGET_FILTER = "{job=~\"$job\", instance=~\"$instance\", pod=~\"$pod\"}";
    /** Micrometer's own JvmMemoryMetrics meter, read by HeadroomJvmHeapNearLimit (the only non-headroom series). */
    private static final String JVM_MAX = "jvm_memory_max_bytes";

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "by", "without", "on",
            "ignoring", "group_left", "group_right", "offset", "inf", "nan", "atan2");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][\\w:]*+)(?!\\s*\\()");

    @Test
    void rulesPassPromtoolCheckAndTheirUnitTests() throws Exception {
        assertTrue(promtool("check", "rules", RULES.toString()).contains("SUCCESS"));
        assertTrue(promtool("test", "rules", RULE_TESTS.toString()).contains("SUCCESS"));
    }

    @Test
    void rulesAndDashboardReadOnlySeriesTheAgentExports() throws Exception {
        Set<String> exported = scrapedNames();
        List<String> dashboard = dashboardQueries();
        for (String expr : dashboard) {
            assertNamesIn(exported, expr, "dashboard");
        }
        Set<String> forRules = new TreeSet<>(exported);
        forRules.add(JVM_MAX);
        List<String> rules = ruleExpressions(Files.readAllLines(RULES));
        assertTrue(rules.size() >= 10, "rule expressions found: " + rules);
        for (String expr : rules) {
            assertNamesIn(forRules, expr, "rules");
        }
    }

    @Test
    void everyDashboardQuerySelectsOnlyHeadroomTargetsAndParses() throws Exception {
        // cAdvisor's same-named series come from other targets: every panel query keeps to the
        // targets the variables list, and the variables list only targets that export headroom_level
        for (String expr : panelQueries()) {
            for (String name : metricNames(expr)) {
                Matcher m = Pattern.compile("(?<![\\w:])" + Pattern.quote(name) + "(?![\\w:])").matcher(expr);
                while (m.find()) {
                    assertTrue(expr.startsWith(TARGET_FILTER, m.end()), name + " without " + TARGET_FILTER + " in " + expr);
                }
            }
        }
        for (String query : variableSelectors()) {
            assertEquals(Set.of("headroom_level"), metricNames(query), "a variable must list headroom's targets: " + query);
        }

        List<String> queries = dashboardQueries();
        assertTrue(queries.size() >= 20, "dashboard queries found: " + queries);
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: dashboard_query_").append(i).append("\n        expr: \"")
                    .append(withoutGrafanaVariables(queries.get(i)).replace("\\", "\\\\").replace("\"", "\\\"")
                            .replace("\n", "\\n"))
                    .append("\"\n");
        }
        Path file = Files.createTempFile("headroom-dashboard-queries", ".yaml");
        try {
            Files.writeString(file, rules);
            assertTrue(promtool("check", "rules", file.toString()).contains("SUCCESS: " + queries.size() + " rules found"));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void metricNamesAreTheSeriesAnExpressionReads() {
        assertEquals(Set.of("container_memory_working_set_bytes", "headroom_level"), metricNames(
                "sum by (job) (container_memory_working_set_bytes{id=\"x\"} and on (job, instance) headroom_level)"));
        assertEquals(Set.of("a_total", "b:c", "d"), metricNames("max_over_time(rate(a_total{k=~\"x|y\"}[5m])[1h:]) "
                + "> bool 1e3 * on (x) group_left (y) b:c offset 5m unless d @ 100 or vector(0) + Inf"));
    }

    // ---- the series a JVM with the agent exports

    /** Metric names a micrometer-plain example with the agent serves, once the agent says every meter is bound. */
    private static Set<String> scrapedNames() throws Exception {
        Path jar = ROOT.resolve("examples/micrometer-plain/target/micrometer-plain.jar");
        assertTrue(Files.exists(jar), jar + " (built by the examples/micrometer-plain module)");
        Path err = Files.createTempFile("headroom-plain", ".err");
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.javaExecutable().toString(), "-javaagent:" + ChildJvm.agentJar(),
                "-jar", jar.toString(), "0").redirectError(err.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("HEADROOM_TEST");
        Process app = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
            String listening = out.readLine();
            assertTrue(listening != null && listening.startsWith("listening on "), listening + "\n" + Files.readString(err));
            HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + listening.substring("listening on ".length()) + "/metrics")).build();
            HttpClient http = HttpClient.newHttpClient();
            // the agent finds the registry when it is used, and logs once every meter is bound
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(err).contains("container memory meters bound to ") && System.nanoTime() < deadline) {
                http.send(scrape, HttpResponse.BodyHandlers.discarding());
                Thread.sleep(200);
            }
            assertTrue(Files.readString(err).contains("container memory meters bound to "), Files.readString(err));
            String text = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
            Set<String> names = text.lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("[{ ]", 2)[0])
                    .filter(n -> !n.startsWith("example_")) // the example application's own counter
                    .collect(Collectors.toCollection(TreeSet::new));
            assertTrue(names.contains("container_memory_working_set_bytes") && names.contains("headroom_level"), text);
            return names;
        } finally {
            app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Files.delete(err);
        }
    }

    private static void assertNamesIn(Set<String> exported, String expr, String where) {
        Set<String> unknown = new TreeSet<>(metricNames(expr));
        unknown.removeAll(exported);
        assertTrue(unknown.isEmpty(), where + " reads " + unknown + ", which the agent does not export, in: " + expr
                + "\nexported: " + exported);
    }

    // ---- PromQL, rules and dashboard as text

    /** The metric names a PromQL expression selects (not functions, label names, keywords or strings). */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\boffset\\s+-?\\w+", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Every {@code expr:} of a rules file: one line, or a block scalar ({@code |}, {@code >}) below it. */
    static List<String> ruleExpressions(List<String> lines) {
        List<String> exprs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int indent = line.indexOf("expr:");
            if (indent < 0 || !line.substring(0, indent).isBlank()) {
                continue;
            }
            String value = line.substring(indent + "expr:".length()).trim();
            if (!value.startsWith("|") && !value.startsWith(">")) {
                exprs.add(value);
                continue;
            }
            StringBuilder block = new StringBuilder();
            while (i + 1 < lines.size() && (lines.get(i + 1).isBlank() || lines.get(i + 1).indexOf(lines.get(i + 1).trim()) > indent)) {
                block.append(lines.get(++i).trim()).append('\n');
            }
            exprs.add(block.toString().trim());
        }
        return exprs;
    }

    /** A dashboard query as Prometheus sees it once Grafana has put in its variables. */
    static String withoutGrafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "1h")
                .replaceAll("\\$\\{?\\w+}?", ".*");
    }

    /** Panel queries and the selectors inside the variables' label_values(...). */
    private static List<String> dashboardQueries() throws IOException {
        List<String> all = panelQueries();
        all.addAll(variableSelectors());
        return all;
    }

    private static List<String> panelQueries() throws IOException {
        List<String> exprs = new ArrayList<>();
        collect(Json.parseObject(Files.readString(DASHBOARD)).get("panels"), "expr", exprs);
        return exprs;
    }

    private static List<String> variableSelectors() throws IOException {
        List<String> definitions = new ArrayList<>();
        collect(Json.parseObject(Files.readString(DASHBOARD)).get("templating"), "definition", definitions);
        List<String> selectors = new ArrayList<>();
        Pattern labelValues = Pattern.compile("label_values\\((.+),\\s*\\w+\\)");
        for (String definition : definitions) {
            Matcher m = labelValues.matcher(definition);
            assertTrue(m.matches(), "a variable query that is not label_values(selector, label): " + definition);
            selectors.add(m.group(1));
        }
        assertTrue(selectors.size() >= 3, "variables: " + definitions);
        return selectors;
    }

    /** Every string value under the key, anywhere in a parsed JSON tree. */
    private static void collect(Object json, String key, List<String> into) {
        if (json instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (key.equals(k) && v instanceof String s) {
                    into.add(s);
                } else {
                    collect(v, key, into);
                }
            });
        } else if (json instanceof List<?> list) {
            list.forEach(v -> collect(v, key, into));
        }
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        return Promtool.run("the Prometheus rules and dashboard checks", null, args);
    }
}
