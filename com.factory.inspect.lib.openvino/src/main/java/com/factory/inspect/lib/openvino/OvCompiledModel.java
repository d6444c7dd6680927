package com.factory.inspect.lib.openvino;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * A model compiled for a device ({@code ov_compiled_model_t}). Thread-safe: infer requests may be
 * created from several threads. Close it after the infer requests created from it.
 */
public final class OvCompiledModel extends NativeHandle {
    OvCompiledModel(OpenVino openVino, Pointer handle) {
        super(openVino, handle, "compiled model");
    }

    /** A new infer request; the caller owns it. */
    public OvInferRequest createInferRequest() throws OpenVinoException {
        PointerByReference ref = new PointerByReference();
        openVino.check(openVino.c().ov_compiled_model_create_infer_request(handle(), ref),
                "ov_compiled_model_create_infer_request");
        return new OvInferRequest(openVino, ref.getValue());
    }

    @Override
    void free(Pointer pointer) {
        openVino.c().ov_compiled_model_free(pointer);
    }
}
