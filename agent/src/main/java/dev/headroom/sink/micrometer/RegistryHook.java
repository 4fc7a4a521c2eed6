package dev.headroom.sink.micrometer;

/**
 * Where the calls {@link Instrumenter} copies into Micrometer's classes land ({@link HookPoint}).
 * It is found by name through the system class loader, so its name and these signatures are a
 * contract with that code. Runs on application threads: it notes the registry, or binds it when
 * it is about to be published or scraped and not bound yet (the one piece of work an application
 * thread may do for us, once per registry); it never throws.
 */
public final class RegistryHook {

    static volatile Bindings bindings;

    private RegistryHook() {
    }

    /** A MeterRegistry constructor finished: bound once it has settled, off this thread. */
    public static void created(Object registry) {
        try {
            Bindings b = bindings;
            if (b != null) {
                b.created(registry);
            }
        } catch (Throwable ignored) {
            // never disturb the application's registry
        }
    }

    /** Meters about to be published or scraped (getMeters(), scrape(..)): bound now if not yet. */
    public static void published(Object registry) {
        try {
            Bindings b = bindings;
            if (b != null) {
                b.published(registry);
            }
        } catch (Throwable ignored) {
            // never disturb the application's scrape
        }
    }

    /** A registry queried (forEachMeter, find/get): bound soon, off this thread. */
    public static void queried(Object registry) {
        try {
            Bindings b = bindings;
            if (b != null) {
                b.soon(registry);
            }
        } catch (Throwable ignored) {
            // never disturb the application's query
        }
    }

    /** A registry added to a composite (Metrics.addRegistry among others): bound soon, off this thread. */
    public static void added(Object registry) {
        try {
            Bindings b = bindings;
            if (b != null) {
                b.soon(registry);
            }
        } catch (Throwable ignored) {
            // never disturb the application's composite
        }
    }

    /** The Prometheus client's own registry is about to be scraped: binds the registries that feed it. */
    public static void clientScraped(Object clientRegistry) {
        try {
            Bindings b = bindings;
            if (b != null) {
                b.clientScraped(clientRegistry);
            }
        } catch (Throwable ignored) {
            // never disturb the application's scrape
        }
    }
}
