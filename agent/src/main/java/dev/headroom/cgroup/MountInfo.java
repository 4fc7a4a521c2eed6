package dev.headroom.cgroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One line of {@code /proc/self/mountinfo}:
 * {@code 36 25 0:31 /docker/abc /sys/fs/cgroup/memory rw,nosuid shared:12 - cgroup cgroup rw,memory}.
 * Six fixed fields, zero or more optional fields, a lone {@code -}, then fstype, source and
 * super options.
 */
public final class MountInfo {

    public final String root;
    public final String mountPoint;
    public final String fsType;
    public final String source;
    public final List<String> superOptions;

    MountInfo(String root, String mountPoint, String fsType, String source, List<String> superOptions) {
        this.root = root;
        this.mountPoint = mountPoint;
        this.fsType = fsType;
        this.source = source;
        this.superOptions = superOptions;
    }

    /** Parses every well-formed line; malformed lines are skipped. */
    public static List<MountInfo> parseAll(String text) {
        List<MountInfo> mounts = new ArrayList<>();
        for (String line : text.split("\n")) {
            MountInfo m = parse(line);
            if (m != null) {
                mounts.add(m);
            }
        }
        return mounts;
    }

    /** The parsed line, or null when it is not a mountinfo line. */
    public static MountInfo parse(String line) {
        String[] f = line.trim().split(" +");
        if (f.length < 10) {
            return null;
        }
        int separator = -1;
        // the separator is the first lone "-" after the six fixed fields: a source may be "-" too
        for (int i = 6; i < f.length; i++) {
            if (f[i].equals("-")) {
                separator = i;
                break;
            }
        }
        if (separator < 0 || separator + 2 >= f.length) {
            return null;
        }
        String options = String.join(" ", Arrays.asList(f).subList(separator + 3, f.length));
        return new MountInfo(unescape(f[3]), unescape(f[4]), f[separator + 1], f[separator + 2],
                Collections.unmodifiableList(Arrays.asList(options.split(","))));
    }

    /** The kernel escapes space, tab, newline and backslash as {@code \ooo} octal. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
    }

    public boolean hasSuperOption(String option) {
        return superOptions.contains(option);
    }

    @Override
    public String toString() {
        return fsType + " " + root + " on " + mountPoint + " " + superOptions;
    }
}
