#!/usr/bin/python3
"""Builds mobilenetv3-small-bench.onnx: an UNTRAINED MobileNetV3-small for throughput benchmarks.

Its weights are seeded random numbers (torch.manual_seed(0)); its outputs mean nothing. It exists
so that benchmarks run a network of a realistic size and cost with the same input and output as the
demo detector:

    input  "image"          float32 [N, 1, 224, 224] (grey, (pixel/255 - 0.5)/0.25)
    output "probabilities"  float32 [N, 2] (softmax)

torchvision's mobilenet_v3_small(num_classes=2) with its first convolution replaced by a 1-channel
one, and a softmax appended. Needs Debian's python3-torch and python3-torchvision.
Usage: make_benchmark_model.py [--out FILE]   (prints the file's size and SHA-256)
"""
import argparse
import hashlib
import os
import sys

import torch
import torchvision

OPSET = 13
SIZE = 224


class Benchmark(torch.nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        net = torchvision.models.mobilenet_v3_small(weights=None, num_classes=2)
        first = net.features[0][0]
        grey = torch.nn.Conv2d(1, first.out_channels, first.kernel_size, first.stride, first.padding,
                               bias=False)
        torch.nn.init.kaiming_normal_(grey.weight, mode="fan_out")  # as torchvision initialises convs
        net.features[0][0] = grey
        self.net = net

    def forward(self, image):
        return torch.softmax(self.net(image), 1)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(here, "..", "..", "com.factory.inspect.model.benchnet", "src", "main", "resources", "model", "mobilenetv3-small-bench.onnx"))
    args = parser.parse_args()
    model = Benchmark().eval()
    with torch.no_grad():
        probabilities = model(torch.zeros(2, 1, SIZE, SIZE))
    assert probabilities.shape == (2, 2)
    torch.onnx.export(model, torch.zeros(1, 1, SIZE, SIZE), args.out, input_names=["image"],
                      output_names=["probabilities"],
                      dynamic_axes={"image": {0: "batch"}, "probabilities": {0: "batch"}},
                      opset_version=OPSET, do_constant_folding=True)
    with open(args.out, "rb") as f:
        data = f.read()
    parameters = sum(p.numel() for p in model.parameters())
    print("wrote %s: untrained MobileNetV3-small, 1 input channel, 2 classes, %d parameters, %d bytes, sha256 %s"
          % (args.out, parameters, len(data), hashlib.sha256(data).hexdigest()))


if __name__ == "__main__":
    sys.exit(main())
