package com.factory.inspect.backend.tensorrt;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator types of an ONNX model, read straight from its protobuf encoding (no ONNX library:
 * only the few fields on the way to {@code NodeProto.op_type} are decoded, everything else is
 * skipped by its wire type). Covers the main graph, subgraphs in node attributes ({@code If},
 * {@code Loop}, {@code Scan}) and model-local functions.
 *
 * <p>Used to tell an explicitly quantized model (QuantizeLinear/DequantizeLinear nodes, "QDQ") from a
 * float one, which decides whether TensorRT builds it with INT8.
 */
final class OnnxGraph {
    // Field numbers from onnx.proto (ONNX IR version 3 onwards; stable since).
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_FUNCTIONS = 25;
    private static final int GRAPH_NODE = 1;
    private static final int FUNCTION_NODE = 7;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    private static final int ATTRIBUTE_GRAPH = 6;
    private static final int ATTRIBUTE_GRAPHS = 11;
    private static final int MAX_DEPTH = 64;

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final Set<String> operators;

    private OnnxGraph(Set<String> operators) {
        this.operators = Set.copyOf(operators);
    }

    /**
     * Reads the operators of an ONNX model.
     *
     * @throws IllegalArgumentException if {@code model} is not a readable ONNX model (says what is wrong)
     */
    static OnnxGraph read(byte[] model) {
        Set<String> ops = new TreeSet<>();
        Reader r = new Reader(model, 0, model.length);
        boolean graph = false;
        while (r.more()) {
            int tag = r.tag();
            if (field(tag) == MODEL_GRAPH && type(tag) == LENGTH_DELIMITED) {
                graph = true;
                graph(r.message(), ops, 0);
            } else if (field(tag) == MODEL_FUNCTIONS && type(tag) == LENGTH_DELIMITED) {
                nodes(r.message(), FUNCTION_NODE, ops, 0);
            } else {
                r.skip(tag);
            }
        }
        if (!graph) {
            throw new IllegalArgumentException("not an ONNX model: no graph in its " + model.length + " bytes");
        }
        return new OnnxGraph(ops);
    }

    /** Operator types, {@code Conv} for the ONNX domain, {@code com.microsoft:QuantizeLinear} for others. */
    Set<String> operators() {
        return operators;
    }

    /**
     * Whether the model is explicitly quantized: it has ONNX {@code QuantizeLinear} or
     * {@code DequantizeLinear} nodes, which TensorRT runs in INT8.
     */
    boolean quantized() {
        return operators.contains("QuantizeLinear") || operators.contains("DequantizeLinear");
    }

    private static void graph(Reader graph, Set<String> ops, int depth) {
        nodes(graph, GRAPH_NODE, ops, depth);
    }

    private static void nodes(Reader container, int nodeField, Set<String> ops, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("not a readable ONNX model: subgraphs nested deeper than " + MAX_DEPTH);
        }
        while (container.more()) {
            int tag = container.tag();
            if (field(tag) == nodeField && type(tag) == LENGTH_DELIMITED) {
                node(container.message(), ops, depth);
            } else {
                container.skip(tag);
            }
        }
    }

    private static void node(Reader node, Set<String> ops, int depth) {
        String opType = "";
        String domain = "";
        while (node.more()) {
            int tag = node.tag();
            int field = field(tag);
            if (field == NODE_OP_TYPE && type(tag) == LENGTH_DELIMITED) {
                opType = node.string();
            } else if (field == NODE_DOMAIN && type(tag) == LENGTH_DELIMITED) {
                domain = node.string();
            } else if (field == NODE_ATTRIBUTE && type(tag) == LENGTH_DELIMITED) {
                attribute(node.message(), ops, depth);
            } else {
                node.skip(tag);
            }
        }
        boolean onnxDomain = domain.isEmpty() || domain.equals("ai.onnx");
        ops.add(onnxDomain ? opType : domain + ":" + opType);
    }

    private static void attribute(Reader attribute, Set<String> ops, int depth) {
        while (attribute.more()) {
            int tag = attribute.tag();
            int field = field(tag);
            if ((field == ATTRIBUTE_GRAPH || field == ATTRIBUTE_GRAPHS) && type(tag) == LENGTH_DELIMITED) {
                graph(attribute.message(), ops, depth + 1);
            } else {
                attribute.skip(tag);
            }
        }
    }

    private static int field(int tag) {
        return tag >>> 3;
    }

    private static int type(int tag) {
        return tag & 7;
    }

    /** A protobuf wire-format cursor over {@code data[from, to)}. */
    private static final class Reader {
        private final byte[] data;
        private final int end;
        private int pos;

        Reader(byte[] data, int from, int to) {
            this.data = data;
            this.pos = from;
            this.end = to;
        }

        boolean more() {
            return pos < end;
        }

        int tag() {
            long tag = varint();
            if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
                throw bad("invalid field tag " + tag);
            }
            return (int) tag;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw bad("a number runs past the end of its message");
                }
                byte b = data[pos++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw bad("a number is longer than 10 bytes");
        }

        Reader message() {
            int length = length();
            Reader inner = new Reader(data, pos, pos + length);
            pos += length;
            return inner;
        }

        String string() {
            int length = length();
            String s = new String(data, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        void skip(int tag) {
            switch (type(tag)) {
                case VARINT -> varint();
                case FIXED64 -> advance(8);
                case LENGTH_DELIMITED -> advance(length());
                case FIXED32 -> advance(4);
                default -> throw bad("unsupported wire type " + type(tag) + " of field " + field(tag));
            }
        }

        private int length() {
            long length = varint();
            if (length < 0 || length > end - pos) {
                throw bad("a field of " + length + " bytes runs past the end of its message (" + (end - pos)
                        + " bytes left)");
            }
            return (int) length;
        }

        private void advance(int n) {
            if (n > end - pos) {
                throw bad("a field runs past the end of its message");
            }
            pos += n;
        }

        private IllegalArgumentException bad(String what) {
            return new IllegalArgumentException("not a readable ONNX model: " + what + " (at byte " + pos + ")");
        }
    }
}
