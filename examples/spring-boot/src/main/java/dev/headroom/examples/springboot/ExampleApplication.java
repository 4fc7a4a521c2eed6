package dev.headroom.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application with Actuator and the Prometheus registry. It knows nothing about
 * headroom:
 *
 * <pre>
 * JAVA_TOOL_OPTIONS=-javaagent:headroom-agent.jar java -jar spring-boot-example.jar --server.port=8080
 * curl -s http://127.0.0.1:8080/actuator/prometheus | grep -E '^(container|headroom)_'
 * </pre>
 */
@SpringBootApplication
@RestController
public class ExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }

    @GetMapping("/")
    public String hello() {
        return "hello\n";
    }
}
