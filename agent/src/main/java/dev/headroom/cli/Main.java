package dev.headroom.cli;

import dev.headroom.analysis.Headroom;
import dev.headroom.io.ChannelFileSource;
import dev.headroom.io.FileSource;
import dev.headroom.report.SnapshotJson;
import dev.headroom.report.SnapshotText;
import dev.headroom.sample.Sample;
import dev.headroom.runtime.SampleReader;

import java.io.PrintStream;

/**
 * {@code java -jar headroom-agent.jar [snapshot] [--json] [--root DIR]}: prints what the agent
 * sees. Never a stack trace; missing files are not an error (exit 0 with warnings); bad
 * arguments print one usage line and exit 2.
 */
public final class Main {

    static final String USAGE = "usage: java -jar headroom-agent.jar [snapshot] [--json] [--root DIR] | attach <pid> [key=value,...] | --help";

    private Main() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (Throwable t) {
            System.err.println("headroom: internal error: " + t);
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        String root = "/";
        String command = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h") || a.equals("help")) {
                out.print(Help.text());
                return 0;
            } else if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--root") && i + 1 < args.length) {
                root = args[++i];
            } else if (a.startsWith("--root=")) {
                root = a.substring("--root=".length());
            } else if (command == null && a.equals("snapshot")) {
                command = a;
            } else if (command == null && i == 0 && a.equals("attach")) {
                return Attach.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
            } else {
                err.println(USAGE + "   (unknown argument '" + a + "')");
                return 2;
            }
        }
        if (!new java.io.File(root).isDirectory()) {
            err.println(USAGE + "   (--root " + root + " is not a directory)");
            return 2;
        }
        out.print(snapshot(root, json));
        return 0;
    }

    /** The snapshot report for the tree under root, text or JSON. */
    public static String snapshot(String root, boolean json) {
        FileSource files = new ChannelFileSource();
        try {
            Sample sample = new SampleReader(files, root).read();
            Headroom headroom = Headroom.of(sample);
            return json ? SnapshotJson.render(sample, headroom) + "\n" : SnapshotText.render(sample, headroom);
        } finally {
            files.close();
        }
    }
}
