package dev.headroom.sink.micrometer;

/** Class look-ups by name: the agent's loader never links against Micrometer. */
final class Classes {

    private Classes() {
    }

    /** The class itself or the superclass with that name, or null. */
    static Class<?> named(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
