package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The delete path TensorRT objects take, exercised on JavaCPP's own {@code IntPointer} (its natives
 * load here; TensorRT's do not): memory JavaCPP no longer owns is freed with the {@code delete[]} of
 * a throwaway {@code IntPointer}. A wrong function or a double free would crash the test JVM.
 */
class CppDeleteTest {

    @Test
    void memoryWithoutAnOwnerIsDeletedWithTheTemplatesDeallocator() {
        IntPointer owned = new IntPointer(16);
        owned.put(3, 42);
        owned.deallocate(false); // JavaCPP lets go: like a TensorRT object, nothing frees it now
        IntPointer orphan = new IntPointer((Pointer) owned);
        assertEquals(42, orphan.get(3));

        CppDelete.delete(orphan, () -> new IntPointer(1L));
        assertTrue(orphan.isNull());
    }

    @Test
    void nullAndAlreadyDeletedObjectsAreLeftAlone() {
        CppDelete.delete(null, () -> {
            throw new AssertionError("no template needed");
        });
        IntPointer empty = new IntPointer((Pointer) null);
        CppDelete.delete(empty, () -> {
            throw new AssertionError("no template needed");
        });
        assertTrue(empty.isNull());
    }
}
