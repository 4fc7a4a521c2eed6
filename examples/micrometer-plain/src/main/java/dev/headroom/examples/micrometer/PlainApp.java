package dev.headroom.examples.micrometer;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A plain application with a Prometheus registry served at http://127.0.0.1:PORT/metrics. It
 * knows nothing about headroom: run it with {@code -javaagent:headroom-agent.jar} and the
 * {@code container_memory_*} and {@code headroom_*} series show up next to its own.
 *
 * <pre>
 * java -javaagent:headroom-agent.jar -jar micrometer-plain.jar 8080
 * curl -s http://127.0.0.1:8080/metrics | grep -E '^(container|headroom)_'
 * </pre>
 *
 * Prints "listening on PORT" once serving (port 0 picks a free one).
 */
public final class PlainApp {

    private PlainApp() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter requests = Counter.builder("example.requests").description("scrapes served").register(registry);

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/metrics", exchange -> {
            requests.increment();
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("listening on " + server.getAddress().getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
