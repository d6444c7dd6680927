package com.factory.inspect.lib.openvino;

import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One OpenVINO object ({@code ov_*_t*}) with exactly one owner, who closes it. Closing is
 * idempotent and thread-safe (the pointer is taken once); any other use after close is a lifecycle
 * error ({@link IllegalStateException}), never a native crash.
 */
abstract class NativeHandle implements AutoCloseable {
    private final AtomicReference<Pointer> handle;
    private final String kind;
    final OpenVino openVino;

    NativeHandle(OpenVino openVino, Pointer handle, String kind) {
        if (handle == null) {
            throw new IllegalStateException(kind + ": OpenVINO returned OK but no object");
        }
        this.openVino = openVino;
        this.handle = new AtomicReference<>(handle);
        this.kind = kind;
    }

    /** The native pointer, for calls; the caller must not free it. */
    final Pointer handle() {
        Pointer p = handle.get();
        if (p == null) {
            throw new IllegalStateException(kind + " was already closed");
        }
        return p;
    }

    /** Whether {@link #close()} was called. */
    public final boolean isClosed() {
        return handle.get() == null;
    }

    /** Frees the native object (once; later calls do nothing). */
    @Override
    public final void close() {
        Pointer p = handle.getAndSet(null);
        if (p != null) {
            free(p);
        }
    }

    /** Calls the matching {@code ov_*_free}, then releases what the object kept alive. */
    abstract void free(Pointer pointer);

    @Override
    public String toString() {
        return kind + (isClosed() ? " (closed)" : "");
    }
}
