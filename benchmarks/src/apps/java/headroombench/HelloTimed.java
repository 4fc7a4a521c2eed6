package headroombench;

/** Hello world that also prints {@code main-at-ms=N} (JVM start to main) on stderr. */
public final class HelloTimed {

    private HelloTimed() {
    }

    public static void main(String[] args) {
        long mainMillis = System.currentTimeMillis();
        System.out.println("hello");
        System.err.println("main-at-ms=" + TimeToMain.since(mainMillis));
    }
}
