#!/usr/bin/python3
"""Writes the quantized ONNX models the TensorRT backend's unit tests read (QDQ detection).

  qdq-classifier.onnx     the tiny classifier of tools/models/make_test_models.py (input "image"
                          [-1, 1, 8, 8], output "probabilities" [-1, 2]) with its input passed through
                          QuantizeLinear/DequantizeLinear (int8, scale 1/127): explicitly quantized
  qdq-in-subgraph.onnx    a float main graph whose If node holds the Q/DQ pair in its then-branch

Needs the onnx and numpy Python packages (Debian: python3-onnx, python3-numpy).
Usage: make_qdq_models.py [output-folder]   (default: ../resources next to this script)
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13


def save(m, folder, name):
    m.ir_version = 8  # pinned, so the files do not change with the onnx package's default
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, os.path.join(folder, name))


def qdq_classifier():
    inits = [numpy_helper.from_array(np.array(1.0 / 127, dtype=np.float32), "scale"),
             numpy_helper.from_array(np.array(0, dtype=np.int8), "zero"),
             numpy_helper.from_array(np.array([-1, 1], dtype=np.int64), "mean_shape"),
             numpy_helper.from_array(np.array([[-2.0, 2.0]], dtype=np.float32), "W"),
             numpy_helper.from_array(np.array([0.5, -0.5], dtype=np.float32), "B")]
    nodes = [helper.make_node("QuantizeLinear", ["image", "scale", "zero"], ["image_q"]),
             helper.make_node("DequantizeLinear", ["image_q", "scale", "zero"], ["image_dq"]),
             helper.make_node("ReduceMean", ["image_dq"], ["mean4"], axes=[1, 2, 3], keepdims=1),
             helper.make_node("Reshape", ["mean4", "mean_shape"], ["mean"]),
             helper.make_node("Gemm", ["mean", "W", "B"], ["logits"]),
             helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1)]
    graph = helper.make_graph(
        nodes, "qdq-classifier",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 1, 8, 8])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                             producer_name="factory-inspect-test-models")


def qdq_in_subgraph():
    scale = helper.make_tensor("scale", TensorProto.FLOAT, [], [1.0 / 127])
    zero = helper.make_tensor("zero", TensorProto.INT8, [], [0])
    then_branch = helper.make_graph(
        [helper.make_node("Constant", [], ["s"], value=scale),
         helper.make_node("Constant", [], ["z"], value=zero),
         helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"]),
         helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y_then"])],
        "then", [], [helper.make_tensor_value_info("y_then", TensorProto.FLOAT, [2])])
    else_branch = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y_else"])],
        "else", [], [helper.make_tensor_value_info("y_else", TensorProto.FLOAT, [2])])
    graph = helper.make_graph(
        [helper.make_node("If", ["flag"], ["y"], then_branch=then_branch, else_branch=else_branch)],
        "qdq-in-subgraph",
        [helper.make_tensor_value_info("flag", TensorProto.BOOL, []),
         helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                             producer_name="factory-inspect-test-models")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "resources")
    save(qdq_classifier(), folder, "qdq-classifier.onnx")
    save(qdq_in_subgraph(), folder, "qdq-in-subgraph.onnx")


if __name__ == "__main__":
    main()
