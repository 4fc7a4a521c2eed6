package dev.headroom.examples;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Native memory the JVM does not track: {@code sun.misc.Unsafe.allocateMemory}, then {@code setMemory} over the
 * whole block to commit it. The addresses are kept (never freed). Unsafe is reached reflectively, so this compiles
 * without internal-API warnings and runs on Java 8 and later.
 */
final class NativeGrower implements Grower {
    private final Object unsafe;
    private final Method allocateMemory;
    private final Method setMemory;
    private final Method freeMemory;
    private long[] addresses = new long[1024];
    private int count;

    NativeGrower() throws ReflectiveOperationException {
        Class<?> type = Class.forName("sun.misc.Unsafe");
        Field field = type.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        unsafe = field.get(null);
        allocateMemory = type.getMethod("allocateMemory", long.class);
        setMemory = type.getMethod("setMemory", long.class, long.class, byte.class);
        freeMemory = type.getMethod("freeMemory", long.class);
    }

    /** Frees every block (the relief scenario's recovery). */
    void free() throws ReflectiveOperationException {
        for (int i = 0; i < count; i++) {
            freeMemory.invoke(unsafe, addresses[i]);
        }
        count = 0;
    }

    @Override
    public long grow(long bytes) throws ReflectiveOperationException {
        long address;
        try {
            address = (Long) allocateMemory.invoke(unsafe, bytes);
            setMemory.invoke(unsafe, address, bytes, (byte) 1);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause(); // OutOfMemoryError from malloc failing
            }
            throw e;
        }
        if (count == addresses.length) {
            addresses = java.util.Arrays.copyOf(addresses, count * 2);
        }
        addresses[count++] = address;
        return bytes;
    }
}
