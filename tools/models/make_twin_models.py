#!/usr/bin/python3
"""Writes the "twin" test models: one small network, the same seeded weights, as ONNX and as
TensorFlow Lite, with reference outputs computed in numpy, so every backend's tests can check that
it computes the same numbers; and a larger "bench twin" of the same kind, for timing the backends
(see below).

The network (C = 8 channels):

    image    [N, 1, 32, 32] NCHW (ONNX) or [N, 32, 32, 1] NHWC (TFLite), float32
    conv     3x3, stride 1, zero padding 1 (TFLite: SAME), C filters, + bias, ReLU
    pooled   mean over height and width                      -> [N, C]
    logits   pooled . W^T + b                                -> [N, 2]
    probabilities = softmax(logits)                          -> [N, 2]

Files (written to the folder given, default: twin.onnx, twin.tflite and twin-reference.txt to the
conformance bundle's resources, the other TensorFlow Lite variants to the coral backend's test
resources):
  twin.onnx            opset 13, input "image" [-1, 1, 32, 32], output "probabilities" [-1, 2]
  twin.tflite          input "image" [1, 32, 32, 1] (shape signature [-1, 32, 32, 1]), output
                       "probabilities" [1, 2] (signature [-1, 2]): CONV_2D (fused ReLU), MEAN,
                       FULLY_CONNECTED, SOFTMAX
  twin-fixed.tflite    twin.tflite without shape signatures: its batch is fixed at 1
  twin-uint8.tflite    the same network between a uint8 input (DEQUANTIZE, scale 4/255, zero point
                       128) and a uint8 output (QUANTIZE, scale 1/256, zero point 0): the I/O of a
                       fully quantised (Edge TPU) model, runnable on the CPU
  twin-edgetpu.tflite  uint8 [1, 32, 32, 1] -> uint8 [1, 2] through one CUSTOM operator
                       "edgetpu-custom-op", the shape of a model from the Edge TPU compiler. Its
                       custom options are NOT a compiled Edge TPU program: it exists only to test
                       that backends recognise (and the CPU backend refuses) Edge TPU models; it
                       runs nowhere
  twin-reference.txt   seeded inputs and the expected outputs of twin.*, twin-fixed.tflite (batch
                       1) and twin-uint8.tflite

For one channel, NCHW [1, 1, 32, 32] and NHWC [1, 32, 32, 1] put the pixels in the same order, so
one row-major list of 1024 floats per image serves both formats.

The bench twin: a network of the same kind at the gateway's input size and of realistic cost (about
45 million multiply-adds per image), so the benchmark times the backends' arithmetic, not only their
per-call overhead (seed 20261127, He-scaled weights, outputs far from 0 and 1):

    image    [N, 1, 224, 224] NCHW (ONNX) or [N, 224, 224, 1] NHWC (TFLite), float32
    4 x conv 3x3, stride 2, + bias, ReLU: 1 -> 16 -> 32 -> 64 -> 128 channels, 224 -> 112 -> 56 -> 28
             -> 14; TFLite padding SAME, which for stride 2 on an even size pads 0 before and 1 after,
             so the ONNX convolutions have pads [0, 0, 1, 1]
    pooled   mean over height and width                      -> [N, 128]
    logits   pooled . W^T + b                                -> [N, 2]
    probabilities = softmax(logits)                          -> [N, 2]

Files (written to the benchmark bundle's resources, or the folder given):
  bench-twin.onnx              opset 13, input "image" [-1, 1, 224, 224], output "probabilities" [-1, 2]
  bench-twin.tflite            input "image" [1, 224, 224, 1] (shape signature [-1, 224, 224, 1]),
                               output "probabilities" [1, 2] (signature [-1, 2]): 4 CONV_2D (stride
                               2, fused ReLU), MEAN, FULLY_CONNECTED, SOFTMAX
  bench-twin-onnx.properties   their model descriptors (with each file's SHA-256)
  bench-twin-tflite.properties
  bench-twin-reference.txt     two inputs (seeded noise, a bright disc with rings on a dark ground;
                               multiples of 1/16 in [-2, 2]) and the expected probabilities

Needs Debian's python3-numpy, python3-onnx and python3-flatbuffers (no TensorFlow). Deterministic:
the same package versions write the same bytes. Prints the SHA-256 of every file.
Usage: /usr/bin/python3 make_twin_models.py [output-folder]
"""
import hashlib
import os
import sys

import flatbuffers
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SEED = 20261126
CHANNELS = 8
SIZE = 32
REFERENCE_IMAGES = 4
IN_SCALE, IN_ZERO = 4.0 / 255.0, 128     # uint8 input: x = (q - 128) * 4/255, about [-2, 2]
OUT_SCALE, OUT_ZERO = 1.0 / 256.0, 0     # uint8 output: p = q / 256
EDGETPU_OP = "edgetpu-custom-op"

BENCH_SEED = 20261127
BENCH_SIZE = 224
BENCH_CHANNELS = (1, 16, 32, 64, 128)    # conv 3x3 stride 2 from each to the next
BENCH_STEP = 1.0 / 16                    # reference pixels are multiples of this: exact, and short as text
BENCH_REFERENCE_IMAGES = 2


def weights():
    rng = np.random.RandomState(SEED)
    conv_w = (rng.standard_normal((CHANNELS, 1, 3, 3)) * 0.6).astype(np.float32)  # OIHW
    conv_b = (rng.standard_normal(CHANNELS) * 0.1).astype(np.float32)
    fc_w = (rng.standard_normal((2, CHANNELS)) * 0.8).astype(np.float32)
    fc_b = (rng.standard_normal(2) * 0.1).astype(np.float32)
    return conv_w, conv_b, fc_w, fc_b


def reference_images():
    """Seeded noise (centred and bright), vertical stripes and a diagonal ramp, in [-2, 2]."""
    rng = np.random.RandomState(SEED + 1)
    y, x = np.mgrid[0:SIZE, 0:SIZE]
    images = [rng.uniform(-2.0, 2.0, (SIZE, SIZE)),
              rng.uniform(0.0, 2.0, (SIZE, SIZE)),
              np.where((x // 2) % 2 == 0, -1.5, 1.5),
              (x - y) / (SIZE / 2.0)]
    assert len(images) == REFERENCE_IMAGES
    return np.stack(images).astype(np.float32)  # [N, 32, 32]


def forward(images, w):
    """The network in float64 numpy: images [N, 32, 32] -> probabilities [N, 2]."""
    conv_w, conv_b, fc_w, fc_b = (a.astype(np.float64) for a in w)
    x = np.pad(images.astype(np.float64), ((0, 0), (1, 1), (1, 1)))
    features = np.zeros((images.shape[0], CHANNELS, SIZE, SIZE))
    for c in range(CHANNELS):
        acc = np.full((images.shape[0], SIZE, SIZE), conv_b[c])
        for dy in range(3):
            for dx in range(3):
                acc += conv_w[c, 0, dy, dx] * x[:, dy:dy + SIZE, dx:dx + SIZE]
        features[:, c] = np.maximum(acc, 0.0)
    pooled = features.mean(axis=(2, 3))
    logits = pooled @ fc_w.T + fc_b
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def quantised_forward(images, w):
    """What twin-uint8.tflite computes, given float inputs quantised as a backend would."""
    q = np.clip(np.round(images / IN_SCALE) + IN_ZERO, 0, 255)
    p = forward(((q - IN_ZERO) * IN_SCALE).astype(np.float32), w)
    q_out = np.clip(np.round(p / OUT_SCALE) + OUT_ZERO, 0, 255)
    return (q_out - OUT_ZERO) * OUT_SCALE


# --- ONNX ---

def onnx_model(w):
    conv_w, conv_b, fc_w, fc_b = w
    inits = [numpy_helper.from_array(conv_w, "conv_w"), numpy_helper.from_array(conv_b, "conv_b"),
             numpy_helper.from_array(fc_w, "fc_w"), numpy_helper.from_array(fc_b, "fc_b")]
    nodes = [helper.make_node("Conv", ["image", "conv_w", "conv_b"], ["conv"], kernel_shape=[3, 3],
                              pads=[1, 1, 1, 1], strides=[1, 1]),
             helper.make_node("Relu", ["conv"], ["features"]),
             helper.make_node("ReduceMean", ["features"], ["pooled"], axes=[2, 3], keepdims=0),
             helper.make_node("Gemm", ["pooled", "fc_w", "fc_b"], ["logits"], transB=1),
             helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1)]
    graph = helper.make_graph(
        nodes, "twin",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [-1, 1, SIZE, SIZE])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [-1, 2])],
        inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                          producer_name="factory-inspect-twin-models")
    m.ir_version = 8  # pinned, so the file does not change with the onnx package's default
    onnx.checker.check_model(m, full_check=True)
    return m.SerializeToString()


# --- TensorFlow Lite flatbuffer, written field by field (schema.fbs slot numbers) ---

FLOAT32, INT32, UINT8 = 0, 2, 3                       # TensorType
CONV_2D, DEQUANTIZE, FULLY_CONNECTED = 3, 6, 9        # BuiltinOperator
SOFTMAX, CUSTOM, MEAN, QUANTIZE = 25, 32, 40, 114
OPT_CONV, OPT_FC, OPT_SOFTMAX, OPT_REDUCER = 1, 8, 9, 27  # BuiltinOptions union types
PADDING_SAME, ACT_NONE, ACT_RELU = 0, 0, 1


class TfLiteWriter:
    """Collects buffers, tensors, operator codes and operators of one subgraph, then writes it."""

    def __init__(self):
        self.b = flatbuffers.Builder(4096)
        self.buffers = [b""]       # buffer 0: the empty sentinel every non-constant tensor uses
        self.tensors = []          # (name, type, shape, signature, buffer, quant)
        self.opcodes = []          # (builtin, custom)
        self.ops = []              # (opcode index, inputs, outputs, options type, options builder, custom)

    def tensor(self, name, ttype, shape, signature=None, data=None, quant=None):
        buffer = 0
        if data is not None:
            self.buffers.append(np.ascontiguousarray(data).tobytes())
            buffer = len(self.buffers) - 1
        self.tensors.append((name, ttype, shape, signature, buffer, quant))
        return len(self.tensors) - 1

    def op(self, builtin, inputs, outputs, options_type=0, options=None, custom=None, custom_options=None):
        key = (builtin, custom)
        if key not in self.opcodes:
            self.opcodes.append(key)
        self.ops.append((self.opcodes.index(key), inputs, outputs, options_type, options, custom_options))

    def _vector(self, values, size, prepend, alignment=None):
        self.b.StartVector(size, len(values), alignment or size)
        for v in reversed(values):
            prepend(v)
        return self.b.EndVector()

    def _ints(self, values):
        return self._vector(values, 4, self.b.PrependInt32)

    def _floats(self, values):
        return self._vector(values, 4, self.b.PrependFloat32)

    def _longs(self, values):
        return self._vector(values, 8, self.b.PrependInt64)

    def _bytes(self, data, alignment=1):
        return self._vector(data, 1, self.b.PrependUint8, alignment)

    def _offsets(self, offsets):
        return self._vector(offsets, 4, self.b.PrependUOffsetTRelative)

    def _quant(self, quant):
        scale, zero = quant
        s, z = self._floats([scale]), self._longs([zero])
        self.b.StartObject(7)
        self.b.PrependUOffsetTRelativeSlot(2, s, 0)
        self.b.PrependUOffsetTRelativeSlot(3, z, 0)
        return self.b.EndObject()

    def finish(self, description):
        b = self.b
        buffers = []
        for data in self.buffers:
            d = self._bytes(data, 16) if data else None
            b.StartObject(3)
            if d is not None:
                b.PrependUOffsetTRelativeSlot(0, d, 0)
            buffers.append(b.EndObject())
        tensors = []
        for name, ttype, shape, signature, buffer, quant in self.tensors:
            n, s = b.CreateString(name), self._ints(shape)
            sig = self._ints(signature) if signature else None
            q = self._quant(quant) if quant else None
            b.StartObject(10)
            b.PrependUOffsetTRelativeSlot(0, s, 0)
            b.PrependInt8Slot(1, ttype, 0)
            b.PrependUint32Slot(2, buffer, 0)
            b.PrependUOffsetTRelativeSlot(3, n, 0)
            if q is not None:
                b.PrependUOffsetTRelativeSlot(4, q, 0)
            if sig is not None:
                b.PrependUOffsetTRelativeSlot(7, sig, 0)
            tensors.append(b.EndObject())
        opcodes = []
        for builtin, custom in self.opcodes:
            c = b.CreateString(custom) if custom else None
            b.StartObject(4)
            b.PrependInt8Slot(0, min(builtin, 127), 0)   # deprecated_builtin_code
            if c is not None:
                b.PrependUOffsetTRelativeSlot(1, c, 0)
            b.PrependInt32Slot(2, 1, 1)                  # version
            b.PrependInt32Slot(3, builtin, 0)            # builtin_code
            opcodes.append(b.EndObject())
        ops = []
        for index, inputs, outputs, options_type, options, custom_options in self.ops:
            i, o = self._ints(inputs), self._ints(outputs)
            opt = options(b) if options else None
            co = self._bytes(custom_options) if custom_options else None
            b.StartObject(7)
            b.PrependUint32Slot(0, index, 0)
            b.PrependUOffsetTRelativeSlot(1, i, 0)
            b.PrependUOffsetTRelativeSlot(2, o, 0)
            if opt is not None:
                b.PrependUint8Slot(3, options_type, 0)
                b.PrependUOffsetTRelativeSlot(4, opt, 0)
            if co is not None:
                b.PrependUOffsetTRelativeSlot(5, co, 0)
            ops.append(b.EndObject())
        t, o = self._offsets(tensors), self._offsets(ops)
        inputs = self._ints([0])
        outputs = self._ints([len(self.tensors) - 1])
        name = b.CreateString("main")
        b.StartObject(5)
        b.PrependUOffsetTRelativeSlot(0, t, 0)
        b.PrependUOffsetTRelativeSlot(1, inputs, 0)
        b.PrependUOffsetTRelativeSlot(2, outputs, 0)
        b.PrependUOffsetTRelativeSlot(3, o, 0)
        b.PrependUOffsetTRelativeSlot(4, name, 0)
        subgraph = b.EndObject()
        codes, subgraphs, bufs = self._offsets(opcodes), self._offsets([subgraph]), self._offsets(buffers)
        desc = b.CreateString(description)
        b.StartObject(8)
        b.PrependUint32Slot(0, 3, 0)                     # schema version
        b.PrependUOffsetTRelativeSlot(1, codes, 0)
        b.PrependUOffsetTRelativeSlot(2, subgraphs, 0)
        b.PrependUOffsetTRelativeSlot(3, desc, 0)
        b.PrependUOffsetTRelativeSlot(4, bufs, 0)
        b.Finish(b.EndObject(), file_identifier=b"TFL3")
        return bytes(b.Output())


def conv_options(b):
    b.StartObject(7)
    b.PrependInt8Slot(0, PADDING_SAME, 0)
    b.PrependInt32Slot(1, 1, 0)                          # stride_w
    b.PrependInt32Slot(2, 1, 0)                          # stride_h
    b.PrependInt8Slot(3, ACT_RELU, 0)
    b.PrependInt32Slot(4, 1, 1)                          # dilation_w_factor
    b.PrependInt32Slot(5, 1, 1)                          # dilation_h_factor
    return b.EndObject()


def strided_conv_options(stride):
    """conv_options with another stride (padding SAME, fused ReLU)."""
    def options(b):
        b.StartObject(7)
        b.PrependInt8Slot(0, PADDING_SAME, 0)
        b.PrependInt32Slot(1, stride, 0)                 # stride_w
        b.PrependInt32Slot(2, stride, 0)                 # stride_h
        b.PrependInt8Slot(3, ACT_RELU, 0)
        b.PrependInt32Slot(4, 1, 1)                      # dilation_w_factor
        b.PrependInt32Slot(5, 1, 1)                      # dilation_h_factor
        return b.EndObject()
    return options


def fc_options(b):
    b.StartObject(5)
    b.PrependInt8Slot(0, ACT_NONE, 0)
    return b.EndObject()


def softmax_options(b):
    b.StartObject(1)
    b.PrependFloat32Slot(0, 1.0, 0.0)                    # beta
    return b.EndObject()


def reducer_options(b):
    b.StartObject(1)
    b.PrependBoolSlot(0, False, False)                   # keep_dims
    return b.EndObject()


def batch_dims(dynamic, *dims):
    """Shape with batch 1 and, for a dynamic batch, the shape signature with batch -1."""
    return [1, *dims], ([-1, *dims] if dynamic else None)


def network(t, image, w, dynamic=True):
    """Adds the float network after tensor `image`; returns the logits tensor."""
    conv_w, conv_b, fc_w, fc_b = w
    dyn = lambda *dims: batch_dims(dynamic, *dims)
    cw = t.tensor("conv_w", FLOAT32, [CHANNELS, 3, 3, 1], data=conv_w.transpose(0, 2, 3, 1))  # OHWI
    cb = t.tensor("conv_b", FLOAT32, [CHANNELS], data=conv_b)
    features = t.tensor("features", FLOAT32, *dyn(SIZE, SIZE, CHANNELS))
    t.op(CONV_2D, [image, cw, cb], [features], OPT_CONV, conv_options)
    axes = t.tensor("mean_axes", INT32, [2], data=np.array([1, 2], dtype=np.int32))
    pooled = t.tensor("pooled", FLOAT32, *dyn(CHANNELS))
    t.op(MEAN, [features, axes], [pooled], OPT_REDUCER, reducer_options)
    fw = t.tensor("fc_w", FLOAT32, [2, CHANNELS], data=fc_w)
    fb = t.tensor("fc_b", FLOAT32, [2], data=fc_b)
    logits = t.tensor("logits", FLOAT32, *dyn(2))
    t.op(FULLY_CONNECTED, [pooled, fw, fb], [logits], OPT_FC, fc_options)
    return logits


def tflite_float(w, dynamic=True):
    t = TfLiteWriter()
    image = t.tensor("image", FLOAT32, *batch_dims(dynamic, SIZE, SIZE, 1))
    logits = network(t, image, w, dynamic)
    probabilities = t.tensor("probabilities", FLOAT32, *batch_dims(dynamic, 2))
    t.op(SOFTMAX, [logits], [probabilities], OPT_SOFTMAX, softmax_options)
    return t.finish("factory-inspect twin test model (float32" + ("" if dynamic else ", batch fixed at 1") + ")")


def tflite_uint8(w):
    t = TfLiteWriter()
    image = t.tensor("image", UINT8, [1, SIZE, SIZE, 1], [-1, SIZE, SIZE, 1], quant=(IN_SCALE, IN_ZERO))
    image_float = t.tensor("image_float", FLOAT32, [1, SIZE, SIZE, 1], [-1, SIZE, SIZE, 1])
    t.op(DEQUANTIZE, [image], [image_float])
    logits = network(t, image_float, w)
    p_float = t.tensor("probabilities_float", FLOAT32, [1, 2], [-1, 2])
    t.op(SOFTMAX, [logits], [p_float], OPT_SOFTMAX, softmax_options)
    probabilities = t.tensor("probabilities", UINT8, [1, 2], [-1, 2], quant=(OUT_SCALE, OUT_ZERO))
    t.op(QUANTIZE, [p_float], [probabilities])
    return t.finish("factory-inspect twin test model (uint8 input and output)")


def tflite_edgetpu():
    t = TfLiteWriter()
    image = t.tensor("image", UINT8, [1, SIZE, SIZE, 1], quant=(IN_SCALE, IN_ZERO))
    probabilities = t.tensor("probabilities", UINT8, [1, 2], quant=(OUT_SCALE, OUT_ZERO))
    t.op(CUSTOM, [image], [probabilities], custom=EDGETPU_OP,
         custom_options=b"factory-inspect test model: not a compiled Edge TPU program")
    return t.finish("factory-inspect twin test model (Edge TPU operator placeholder, runs nowhere)")


def reference(images, float_out, uint8_out):
    lines = ["# Reference data of the twin models, written by tools/models/make_twin_models.py.",
             "# image <i>: 1024 floats, row-major 32x32 (the same order for NCHW [1,1,32,32] and",
             "#   NHWC [1,32,32,1]); float <i>: twin.onnx / twin.tflite probabilities (numpy, float64);",
             "#   uint8 <i>: twin-uint8.tflite probabilities after its uint8 input and output",
             "#   quantisation (input scale 4/255 zero point 128, output scale 1/256 zero point 0).",
             f"images {len(images)}"]
    for i, image in enumerate(images):
        lines.append(f"image {i} " + " ".join(repr(float(v)) for v in image.ravel()))
        lines.append(f"float {i} " + " ".join(repr(float(v)) for v in float_out[i]))
        lines.append(f"uint8 {i} " + " ".join(repr(float(v)) for v in uint8_out[i]))
    return ("\n".join(lines) + "\n").encode("ascii")


# --- bench twin: the same kind of network at 224 x 224, of realistic cost, for timing backends ---

def bench_weights():
    """[(conv_w OIHW, conv_b)] per layer, fc_w, fc_b; He-scaled so activations keep their size."""
    rng = np.random.RandomState(BENCH_SEED)
    convs = []
    for cin, cout in zip(BENCH_CHANNELS, BENCH_CHANNELS[1:]):
        conv_w = (rng.standard_normal((cout, cin, 3, 3)) * np.sqrt(2.0 / (9 * cin))).astype(np.float32)
        conv_b = (rng.standard_normal(cout) * 0.05).astype(np.float32)
        convs.append((conv_w, conv_b))
    fc_w = (rng.standard_normal((2, BENCH_CHANNELS[-1])) * 0.3).astype(np.float32)
    fc_b = (rng.standard_normal(2) * 0.1).astype(np.float32)
    return convs, fc_w, fc_b


def bench_images():
    """Seeded noise and a bright disc with rings on a dark ground, multiples of 1/16 in [-2, 2]."""
    rng = np.random.RandomState(BENCH_SEED + 1)
    y, x = np.mgrid[0:BENCH_SIZE, 0:BENCH_SIZE]
    r = np.hypot(x - 0.45 * BENCH_SIZE, y - 0.55 * BENCH_SIZE)
    images = [rng.uniform(-2.0, 2.0, (BENCH_SIZE, BENCH_SIZE)),
              np.where(r < 0.4 * BENCH_SIZE, 0.8 + 0.6 * np.sin(r / 3.0), -1.6)]
    assert len(images) == BENCH_REFERENCE_IMAGES
    images = np.clip(np.round(np.stack(images) / BENCH_STEP) * BENCH_STEP, -2.0, 2.0)
    return images.astype(np.float32)  # [N, 224, 224]


def bench_forward(images, w):
    """The bench twin in float64 numpy: images [N, 224, 224] -> probabilities [N, 2]."""
    convs, fc_w, fc_b = w
    x = images.astype(np.float64)[:, None]
    for conv_w, conv_b in convs:
        conv_w, conv_b = conv_w.astype(np.float64), conv_b.astype(np.float64)
        h, wd = x.shape[2] // 2, x.shape[3] // 2
        xp = np.pad(x, ((0, 0), (0, 0), (0, 1), (0, 1)))  # SAME for stride 2, even size: 0 before, 1 after
        acc = np.broadcast_to(conv_b[None, :, None, None], (x.shape[0], conv_w.shape[0], h, wd)).copy()
        for dy in range(3):
            for dx in range(3):
                acc += np.einsum("oc,nchw->nohw", conv_w[:, :, dy, dx], xp[:, :, dy:dy + 2 * h:2, dx:dx + 2 * wd:2])
        x = np.maximum(acc, 0.0)
    pooled = x.mean(axis=(2, 3))
    logits = pooled @ fc_w.astype(np.float64).T + fc_b.astype(np.float64)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def bench_onnx_model(w):
    convs, fc_w, fc_b = w
    inits, nodes, x = [], [], "image"
    for i, (conv_w, conv_b) in enumerate(convs, 1):
        inits += [numpy_helper.from_array(conv_w, f"conv{i}_w"), numpy_helper.from_array(conv_b, f"conv{i}_b")]
        nodes += [helper.make_node("Conv", [x, f"conv{i}_w", f"conv{i}_b"], [f"conv{i}"], kernel_shape=[3, 3],
                                   pads=[0, 0, 1, 1], strides=[2, 2]),
                  helper.make_node("Relu", [f"conv{i}"], [f"features{i}"])]
        x = f"features{i}"
    inits += [numpy_helper.from_array(fc_w, "fc_w"), numpy_helper.from_array(fc_b, "fc_b")]
    nodes += [helper.make_node("ReduceMean", [x], ["pooled"], axes=[2, 3], keepdims=0),
              helper.make_node("Gemm", ["pooled", "fc_w", "fc_b"], ["logits"], transB=1),
              helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1)]
    graph = helper.make_graph(
        nodes, "bench-twin",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [-1, 1, BENCH_SIZE, BENCH_SIZE])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [-1, 2])],
        inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                          producer_name="factory-inspect-twin-models")
    m.ir_version = 8
    onnx.checker.check_model(m, full_check=True)
    return m.SerializeToString()


def bench_tflite(w):
    convs, fc_w, fc_b = w
    t = TfLiteWriter()
    size = BENCH_SIZE
    x = t.tensor("image", FLOAT32, [1, size, size, 1], [-1, size, size, 1])
    for i, (conv_w, conv_b) in enumerate(convs, 1):
        cout = conv_w.shape[0]
        size //= 2
        cw = t.tensor(f"conv{i}_w", FLOAT32, list(conv_w.transpose(0, 2, 3, 1).shape),
                      data=conv_w.transpose(0, 2, 3, 1))  # OHWI
        cb = t.tensor(f"conv{i}_b", FLOAT32, [cout], data=conv_b)
        features = t.tensor(f"features{i}", FLOAT32, [1, size, size, cout], [-1, size, size, cout])
        t.op(CONV_2D, [x, cw, cb], [features], OPT_CONV, strided_conv_options(2))
        x = features
    channels = BENCH_CHANNELS[-1]
    axes = t.tensor("mean_axes", INT32, [2], data=np.array([1, 2], dtype=np.int32))
    pooled = t.tensor("pooled", FLOAT32, [1, channels], [-1, channels])
    t.op(MEAN, [x, axes], [pooled], OPT_REDUCER, reducer_options)
    fw = t.tensor("fc_w", FLOAT32, [2, channels], data=fc_w)
    fb = t.tensor("fc_b", FLOAT32, [2], data=fc_b)
    logits = t.tensor("logits", FLOAT32, [1, 2], [-1, 2])
    t.op(FULLY_CONNECTED, [pooled, fw, fb], [logits], OPT_FC, fc_options)
    probabilities = t.tensor("probabilities", FLOAT32, [1, 2], [-1, 2])
    t.op(SOFTMAX, [logits], [probabilities], OPT_SOFTMAX, softmax_options)
    return t.finish("factory-inspect bench twin (float32, 224x224, 4 conv 3x3 stride 2)")


def bench_descriptor(fmt, file, data):
    """The model descriptor (com.factory.inspect.models DescriptorProperties), keys sorted."""
    shape, layout = {"onnx": (f"-1,1,{BENCH_SIZE},{BENCH_SIZE}", "NCHW"),
                     "tflite": (f"-1,{BENCH_SIZE},{BENCH_SIZE},1", "NHWC")}[fmt]
    lines = [f"# The bench twin as {fmt} (tools/models/make_twin_models.py): 4 x conv 3x3 stride 2 + ReLU, "
             "mean, dense, softmax.",
             "decision.threshold=0.5",
             f"file={file}",
             f"format={fmt}",
             f"input.layout={layout}",
             f"input.shape={shape}",
             "name=bench-twin",
             "output.defect.index=1",
             "output.labels=good,defect",
             "preprocess.colour=MONO",
             "preprocess.mean=0.5",
             "preprocess.resize=BILINEAR",
             "preprocess.scale=0.00392156862745098",
             "preprocess.std=0.25",
             f"sha256={hashlib.sha256(data).hexdigest()}",
             "version=1.0.0"]
    return ("\n".join(lines) + "\n").encode("ascii")


def bench_reference(images, float_out):
    n = BENCH_SIZE
    lines = ["# Reference data of the bench twin, written by tools/models/make_twin_models.py.",
             f"# image <i>: {n * n} floats, row-major {n}x{n} (the same order for NCHW [1,1,{n},{n}] and",
             f"#   NHWC [1,{n},{n},1]); float <i>: bench-twin.onnx / bench-twin.tflite probabilities",
             "#   (numpy, float64).",
             f"images {len(images)}"]
    for i, image in enumerate(images):
        lines.append(f"image {i} " + " ".join(repr(float(v)) for v in image.ravel()))
        lines.append(f"float {i} " + " ".join(repr(float(v)) for v in float_out[i]))
    return ("\n".join(lines) + "\n").encode("ascii")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.join(here, "..", "..")
    # The twins every backend is certified with ship in the conformance bundle; the TensorFlow Lite
    # variants only the coral backend's tests use stay with those tests. One folder for all if given.
    suite = os.path.join(root, "com.factory.inspect.conformance", "src", "main", "resources", "twin")
    coral = os.path.join(root, "com.factory.inspect.backend.coral", "src", "test", "resources", "twin")
    # The bench twin is only for timing: it ships in the benchmark bundle.
    bench = os.path.join(root, "com.factory.inspect.bench", "src", "main", "resources", "twin")
    if len(sys.argv) > 1:
        suite = coral = bench = sys.argv[1]
    for folder in (suite, coral, bench):
        os.makedirs(folder, exist_ok=True)
    w = weights()
    images = reference_images()
    files = {
        "twin.onnx": onnx_model(w),
        "twin.tflite": tflite_float(w),
        "twin-fixed.tflite": tflite_float(w, dynamic=False),
        "twin-uint8.tflite": tflite_uint8(w),
        "twin-edgetpu.tflite": tflite_edgetpu(),
        "twin-reference.txt": reference(images, forward(images, w), quantised_forward(images, w)),
    }
    bw = bench_weights()
    bench_in = bench_images()
    files["bench-twin.onnx"] = bench_onnx_model(bw)
    files["bench-twin.tflite"] = bench_tflite(bw)
    for fmt in ("onnx", "tflite"):
        files[f"bench-twin-{fmt}.properties"] = bench_descriptor(fmt, f"bench-twin.{fmt}", files[f"bench-twin.{fmt}"])
    files["bench-twin-reference.txt"] = bench_reference(bench_in, bench_forward(bench_in, bw))
    for name, data in files.items():
        if name.startswith("bench-twin"):
            out = bench
        else:
            out = suite if name in ("twin.onnx", "twin.tflite", "twin-reference.txt") else coral
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(f"{name:28s} {len(data):7d} bytes  sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
