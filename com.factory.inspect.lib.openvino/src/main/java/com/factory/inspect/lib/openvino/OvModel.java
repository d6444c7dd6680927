package com.factory.inspect.lib.openvino;

import com.factory.inspect.lib.openvino.internal.OpenVinoC;
import com.factory.inspect.lib.openvino.internal.Structs;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A model read by {@link OpenVino#readModel} ({@code ov_model_t}), owning the native copy of its
 * weights. OpenVINO uses those weights in place, also from models compiled from this one, so close
 * this only after the compiled models made from it.
 */
public final class OvModel extends NativeHandle {
    private final OvTensor weightsTensor;
    private final Memory weights;

    OvModel(OpenVino openVino, Pointer handle, OvTensor weightsTensor, Memory weights) {
        super(openVino, handle, "model");
        this.weightsTensor = weightsTensor;
        this.weights = weights;
    }

    /** The model's inputs, in order. */
    public List<PortInfo> inputs() throws OpenVinoException {
        return ports(true);
    }

    /** The model's outputs, in order. */
    public List<PortInfo> outputs() throws OpenVinoException {
        return ports(false);
    }

    private List<PortInfo> ports(boolean inputs) throws OpenVinoException {
        OpenVinoC c = openVino.c();
        LongByReference count = new LongByReference();
        openVino.check(inputs ? c.ov_model_inputs_size(handle(), count) : c.ov_model_outputs_size(handle(), count),
                inputs ? "ov_model_inputs_size" : "ov_model_outputs_size");
        List<PortInfo> ports = new ArrayList<>();
        for (long i = 0; i < count.getValue(); i++) {
            PointerByReference port = new PointerByReference();
            openVino.check(inputs ? c.ov_model_const_input_by_index(handle(), i, port)
                    : c.ov_model_const_output_by_index(handle(), i, port),
                    inputs ? "ov_model_const_input_by_index" : "ov_model_const_output_by_index");
            try {
                ports.add(port(port.getValue(), (inputs ? "input " : "output ") + i));
            } finally {
                c.ov_output_const_port_free(port.getValue());
            }
        }
        return ports;
    }

    private PortInfo port(Pointer port, String fallbackName) throws OpenVinoException {
        OpenVinoC c = openVino.c();
        String name = fallbackName;
        PointerByReference text = new PointerByReference();
        // Fails for a tensor without names, which is legal: then the index names it.
        if (c.ov_port_get_any_name(port, text) == 0 && text.getValue() != null) {
            try {
                name = text.getValue().getString(0, StandardCharsets.UTF_8.name());
            } finally {
                c.ov_free(text.getValue());
            }
        }
        IntByReference type = new IntByReference();
        openVino.check(c.ov_port_get_element_type(port, type), "ov_port_get_element_type");
        Structs.PartialShape shape = new Structs.PartialShape();
        openVino.check(c.ov_port_get_partial_shape(port, shape), "ov_port_get_partial_shape");
        try {
            if (shape.rankMin != shape.rankMax || shape.rankMax < 0 || shape.dims == null && shape.rankMax > 0) {
                return new PortInfo(name, type.getValue(), List.of(), true);
            }
            long[] minMax = shape.rankMax == 0 ? new long[0] : shape.dims.getLongArray(0, (int) shape.rankMax * 2);
            List<Long> dims = new ArrayList<>();
            for (int d = 0; d < minMax.length; d += 2) {
                dims.add(minMax[d] == minMax[d + 1] ? minMax[d] : -1L);
            }
            return new PortInfo(name, type.getValue(), dims, false);
        } finally {
            c.ov_partial_shape_free(shape);
        }
    }

    @Override
    void free(Pointer pointer) {
        openVino.c().ov_model_free(pointer);
        if (weightsTensor != null) {
            weightsTensor.close();
        }
        if (weights != null) {
            weights.close();
        }
    }
}
