package dev.headroom.examples;

/** Prints {@code hello} and exits 0: the smallest possible application, for startup benchmarks and child-JVM tests. */
public final class Hello {
    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
