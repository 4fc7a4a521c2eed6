package dev.headroom.micrometer.it;

/** A child-JVM application without Micrometer: runs a few seconds, then prints DONE. */
public final class NoMicrometerApp {

    public static void main(String[] args) throws Exception {
        long end = System.currentTimeMillis() + Long.parseLong(args.length > 0 ? args[0] : "3000");
        StringBuilder junk = new StringBuilder();
        while (System.currentTimeMillis() < end) {
            junk.setLength(0);
            for (int i = 0; i < 1000; i++) {
                junk.append(i);
            }
            Thread.sleep(50);
        }
        System.out.println("DONE");
    }
}
