package dev.headroom.micrometer.it;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;

import static net.bytebuddy.matcher.ElementMatchers.named;

/** The application's own Byte Buddy at work (whatever version is on its class path). */
final class ForeignByteBuddy {

    private ForeignByteBuddy() {
    }

    static String use(String label) throws Exception {
        Class<?> type = new ByteBuddy().subclass(Object.class)
                .method(named("toString")).intercept(FixedValue.value("generated-" + label))
                .make()
                .load(ForeignByteBuddy.class.getClassLoader())
                .getLoaded();
        Object o = type.getDeclaredConstructor().newInstance();
        String jar = ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        return jar.substring(jar.lastIndexOf('/') + 1) + " " + o;
    }
}
