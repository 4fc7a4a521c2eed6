package dev.headroom.examples;

import java.util.ArrayList;
import java.util.List;

/** Java heap: retained {@code byte[]} chunks, every page written. */
final class HeapGrower implements Grower {
    private final List<byte[]> retained = new ArrayList<>();

    @Override
    public long grow(long bytes) {
        byte[] chunk = new byte[(int) Math.min(bytes, Integer.MAX_VALUE - 16)];
        for (int i = 0; i < chunk.length; i += PAGE) {
            chunk[i] = 1;
        }
        retained.add(chunk);
        return chunk.length;
    }

    @Override
    public void release() {
        retained.clear();
    }
}
