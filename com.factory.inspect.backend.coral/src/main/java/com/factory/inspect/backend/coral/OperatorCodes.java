package com.factory.inspect.backend.coral;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator codes of a {@code .tflite} file, read straight from its flatbuffer ({@code Model}
 * field 1, {@code operator_codes}; {@code OperatorCode} fields 0 {@code deprecated_builtin_code},
 * 1 {@code custom_code}, 3 {@code builtin_code}). TensorFlow Lite's C API does not list a model's
 * operators, and a model compiled for the Edge TPU must be recognised before an interpreter is
 * built: without the Edge TPU delegate its {@code edgetpu-custom-op} cannot run.
 *
 * <p>Read only after TensorFlow Lite's verifier accepted the file; the bounds checks here only
 * turn a surprise into an exception instead of a wrong answer.
 *
 * @param builtin the builtin operator code of each entry ({@code 32} = CUSTOM)
 * @param custom the custom code of each entry, empty for builtin operators
 */
record OperatorCodes(List<Integer> builtin, List<String> custom) {
    /** The operator the Edge TPU compiler puts the compiled part of a graph in. */
    static final String EDGETPU_CUSTOM_OP = "edgetpu-custom-op";

    private static final int MODEL_OPERATOR_CODES = 1;
    private static final int CODE_DEPRECATED_BUILTIN = 0;
    private static final int CODE_CUSTOM = 1;
    private static final int CODE_BUILTIN = 3;

    OperatorCodes {
        builtin = List.copyOf(builtin);
        custom = List.copyOf(custom);
    }

    /**
     * Reads the operator codes of a flatbuffer model.
     *
     * @throws IllegalArgumentException if the bytes are not laid out as a TensorFlow Lite model
     */
    static OperatorCodes read(byte[] model) {
        ByteBuffer b = ByteBuffer.wrap(model).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int root = uoffset(b, 0);
            List<Integer> builtin = new ArrayList<>();
            List<String> custom = new ArrayList<>();
            int codes = field(b, root, MODEL_OPERATOR_CODES);
            if (codes != 0) {
                int vector = uoffset(b, codes);
                int count = b.getInt(vector);
                for (int i = 0; i < count; i++) {
                    int code = uoffset(b, vector + 4 + 4 * i);
                    int builtinAt = field(b, code, CODE_BUILTIN);
                    int deprecatedAt = field(b, code, CODE_DEPRECATED_BUILTIN);
                    // The larger of the two, as TensorFlow Lite reads it: older files carry only the byte.
                    builtin.add(Math.max(builtinAt == 0 ? 0 : b.getInt(builtinAt),
                            deprecatedAt == 0 ? 0 : b.get(deprecatedAt)));
                    int customAt = field(b, code, CODE_CUSTOM);
                    custom.add(customAt == 0 ? "" : string(b, uoffset(b, customAt)));
                }
            }
            return new OperatorCodes(builtin, custom);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a TensorFlow Lite flatbuffer (an offset points outside the "
                    + model.length + " bytes)", e);
        }
    }

    /** Whether the model was compiled for the Edge TPU. */
    boolean needsEdgeTpu() {
        return custom.contains(EDGETPU_CUSTOM_OP);
    }

    /** Position of a table's field, or 0 when the field is absent (its default). */
    private static int field(ByteBuffer b, int table, int index) {
        int vtable = table - b.getInt(table);
        int vtableSize = Short.toUnsignedInt(b.getShort(vtable));
        int slot = 4 + 2 * index;
        if (slot + 2 > vtableSize) {
            return 0;
        }
        int offset = Short.toUnsignedInt(b.getShort(vtable + slot));
        return offset == 0 ? 0 : table + offset;
    }

    /** Follows the unsigned offset stored at {@code at}. */
    private static int uoffset(ByteBuffer b, int at) {
        long target = at + Integer.toUnsignedLong(b.getInt(at));
        if (target >= b.limit()) {
            throw new IndexOutOfBoundsException("offset " + target);
        }
        return (int) target;
    }

    private static String string(ByteBuffer b, int at) {
        int length = b.getInt(at);
        if (length < 0 || at + 4L + length > b.limit()) {
            throw new IndexOutOfBoundsException("string of " + length + " bytes at " + at);
        }
        return new String(b.array(), at + 4, length, StandardCharsets.UTF_8);
    }
}
