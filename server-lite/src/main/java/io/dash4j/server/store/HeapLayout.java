package io.dash4j.server.store;

import java.lang.reflect.Field;

/**
 * This JVM's object layout, read from {@code sun.misc.Unsafe} once: reference size (4 with
 * compressed oops, below 32 GB of heap; else 8), array header sizes and object header size. Falls
 * back to the compressed layout (the common case) if Unsafe is not reachable.
 */
final class HeapLayout {

    static final long REF;
    static final long BYTE_ARRAY_HEADER;
    static final long OBJECT_ARRAY_HEADER;
    static final long OBJECT_HEADER;

    static {
        long ref = 4;
        long byteBase = 16;
        long objBase = 16;
        try {
            Class<?> c = Class.forName("sun.misc.Unsafe");
            Field f = c.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Object u = f.get(null);
            ref = (int) c.getMethod("arrayIndexScale", Class.class).invoke(u, Object[].class);
            byteBase = (int) c.getMethod("arrayBaseOffset", Class.class).invoke(u, byte[].class);
            objBase = (int) c.getMethod("arrayBaseOffset", Class.class).invoke(u, Object[].class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // keep the defaults
        }
        REF = ref;
        BYTE_ARRAY_HEADER = byteBase;
        OBJECT_ARRAY_HEADER = objBase;
        // an array's header is the object header plus a 4-byte length (padded to the reference size)
        OBJECT_HEADER = byteBase - 4;
    }

    private HeapLayout() {
    }
}
