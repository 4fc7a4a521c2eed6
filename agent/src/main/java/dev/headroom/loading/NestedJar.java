package dev.headroom.loading;

import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * A jar held in a {@code byte[]}, read in place: its central directory is indexed once into an
 * open-addressing {@code int[]} of entry offsets (two slots per entry, under 1 KiB for the
 * nested ASM jar; no String or object per entry), and an entry is inflated only when asked
 * for. Stored and deflated entries; no Zip64, no encryption, no multi-disk archives. Anything
 * malformed is a {@link ZipException} that says what and where. Immutable once built, so safe for
 * concurrent readers.
 */
final class NestedJar {

    private static final int LOC_SIG = 0x04034b50;
    private static final int CEN_SIG = 0x02014b50;
    private static final int END_SIG = 0x06054b50;
    private static final int LOC_HEADER = 30;
    private static final int CEN_HEADER = 46;
    private static final int END_HEADER = 22;
    /** Larger than any class file or resource we serve: guards against a corrupt size field. */
    private static final int MAX_ENTRY = 64 << 20;

    private final String label;
    private final byte[] data;
    private final int length;
    /** Offset of a central-directory header plus one; 0 marks a free slot. Length a power of two. */
    private final int[] table;
    private final int entries;

    private NestedJar(String label, byte[] data, int length, int[] table, int entries) {
        this.label = label;
        this.data = data;
        this.length = length;
        this.table = table;
        this.entries = entries;
    }

    /**
     * Indexes the jar in {@code data[0, length)} (the array is kept, not copied: the caller hands
     * it over). {@code label} names the jar in error messages.
     */
    static NestedJar read(String label, byte[] data, int length) throws ZipException {
        if (data == null || length < END_HEADER || length > data.length) {
            throw new ZipException(label + ": not a zip file (" + length + " bytes)");
        }
        int end = -1;
        for (int p = length - END_HEADER, stop = Math.max(0, length - END_HEADER - 0xFFFF); p >= stop; p--) {
            if (u32(data, p) == END_SIG && p + END_HEADER + u16(data, p + 20) <= length) {
                end = p;
                break;
            }
        }
        if (end < 0) {
            throw new ZipException(label + ": not a zip file (no end of central directory record)");
        }
        int count = u16(data, end + 10);
        long cenSize = u32(data, end + 12) & 0xFFFFFFFFL;
        long cenOffset = u32(data, end + 16) & 0xFFFFFFFFL;
        if (count == 0xFFFF || cenSize == 0xFFFFFFFFL || cenOffset == 0xFFFFFFFFL) {
            throw new ZipException(label + ": Zip64 archives are not supported");
        }
        if (u16(data, end + 4) != 0 || u16(data, end + 6) != 0 || u16(data, end + 8) != count) {
            throw new ZipException(label + ": multi-disk archives are not supported");
        }
        if (cenOffset + cenSize > end) {
            throw new ZipException(label + ": central directory (offset " + cenOffset + ", " + cenSize
                    + " bytes) runs past its end record at " + end);
        }
        int size = Integer.highestOneBit(Math.max(2, count) * 2 - 1) << 1; // >= 2 * count
        int[] table = new int[size];
        int mask = size - 1;
        int p = (int) cenOffset;
        int cenEnd = (int) (cenOffset + cenSize);
        for (int i = 0; i < count; i++) {
            if (p + CEN_HEADER > cenEnd || u32(data, p) != CEN_SIG) {
                throw new ZipException(label + ": bad central directory header for entry " + i + " at " + p);
            }
            int nameLength = u16(data, p + 28);
            int next = p + CEN_HEADER + nameLength + u16(data, p + 30) + u16(data, p + 32);
            if (next > cenEnd) {
                throw new ZipException(label + ": central directory entry " + i + " at " + p + " runs past the directory");
            }
            int slot = hash(data, p + CEN_HEADER, nameLength) & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = p + 1;
            p = next;
        }
        return new NestedJar(label, data, length, table, count);
    }

    int size() {
        return entries;
    }

    /** Whether the jar has an entry of that name ({@code a/b/C.class}). */
    boolean contains(String name) {
        return find(name.getBytes(StandardCharsets.UTF_8)) >= 0;
    }

    /** The entry's bytes, inflated; null when there is no such entry. */
    byte[] entry(String name) throws ZipException {
        int cen = find(name.getBytes(StandardCharsets.UTF_8));
        return cen < 0 ? null : content(name, cen);
    }

    private int find(byte[] name) {
        int mask = table.length - 1;
        for (int slot = hash(name, 0, name.length) & mask; ; slot = (slot + 1) & mask) {
            int cen = table[slot] - 1;
            if (cen < 0) {
                return -1;
            }
            if (u16(data, cen + 28) == name.length && same(data, cen + CEN_HEADER, name)) {
                return cen;
            }
        }
    }

    private byte[] content(String name, int cen) throws ZipException {
        int flags = u16(data, cen + 8);
        int method = u16(data, cen + 10);
        long compressed = u32(data, cen + 20) & 0xFFFFFFFFL;
        long size = u32(data, cen + 24) & 0xFFFFFFFFL;
        long local = u32(data, cen + 42) & 0xFFFFFFFFL;
        if ((flags & 1) != 0) {
            throw new ZipException(label + ": " + name + " is encrypted");
        }
        if (size > MAX_ENTRY || compressed > MAX_ENTRY) {
            throw new ZipException(label + ": " + name + " is too large (" + size + " bytes)");
        }
        if (local + LOC_HEADER > length || u32(data, (int) local) != LOC_SIG) {
            throw new ZipException(label + ": bad local header for " + name + " at " + local);
        }
        long start = local + LOC_HEADER + u16(data, (int) local + 26) + u16(data, (int) local + 28);
        if (start + compressed > length) {
            throw new ZipException(label + ": " + name + " runs past the end of the jar");
        }
        byte[] out = new byte[(int) size];
        if (method == 0) {
            if (compressed != size) {
                throw new ZipException(label + ": stored entry " + name + " has sizes " + compressed + " and " + size);
            }
            System.arraycopy(data, (int) start, out, 0, out.length);
            return out;
        }
        if (method != 8) {
            throw new ZipException(label + ": " + name + " uses compression method " + method);
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(data, (int) start, (int) compressed);
            int n = 0;
            boolean padded = false;
            while (n < out.length) {
                int k = inflater.inflate(out, n, out.length - n);
                n += k;
                if (k == 0) {
                    if (inflater.needsInput() && !padded) {
                        inflater.setInput(new byte[1]); // raw inflate may want one byte past the data
                        padded = true;
                    } else {
                        break;
                    }
                }
            }
            if (n != out.length) {
                throw new ZipException(label + ": " + name + " inflates to " + n + " bytes, not " + out.length);
            }
            return out;
        } catch (DataFormatException e) {
            throw new ZipException(label + ": " + name + " is corrupt (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    private static int hash(byte[] b, int offset, int length) {
        int h = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }

    private static boolean same(byte[] data, int offset, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (data[offset + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    private static int u32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    @Override
    public String toString() {
        return label + " (" + entries + " entries, " + length + " bytes)";
    }
}
