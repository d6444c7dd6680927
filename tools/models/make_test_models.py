#!/usr/bin/python3
"""Writes the tiny ONNX models the ONNX Runtime backend's unit tests run.

Every model maps an image batch x of shape [N, 1, 8, 8] to two probabilities with one formula,
so tests can assert exact numbers:

    m      = mean(x[n])                      (over channel, height and width)
    logits = [W0 * m + B0, W1 * m + B1]      (W = [-2, 2], B = [0.5, -0.5])
    p      = softmax(logits)                 => p[defect] = sigmoid(4 m - 1)

Models (opset 13, written to the backend's src/test/resources unless a folder is given):
  tiny-classifier.onnx        input "image" [-1, 1, 8, 8], output "probabilities" [-1, 2]
  tiny-classifier-fixed.onnx  the same with a fixed batch of 1
  slow-classifier.onnx        the same formula through a chain of 1024x1024 MatMuls (tens of ms a
                              run on one thread), so tests can close a model while it runs

Needs the onnx and numpy Python packages (Debian: python3-onnx, python3-numpy).
Usage: make_test_models.py [output-folder]
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
W = [-2.0, 2.0]
B = [0.5, -0.5]
SLOW_WIDTH = 1024
SLOW_LAYERS = 48


def head(nodes, inits, mean_name):
    """mean [N, 1] -> Gemm -> Softmax -> probabilities [N, 2]."""
    inits += [numpy_helper.from_array(np.array([W], dtype=np.float32), "W"),
              numpy_helper.from_array(np.array(B, dtype=np.float32), "B")]
    nodes += [helper.make_node("Gemm", [mean_name, "W", "B"], ["logits"]),
              helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1)]


def model(name, batch, body):
    nodes, inits = [], []
    body(nodes, inits)
    head(nodes, inits, "mean")
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [batch, 1, 8, 8])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [batch, 2])],
        inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                          producer_name="factory-inspect-test-models")
    m.ir_version = 8  # pinned, so the files do not change with the onnx package's default
    onnx.checker.check_model(m, full_check=True)
    return m


def tiny(nodes, inits):
    inits.append(numpy_helper.from_array(np.array([-1, 1], dtype=np.int64), "mean_shape"))
    nodes += [helper.make_node("ReduceMean", ["image"], ["mean4"], axes=[1, 2, 3], keepdims=1),
              helper.make_node("Reshape", ["mean4", "mean_shape"], ["mean"])]


def slow(nodes, inits):
    # Flatten to [N, 64]; every column of a matrix filled with 1/rows keeps the row mean, so each
    # layer maps a row of identical values m to a row of m. The matrices are made in the graph
    # (ConstantOfShape) to keep the file small.
    inits += [numpy_helper.from_array(np.array([-1, 64], dtype=np.int64), "flat_shape"),
              numpy_helper.from_array(np.array([64, SLOW_WIDTH], dtype=np.int64), "first_shape"),
              numpy_helper.from_array(np.array([SLOW_WIDTH, SLOW_WIDTH], dtype=np.int64), "layer_shape")]
    nodes += [
        helper.make_node("Reshape", ["image", "flat_shape"], ["h0"]),
        helper.make_node("ConstantOfShape", ["first_shape"], ["first_w"],
                         value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0 / 64])),
        helper.make_node("ConstantOfShape", ["layer_shape"], ["layer_w"],
                         value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0 / SLOW_WIDTH])),
        helper.make_node("MatMul", ["h0", "first_w"], ["h1"]),
    ]
    for i in range(1, SLOW_LAYERS + 1):
        nodes.append(helper.make_node("MatMul", [f"h{i}", "layer_w"], [f"h{i + 1}"]))
    nodes.append(helper.make_node("ReduceMean", [f"h{SLOW_LAYERS + 1}"], ["mean"], axes=[1], keepdims=1))


def reference(x):
    """The formula above, for a batch x of shape [N, 1, 8, 8]."""
    m = x.reshape(x.shape[0], -1).mean(axis=1)
    logits = np.stack([W[0] * m + B[0], W[1] * m + B[1]], axis=1)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "..", "com.factory.inspect.backend.onnxruntime", "src", "test", "resources")
    os.makedirs(out, exist_ok=True)
    for file, m in [("tiny-classifier.onnx", model("tiny_classifier", "N", tiny)),
                    ("tiny-classifier-fixed.onnx", model("tiny_classifier_fixed", 1, tiny)),
                    ("slow-classifier.onnx", model("slow_classifier", "N", slow))]:
        path = os.path.join(out, file)
        onnx.save(m, path)
        print(f"{path}: {os.path.getsize(path)} bytes")
    x = np.linspace(0, 1, 64, dtype=np.float32).reshape(1, 1, 8, 8)
    print("reference p for linspace(0, 1):", reference(x)[0])


if __name__ == "__main__":
    main()
