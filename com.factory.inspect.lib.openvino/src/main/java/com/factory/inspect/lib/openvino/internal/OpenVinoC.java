package com.factory.inspect.lib.openvino.internal;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of OpenVINO's C API ({@code openvino/c/openvino.h}, 2023.0 and newer) this project calls,
 * as a JNA interface mapping. Interface mapping rather than direct mapping because
 * {@code ov_core_compile_model} is variadic. Every {@code int} result is an {@code ov_status_e}
 * ({@code 0} = OK). {@code size_t} is mapped to {@code long}: only 64-bit JVMs are supported, which
 * the loader checks.
 *
 * <p>Element types ({@code ov_element_type_e}) are passed as {@code int}. Only values that are the
 * same in every release since 2023.0 are used: later releases inserted types (u2, u3, u6) in the
 * middle of the enum, which moved {@code U8} but not {@code F32} (5) or {@code I8} (8).
 */
public interface OpenVinoC extends Library {
    /** {@code ov_element_type_e::F32}. */
    int F32 = 5;
    /** {@code ov_element_type_e::I8}: one byte per element, used for raw weights buffers. */
    int I8 = 8;

    // --- errors and version ---

    /** A static description of a status code; not to be freed. */
    String ov_get_error_info(int status);

    /** The last error's full text (2024.0 and newer), to be freed with {@link #ov_free}; may be null. */
    Pointer ov_get_last_err_msg();

    void ov_free(Pointer content);

    int ov_get_openvino_version(Structs.Version version);

    void ov_version_free(Structs.Version version);

    // --- core ---

    int ov_core_create(PointerByReference core);

    void ov_core_free(Pointer core);

    int ov_core_get_available_devices(Pointer core, Structs.AvailableDevices devices);

    void ov_available_devices_free(Structs.AvailableDevices devices);

    int ov_core_get_property(Pointer core, String deviceName, String propertyKey, PointerByReference value);

    int ov_core_read_model_from_memory_buffer(Pointer core, byte[] model, long modelLength, Pointer weights,
            PointerByReference result);

    /** {@code properties}: {@code propertyArgsSize} strings, alternately key and value. */
    int ov_core_compile_model(Pointer core, Pointer model, String deviceName, long propertyArgsSize,
            PointerByReference compiledModel, Object... properties);

    // --- model and ports ---

    void ov_model_free(Pointer model);

    int ov_model_inputs_size(Pointer model, LongByReference size);

    int ov_model_outputs_size(Pointer model, LongByReference size);

    int ov_model_const_input_by_index(Pointer model, long index, PointerByReference port);

    int ov_model_const_output_by_index(Pointer model, long index, PointerByReference port);

    int ov_port_get_any_name(Pointer port, PointerByReference name);

    int ov_port_get_element_type(Pointer port, IntByReference type);

    int ov_port_get_partial_shape(Pointer port, Structs.PartialShape shape);

    void ov_partial_shape_free(Structs.PartialShape shape);

    void ov_output_const_port_free(Pointer port);

    // --- compiled model and infer request ---

    int ov_compiled_model_create_infer_request(Pointer compiledModel, PointerByReference request);

    void ov_compiled_model_free(Pointer compiledModel);

    int ov_infer_request_set_input_tensor(Pointer request, Pointer tensor);

    int ov_infer_request_infer(Pointer request);

    int ov_infer_request_get_output_tensor_by_index(Pointer request, long index, PointerByReference tensor);

    void ov_infer_request_free(Pointer request);

    // --- shapes and tensors ---

    int ov_shape_create(long rank, long[] dims, Structs.Shape shape);

    int ov_shape_free(Structs.Shape shape);

    int ov_tensor_create_from_host_ptr(int elementType, Structs.Shape.ByValue shape, Pointer hostPtr,
            PointerByReference tensor);

    int ov_tensor_get_size(Pointer tensor, LongByReference elements);

    int ov_tensor_data(Pointer tensor, PointerByReference data);

    void ov_tensor_free(Pointer tensor);
}
