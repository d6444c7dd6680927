package com.factory.inspect.lib.openvino;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * An infer request ({@code ov_infer_request_t}). Not thread-safe: one thread at a time sets its input,
 * runs it and reads its output.
 */
public final class OvInferRequest extends NativeHandle {
    OvInferRequest(OpenVino openVino, Pointer handle) {
        super(openVino, handle, "infer request");
    }

    /** Sets the input of a single-input model; the request keeps reading {@code tensor}'s memory. */
    public void setInput(OvTensor tensor) throws OpenVinoException {
        openVino.check(openVino.c().ov_infer_request_set_input_tensor(handle(), tensor.handle()),
                "ov_infer_request_set_input_tensor");
    }

    /** Runs the model synchronously on the calling thread's behalf. */
    public void infer() throws OpenVinoException {
        openVino.check(openVino.c().ov_infer_request_infer(handle()), "ov_infer_request_infer");
    }

    /** The output tensor at {@code index}; the caller closes the handle (the data stays the request's). */
    public OvTensor output(int index) throws OpenVinoException {
        PointerByReference ref = new PointerByReference();
        openVino.check(openVino.c().ov_infer_request_get_output_tensor_by_index(handle(), index, ref),
                "ov_infer_request_get_output_tensor_by_index");
        return OvTensor.of(openVino, ref.getValue());
    }

    @Override
    void free(Pointer pointer) {
        openVino.c().ov_infer_request_free(pointer);
    }
}
