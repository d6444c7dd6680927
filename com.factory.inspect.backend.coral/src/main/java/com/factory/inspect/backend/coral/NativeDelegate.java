package com.factory.inspect.backend.coral;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.TfLiteOpaqueDelegateStruct;

/**
 * A {@code TfLiteDelegate*} made by a C function JavaCPP does not map (XNNPACK's, libedgetpu's),
 * owned here and deleted once by {@link #close()}. It must outlive every interpreter it was added
 * to; {@link NativeInterpreter} owns its delegate and closes it after the interpreter.
 */
final class NativeDelegate implements AutoCloseable {
    private static final Logger LOG = System.getLogger(NativeDelegate.class.getName());

    /** Frees a delegate; the C function that pairs with its constructor. */
    interface Deleter {
        void delete(long address);
    }

    private final String name;
    private final long address;
    private final Deleter deleter;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param name what it is, for messages (e.g. {@code XNNPACK delegate, 1 thread})
     * @param address the delegate, not 0
     */
    NativeDelegate(String name, long address, Deleter deleter) {
        if (address == 0) {
            throw new IllegalArgumentException(name + ": null delegate");
        }
        this.name = name;
        this.address = address;
        this.deleter = deleter;
    }

    /** The delegate as the JavaCPP C API takes it; a view, owning nothing. */
    TfLiteOpaqueDelegateStruct asTfLite() {
        long at = address;
        return new TfLiteOpaqueDelegateStruct(new Pointer() {
            {
                address = at;
            }
        });
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                deleter.delete(address);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Deleting the " + name + " failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
