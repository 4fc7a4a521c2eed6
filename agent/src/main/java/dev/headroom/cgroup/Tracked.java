package dev.headroom.cgroup;

import dev.headroom.io.FileSource;
import dev.headroom.io.SourceFile;
import dev.headroom.parse.KeyValues;
import dev.headroom.parse.Numbers;
import dev.headroom.parse.Values;
import dev.headroom.sample.Sample;

/**
 * Helpers shared by the v1 and v2 readers: read a file, parse it, and record a warning (built
 * once per file or key, so a permanently missing file allocates nothing per sample).
 */
final class Tracked {

    private Tracked() {
    }

    /** A single-number file such as memory.current; unknown with a warning when missing or garbled. */
    static long count(SourceFile file, FileSource files, Sample.Builder sample) {
        return count(file, files, sample, true);
    }

    /** As {@link #count}, but a missing file is expected (the top of a v2 hierarchy) and not warned about. */
    static long count(SourceFile file, FileSource files, Sample.Builder sample, boolean warnMissing) {
        if (!file.load(files)) {
            if (warnMissing) {
                sample.warn(file.problem());
            }
            return Values.UNKNOWN;
        }
        long v = Numbers.count(file.bytes(), 0, file.length());
        if (v == Values.UNKNOWN) {
            sample.warn(file.garbled());
        }
        return v;
    }

    /** A limit file (memory.max, memory.limit_in_bytes): "max" and v1's huge value are unlimited. */
    static long limit(SourceFile file, FileSource files, Sample.Builder sample) {
        return limit(file, files, sample, Values.UNKNOWN);
    }

    /** As {@link #limit}, with the value a missing file stands for (unknown: warned about). */
    static long limit(SourceFile file, FileSource files, Sample.Builder sample, long whenMissing) {
        if (!file.load(files)) {
            if (whenMissing == Values.UNKNOWN) {
                sample.warn(file.problem());
            }
            return whenMissing;
        }
        long v = Numbers.limit(file.bytes(), 0, file.length());
        if (v == Values.UNKNOWN) {
            sample.warn(file.garbled());
        }
        return v;
    }

    /** The number of non-empty lines (cgroup.procs: processes); unknown with a warning when unreadable. */
    static long lines(SourceFile file, FileSource files, Sample.Builder sample) {
        if (!file.load(files)) {
            sample.warn(file.problem());
            return Values.UNKNOWN;
        }
        byte[] b = file.bytes();
        long lines = 0;
        boolean content = false;
        for (int i = 0; i < file.length(); i++) {
            if (b[i] == '\n') {
                lines += content ? 1 : 0;
                content = false;
            } else {
                content = true;
            }
        }
        return lines + (content ? 1 : 0);
    }

    /** A key-value file; every wanted key unknown (one warning) when the file cannot be read. */
    static boolean keyValues(SourceFile file, FileSource files, KeyValues keys, long[] out, Sample.Builder sample) {
        if (!file.load(files)) {
            sample.warn(file.problem());
            java.util.Arrays.fill(out, 0, keys.size(), Values.UNKNOWN);
            return false;
        }
        keys.parse(file.bytes(), file.length(), out);
        return true;
    }
}
