package com.factory.inspect.backend.coral;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import java.nio.file.Path;

/**
 * libedgetpu's TensorFlow Lite delegate plugin, called through JNA: {@code tflite_plugin_create_delegate}
 * and {@code tflite_plugin_destroy_delegate}, the two functions TensorFlow Lite's external delegate
 * ({@code TfLiteExternalDelegateCreate}) forwards to.
 *
 * <p>Why not the external delegate itself: when the library cannot be loaded or the plugin cannot
 * open a device (unplugged, or held by another process), {@code TfLiteExternalDelegateCreate} still
 * returns a delegate, whose fields are left uninitialised; adding it to an interpreter crashed the
 * JVM (SIGSEGV, measured with TensorFlow Lite 2.21 and a missing library), and deleting it frees an
 * uninitialised pointer. The plugin function returns null instead, which becomes an exception here.
 *
 * <p>This TensorFlow Lite (2.21) reads the delegate struct libedgetpu returns, and libedgetpu reads
 * TensorFlow Lite's context, so libedgetpu must be built against a TensorFlow Lite of the same
 * struct layouts: a build for a recent TensorFlow, not Google's last release (2021, built for
 * TensorFlow 2.5, before {@code TfLiteDelegate} gained its {@code opaque_delegate_builder} field).
 * Not verified here: no Edge TPU was available when this was written.
 */
final class EdgeTpuLibrary {
    private final Path path;
    private final Function create;
    private final Function destroy;
    private final String version;

    private EdgeTpuLibrary(Path path, Function create, Function destroy, String version) {
        this.path = path;
        this.create = create;
        this.destroy = destroy;
        this.version = version;
    }

    /**
     * Loads libedgetpu (once per JVM: the dynamic linker keeps it) and finds the plugin functions.
     *
     * @throws InferenceException {@code BACKEND_UNAVAILABLE} if it does not load or is not libedgetpu
     */
    static EdgeTpuLibrary open(Path path) throws InferenceException {
        NativeLibrary library;
        try {
            library = NativeLibrary.getInstance(path.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, path + " could not be loaded: "
                    + e.getMessage(), e);
        }
        try {
            return new EdgeTpuLibrary(path, library.getFunction("tflite_plugin_create_delegate"),
                    library.getFunction("tflite_plugin_destroy_delegate"), version(library));
        } catch (UnsatisfiedLinkError e) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, path + " is not libedgetpu's TensorFlow "
                    + "Lite delegate plugin: " + e.getMessage(), e);
        }
    }

    /** libedgetpu's build and runtime version, as {@code edgetpu_version()} reports it. */
    String version() {
        return version;
    }

    /**
     * Opens an Edge TPU and returns its delegate.
     *
     * @param device {@code ""} (any), {@code usb}, {@code pci}, {@code :N}, {@code usb:N} or {@code pci:N}
     * @throws InferenceException {@code BACKEND_UNAVAILABLE} if libedgetpu opens no device
     */
    NativeDelegate createDelegate(String device) throws InferenceException {
        String[] keys = device.isEmpty() ? new String[0] : new String[] {"device"};
        String[] values = device.isEmpty() ? new String[0] : new String[] {device};
        Pointer delegate = (Pointer) create.invoke(Pointer.class, new Object[] {new StringArray(keys),
                new StringArray(values), new NativeLong(keys.length), null});
        if (delegate == null) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, path + " opened no Edge TPU"
                    + (device.isEmpty() ? "" : " for device '" + device + "'")
                    + ": unplugged, or in use by another process?");
        }
        return new NativeDelegate("Edge TPU delegate" + (device.isEmpty() ? "" : " (device " + device + ")"),
                Pointer.nativeValue(delegate), address -> destroy.invoke(Void.class, new Object[] {new Pointer(address)}));
    }

    private static String version(NativeLibrary library) {
        try {
            return library.getFunction("edgetpu_version").invokeString(new Object[0], false);
        } catch (UnsatisfiedLinkError e) {
            return "unknown version";
        }
    }
}
