package dev.headroom.loading;

import dev.headroom.micrometer.ContainerMemoryMetrics;

import java.io.IOException;
import java.io.InputStream;
import java.security.ProtectionDomain;

/**
 * Defines the Micrometer-typed binder ({@link ContainerMemoryMetrics} and its nested classes)
 * next to the application's own Micrometer. Its parent is the class loader that defined the
 * application's {@code MeterRegistry}, so {@code io.micrometer.*} resolves to the
 * application's classes, whatever version and loader (a Spring Boot {@code LaunchedClassLoader},
 * a web application's loader, ...). Every other {@code dev.headroom.*} class is delegated to the
 * agent's own loader, so the binder reads the very {@code Assessment} the agent's sampler
 * publishes. The binder's bytes come from the agent jar; nothing is written anywhere.
 */
public final class BridgeLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    /**
     * Classes the bridge defines itself: the only ones compiled against Micrometer. A string,
     * never a class literal: the agent's loader must not load a class that implements a
     * Micrometer interface it cannot see.
     */
    public static final String BINDER = "dev.headroom.micrometer.ContainerMemoryMetrics";

    private final ClassLoader agent;
    private final ProtectionDomain domain;

    public BridgeLoader(ClassLoader micrometer, ClassLoader agent) {
        super(micrometer);
        this.agent = agent;
        this.domain = BridgeLoader.class.getProtectionDomain();
    }

    static boolean definesItself(String name) {
        return name.equals(BINDER) || name.startsWith(BINDER + "$");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                if (definesItself(name)) {
                    c = defineFromAgent(name);
                } else if (name.startsWith("dev.headroom.")) {
                    c = Class.forName(name, false, agent);
                } else {
                    c = super.loadClass(name, false);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private Class<?> defineFromAgent(String name) throws ClassNotFoundException {
        String resource = name.replace('.', '/') + ".class";
        InputStream in = agent.getResourceAsStream(resource);
        if (in == null) {
            throw new ClassNotFoundException(name + " (not in the agent jar)");
        }
        try {
            byte[] bytes = StreamBytes.readAll(in);
            return defineClass(name, bytes, 0, bytes.length, domain);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    @Override
    public String toString() {
        return "headroom bridge to " + getParent();
    }
}
