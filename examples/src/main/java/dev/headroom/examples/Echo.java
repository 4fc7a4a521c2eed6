package dev.headroom.examples;

/**
 * Prints each argument on its own line to stdout, writes {@code err-line} to stderr, and exits with the status
 * given by the first argument when it is an integer (0 otherwise). Used to check that the agent changes neither
 * an application's output nor its exit status.
 */
public final class Echo {
    private Echo() {
    }

    public static void main(String[] args) {
        for (String arg : args) {
            System.out.println(arg);
        }
        System.out.flush();
        System.err.println("err-line");
        System.err.flush();
        int status = 0;
        if (args.length > 0 && args[0].matches("-?\\d{1,9}")) {
            status = Integer.parseInt(args[0]);
        }
        System.exit(status);
    }
}
