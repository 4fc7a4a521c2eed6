package dev.headroom.runtime;

import dev.headroom.agent.FaultInjectionTest;

import java.io.IOException;
import java.nio.file.Path;

/** Fixture trees to change files in, for the tests of what a tick reads. */
final class ReaderFixtures {

    private ReaderFixtures() {
    }

    /** A copy of the named fixture tree (src/test/resources/fixtures/NAME/root) under {@code tmp}. */
    static Path copy(Path tmp, String name) throws IOException {
        Path root = tmp.resolve(name);
        FaultInjectionTest.copy(Path.of("src/test/resources/fixtures/" + name + "/root"), root);
        return root;
    }

    /** v1 memory.stat contents with {@code total_rss} (the cgroup's anonymous memory) moved by {@code bytes}. */
    static String movedAnon(String stat, long bytes) {
        long anon = Long.parseLong(stat.replaceAll("(?s).*\ntotal_rss (\\d+)\n.*", "$1"));
        return stat.replace("\ntotal_rss " + anon + "\n", "\ntotal_rss " + (anon + bytes) + "\n");
    }
}
