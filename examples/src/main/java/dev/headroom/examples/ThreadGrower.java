package dev.headroom.examples;

import java.util.concurrent.locks.LockSupport;

/**
 * Thread stacks: each step starts one daemon thread with the given stack size, which recurses until its stack
 * overflows (committing the usable stack pages), then parks forever. One step is one stack.
 */
final class ThreadGrower implements Grower {
    private final long stackSize;
    private int started;

    ThreadGrower(long stackSize) {
        this.stackSize = stackSize;
    }

    @Override
    public long grow(long bytes) {
        long threads = Math.max(1, bytes / stackSize);
        for (long i = 0; i < threads; i++) {
            Thread thread = new Thread(null, ThreadGrower::touchStackAndPark, "grow-" + started, stackSize);
            thread.setDaemon(true);
            thread.start(); // OutOfMemoryError "unable to create native thread" when the OS says no
            started++;
        }
        return threads * stackSize;
    }

    private static void touchStackAndPark() {
        try {
            dive(0, 1, 2, 3, 4, 5, 6, 7);
        } catch (StackOverflowError expected) {
            // the stack is now committed down to the JVM's guard zone
        }
        while (true) {
            LockSupport.park();
        }
    }

    /** A recursion with a few locals per frame, that the JIT cannot turn into a loop. */
    private static long dive(long depth, long a, long b, long c, long d, long e, long f, long g) {
        return 1 + dive(depth + 1, b, c, d, e, f, g, a ^ depth) + a;
    }
}
