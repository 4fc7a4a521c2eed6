package dev.headroom.sink.micrometer;

/**
 * Where the advice copied into Micrometer's classes lands ({@link Instrumenter}). It is found by
 * name through the system class loader, so its name and these signatures are a contract with
 * that advice. Runs on application threads (inside a registry's constructor, a scrape): it only
 * queues the registry and returns; it never throws.
 */
public final class RegistryHook {

    static volatile Registries registries;

    private RegistryHook() {
    }

    /** A MeterRegistry constructor finished. */
    public static void created(Object registry) {
        try {
            Registries r = registries;
            if (r != null) {
                r.created(registry);
            }
        } catch (Throwable ignored) {
            // never disturb the application's registry
        }
    }

    /** A registry was published or scraped (instrumented only after a dynamic attach). */
    public static void seen(Object registry) {
        try {
            Registries r = registries;
            if (r != null) {
                r.seen(registry);
            }
        } catch (Throwable ignored) {
            // never disturb the application's scrape
        }
    }
}
