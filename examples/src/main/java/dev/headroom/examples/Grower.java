package dev.headroom.examples;

/** One kind of memory that {@link Grow} can grow. Implementations retain everything they allocate. */
interface Grower {

    /**
     * Allocates about {@code bytes} more memory of this kind, touching it so it is really committed.
     *
     * @return the bytes actually added (a grower may work in its own step, e.g. one thread stack)
     */
    long grow(long bytes) throws Exception;

    /** The file that holds the memory, for kinds backed by a file; {@code null} otherwise. */
    default String file() {
        return null;
    }

    /** Drops references to what was allocated, so that there is room left to report an error. */
    default void release() {
    }

    /** Removes anything that would outlive the process (files). Called on normal exit and on SIGTERM/SIGINT. */
    default void close() {
    }

    /** Page size used when touching memory; writing one byte per page commits it. */
    int PAGE = 4096;

    static Grower of(String kind, long stackSize) throws Exception {
        switch (kind) {
            case "heap":
                return new HeapGrower();
            case "direct":
                return new DirectGrower();
            case "native":
                return new NativeGrower();
            case "threads":
                return new ThreadGrower(stackSize);
            case "metaspace":
                return new MetaspaceGrower();
            case "mapped":
                return new MappedGrower();
            case "shmem":
                return new ShmemGrower();
            default:
                throw new IllegalArgumentException("unknown kind: " + kind
                        + " (heap|direct|native|threads|metaspace|mapped|shmem)");
        }
    }
}
