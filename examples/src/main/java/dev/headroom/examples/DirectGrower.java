package dev.headroom.examples;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Direct buffers ({@code ByteBuffer.allocateDirect}), retained, every page written. Capped by MaxDirectMemorySize. */
final class DirectGrower implements Grower {
    private final List<ByteBuffer> retained = new ArrayList<>();

    @Override
    public long grow(long bytes) {
        ByteBuffer chunk = ByteBuffer.allocateDirect((int) Math.min(bytes, Integer.MAX_VALUE));
        for (int i = 0; i < chunk.capacity(); i += PAGE) {
            chunk.put(i, (byte) 1);
        }
        retained.add(chunk);
        return chunk.capacity();
    }

    @Override
    public void release() {
        retained.clear();
    }
}
