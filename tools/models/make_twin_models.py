#!/usr/bin/python3
"""Writes the "twin" test models: one small network, the same seeded weights, as ONNX and as
TensorFlow Lite, with reference outputs computed in numpy, so every backend's tests can check that
it computes the same numbers.

The network (C = 8 channels):

    image    [N, 1, 32, 32] NCHW (ONNX) or [N, 32, 32, 1] NHWC (TFLite), float32
    conv     3x3, stride 1, zero padding 1 (TFLite: SAME), C filters, + bias, ReLU
    pooled   mean over height and width                      -> [N, C]
    logits   pooled . W^T + b                                -> [N, 2]
    probabilities = softmax(logits)                          -> [N, 2]

Files (written to the folder given, default: the coral backend's test resources):
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


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.join(here, "..", "..")
    # The twins every backend is certified with ship in the conformance bundle; the TensorFlow Lite
    # variants only the coral backend's tests use stay with those tests. One folder for all if given.
    suite = os.path.join(root, "com.factory.inspect.conformance", "src", "main", "resources", "twin")
    coral = os.path.join(root, "com.factory.inspect.backend.coral", "src", "test", "resources", "twin")
    if len(sys.argv) > 1:
        suite = coral = sys.argv[1]
    for folder in (suite, coral):
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
    for name, data in files.items():
        out = suite if name in ("twin.onnx", "twin.tflite", "twin-reference.txt") else coral
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(f"{name:20s} {len(data):7d} bytes  sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
