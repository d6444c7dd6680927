#!/usr/bin/python3
"""Builds surface-demo.onnx: a hand-built classical surface-defect detector as an ONNX graph.

Not a neural network and not trained: fixed filters plus a 6-weight logistic calibration that was
fitted (in a few seconds) on images from the camera bundle's DatasetWriter.

    input  "image"          float32 [N, 1, 224, 224]: the frame in grey, resized bilinearly to
                            224x224 (pixel centres aligned, no antialiasing), (pixel/255 - 0.5)/0.25
    output "probabilities"  float32 [N, 2]: softmax [p(good), p(defect)]

How it scores a frame:
  1. part mask: local mean above a grey level of 90 (the part is bright, the fixture dark), eroded
     so that the part's edges, chamfers and the bore never count;
  2. texture direction: the structure tensor gives, per pixel, a weight for each of 12 orientations,
     highest along the machining marks (turning marks run around the part);
  3. texture-free residual: the pixel minus the mean along the texture direction (15 px) - turning
     marks vanish, pits, cracks and scratches that cross the marks stay;
  4. anomaly maps: dark/bright residual spots (2x2), dark/bright residual lines (9 px, 12
     orientations), dark/bright soft blobs (difference of masked 9x9 and 31x31 means, for stains);
  5. the maximum of each map over the masked part -> 6 features -> logistic calibration -> softmax.

The calibration is a logistic regression on the 6 features whose bias is then shifted so that
p(defect) = 0.08, the gateway's default threshold ("fail if p(defect) >= 0.08"), falls where 3 % of
the good parts of the fitting sets fail. So p(defect) is a score, not a calibrated probability.

Usage:
  make_surface_model.py [--out FILE] [--fit DATASET ...] [--eval DATASET ...]
    --fit DATASET   refit the calibration on DatasetWriter folders (PNGs + labels.csv), print it
                    and use it (the committed model uses the constants below)
    --eval DATASET  print accuracy, defect recall and false-reject rate at p(defect) >= 0.08

A data set: java -cp <camera jar>:<api jar> com.factory.inspect.camera.synthetic.DatasetWriter \\
                --out /tmp/surface/fit11 --count 300 --seed 11 --defect-rate 0.5
Needs Debian's python3-torch, python3-numpy, python3-onnx, python3-pil. Deterministic: the same
constants give the same bytes; it prints the file's SHA-256.
"""
import argparse
import csv
import hashlib
import math
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from PIL import Image

SIZE = 224
THRESHOLD = 0.08
OPSET = 13
ORIENTATIONS = 12
PART_GREY = 90.0

TARGET_FALSE_REJECTS = 0.03
L2 = 1.0

# Calibration fitted with --fit on three DatasetWriter sets: --count 300 --defect-rate 0.5 and
# --seed 11, 12, 13 (640x480).
FEATURES = ["residual_dark", "residual_bright", "line_dark", "line_bright", "stain_dark", "stain_bright"]
WEIGHTS = [26.5756, 3.30337, 40.5067, 64.6371, 9.26708, -6.86296]
BIAS = -12.617


def normalised(grey):
    """Grey level (0..255) in the model's input scale."""
    return (grey / 255.0 - 0.5) / 0.25


def line_kernels(length, count):
    """count [1, length, length] kernels averaging along a centred line at angle pi*i/count."""
    kernels = np.zeros((count, 1, length, length))
    c = length // 2
    for i in range(count):
        angle = math.pi * i / count
        for t in np.linspace(-c, c, 4 * length):
            x, y = c + t * math.cos(angle), c + t * math.sin(angle)
            x0, y0 = int(math.floor(x)), int(math.floor(y))
            fx, fy = x - x0, y - y0
            for dx, dy, w in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)),
                              (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
                if 0 <= x0 + dx < length and 0 <= y0 + dy < length:
                    kernels[i, 0, y0 + dy, x0 + dx] += w
        kernels[i] /= kernels[i].sum()
    return torch.tensor(kernels, dtype=torch.float32)


class SurfaceDetector(torch.nn.Module):
    """Fixed-weight detector; features() gives the 6 scores, forward() the probabilities."""

    def __init__(self, weights, bias):
        super().__init__()
        angles = torch.tensor([math.pi * i / ORIENTATIONS for i in range(ORIENTATIONS)])
        self.register_buffer("cos", torch.cos(angles).view(1, -1, 1, 1))
        self.register_buffer("sin", torch.sin(angles).view(1, -1, 1, 1))
        self.register_buffer("background_lines", line_kernels(15, ORIENTATIONS))
        self.register_buffer("defect_lines", line_kernels(9, ORIENTATIONS))
        sobel = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]) / 8
        self.register_buffer("sobel_x", sobel.view(1, 1, 3, 3))
        self.register_buffer("sobel_y", sobel.t().contiguous().view(1, 1, 3, 3))
        self.register_buffer("weights", torch.tensor(weights, dtype=torch.float32).view(-1, 1))
        self.register_buffer("bias", torch.tensor([bias], dtype=torch.float32))

    @staticmethod
    def mean(x, k):
        """k x k mean over the pixels inside the image, as two 1-D passes (same result, cheaper)."""
        rows = F.avg_pool2d(x, (1, k), 1, (0, k // 2), count_include_pad=False)
        return F.avg_pool2d(rows, (k, 1), 1, (k // 2, 0), count_include_pad=False)

    @staticmethod
    def erode(m, k):
        return -F.max_pool2d(-m, k, 1, k // 2)

    def features(self, x):
        threshold = normalised(PART_GREY)
        # 1. Where the features count (edges excluded), and the weights of local means (no
        #    background, no chamfers) so that means near edges are not pulled towards the fixture.
        mask = self.erode(torch.sigmoid((self.mean(x, 9) - threshold) / 0.05), 13)
        w = self.erode(torch.sigmoid((self.mean(x, 3) - threshold) / 0.05), 5)

        def masked_mean(k):
            return self.mean(x * w, k) / (self.mean(w, k) + 1e-3)

        # 2. Texture direction from the structure tensor: gradient energy along each orientation,
        #    turned into weights that favour the orientation with the least energy (along the marks).
        smooth = self.mean(x, 3)
        gx = F.conv2d(smooth, self.sobel_x, padding=1)
        gy = F.conv2d(smooth, self.sobel_y, padding=1)
        jxx, jxy, jyy = self.mean(gx * gx * w, 15), self.mean(gx * gy * w, 15), self.mean(gy * gy * w, 15)
        energy = (jxx * self.cos * self.cos + 2 * jxy * self.cos * self.sin + jyy * self.sin * self.sin)
        energy = energy / (jxx + jyy + 1e-4)
        # A softmax over the orientations, written out: the exponents lie within [-72, 0], and
        # ONNX Runtime's Softmax over the channel axis is slow.
        direction = torch.exp(-6.0 * ORIENTATIONS * energy)
        direction = direction / direction.sum(1, keepdim=True)
        # 3. Residual against the mean along the texture direction.
        along = F.conv2d(x * w, self.background_lines, padding=7) / (
            F.conv2d(w, self.background_lines, padding=7) + 1e-3)
        residual = (x - (direction * along).sum(1, keepdim=True)) * w
        # 4. Anomaly maps.
        residual2 = F.avg_pool2d(F.pad(residual, (0, 1, 0, 1), mode="replicate"), 2, 1)
        lines = F.conv2d(residual, self.defect_lines, padding=4)
        stain = masked_mean(9) - masked_mean(31)
        maps = [F.relu(-residual2), F.relu(residual2),
                torch.amax(F.relu(-lines), 1, keepdim=True), torch.amax(F.relu(lines), 1, keepdim=True),
                F.relu(-stain), F.relu(stain)]
        # 5. Strongest evidence on the part.
        return torch.cat([torch.amax(torch.flatten(m * mask, 1), 1, keepdim=True) for m in maps], 1)

    def forward(self, image):
        z = torch.matmul(self.features(image), self.weights) + self.bias
        return torch.softmax(torch.cat([-0.5 * z, 0.5 * z], 1), 1)


# ---------------------------------------------------------------------------------------------
# Preprocessing exactly as the gateway does it, and data sets from the DatasetWriter.

def resize_bilinear(image, out_h, out_w):
    """Pixel-centre-aligned bilinear resize without antialiasing: src = (dst + 0.5) * scale - 0.5."""
    in_h, in_w = image.shape

    def axis(n_out, n_in):
        src = np.clip((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0, n_in - 1)
        i0 = np.floor(src).astype(np.int64)
        return i0, np.minimum(i0 + 1, n_in - 1), src - i0

    y0, y1, wy = axis(out_h, in_h)
    x0, x1, wx = axis(out_w, in_w)
    wx, wy = wx[None, :], wy[:, None]
    top = image[y0][:, x0] * (1 - wx) + image[y0][:, x1] * wx
    bottom = image[y1][:, x0] * (1 - wx) + image[y1][:, x1] * wx
    return top * (1 - wy) + bottom * wy


def preprocess(path):
    grey = np.asarray(Image.open(path).convert("L"), dtype=np.float64)
    return ((resize_bilinear(grey, SIZE, SIZE) / 255.0 - 0.5) / 0.25).astype(np.float32)


def load_dataset(folder):
    with open(os.path.join(folder, "labels.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    images = np.stack([preprocess(os.path.join(folder, r["image"])) for r in rows])[:, None]
    labels = np.array([int(r["label"]) for r in rows])
    kinds = [(r.get("annotation") or "").split(" ")[0] or "good" for r in rows]
    return torch.from_numpy(images), labels, kinds


def check_resize():
    """The numpy resize must equal torch's bilinear, align_corners=False (what ONNX Resize does)."""
    image = np.random.default_rng(0).uniform(0, 255, (480, 640))
    ours = resize_bilinear(image, SIZE, SIZE)
    theirs = F.interpolate(torch.tensor(image)[None, None], size=(SIZE, SIZE), mode="bilinear",
                           align_corners=False)[0, 0].numpy()
    assert np.abs(ours - theirs).max() < 1e-9, "numpy resize differs from torch bilinear"


def batched(fn, images, batch=50):
    with torch.no_grad():
        return torch.cat([fn(images[i:i + batch]) for i in range(0, len(images), batch)]).numpy()


# ---------------------------------------------------------------------------------------------
# Calibration and evaluation.

def fit(features, labels, l2=L2):
    """Logistic regression (Newton steps on standardised features), then the bias is shifted so
    that TARGET_FALSE_REJECTS of the good parts score at or above p(defect) = THRESHOLD."""
    mu, sd = features.mean(0), features.std(0) + 1e-9
    z = np.hstack([(features - mu) / sd, np.ones((len(features), 1))])
    w = np.zeros(z.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        gradient = z.T @ (p - labels) + l2 * np.r_[w[:-1], 0]
        hessian = (z * (p * (1 - p))[:, None]).T @ z + l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, gradient)
    weights = w[:-1] / sd
    bias = w[-1] - weights @ mu
    scores = features @ weights + bias
    cut = np.quantile(scores[labels == 0], 1 - TARGET_FALSE_REJECTS)
    bias += math.log(THRESHOLD / (1 - THRESHOLD)) - cut
    return [float("%.6g" % v) for v in weights], float("%.6g" % bias)


def evaluate(name, p_defect, labels, kinds):
    fail = p_defect >= THRESHOLD
    good, bad = labels == 0, labels == 1
    accuracy = (fail == (labels == 1)).mean()
    recall = fail[bad].mean() if bad.any() else float("nan")
    false_reject = fail[good].mean() if good.any() else float("nan")
    print("%s: %d images (%d defective): accuracy %.1f %%, defect recall %.1f %%, false-reject rate %.1f %%"
          % (name, len(labels), bad.sum(), 100 * accuracy, 100 * recall, 100 * false_reject))
    per_kind = []
    for kind in ("scratch", "pit", "crack", "stain"):
        chosen = np.array([k == kind for k in kinds]) & bad
        if chosen.any():
            per_kind.append("%s %.0f %% of %d" % (kind, 100 * fail[chosen].mean(), chosen.sum()))
    print("  recall by (first) defect: " + ", ".join(per_kind))
    if bad.any() and good.any():
        prior = 0.1
        print("  accuracy expected at the camera's default defect rate 0.1: %.1f %%"
              % (100 * ((1 - prior) * (1 - false_reject) + prior * recall)))


def export(model, path):
    model.eval()
    example = torch.zeros(1, 1, SIZE, SIZE)
    torch.onnx.export(model, example, path, input_names=["image"], output_names=["probabilities"],
                      dynamic_axes={"image": {0: "batch"}, "probabilities": {0: "batch"}},
                      opset_version=OPSET, do_constant_folding=True)
    onnx_model = onnx.load(path)
    onnx_model.doc_string = ("surface-demo 1.0.0: hand-built classical surface-defect detector "
                             "(texture-direction residual, line and blob scores, logistic calibration); "
                             "fail if p(defect) >= %g" % THRESHOLD)
    onnx.checker.check_model(onnx_model)
    onnx.save(onnx_model, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out", default=os.path.join(here, "..", "..", "com.factory.inspect.model.demo", "src", "main", "resources", "model", "surface-demo.onnx"))
    parser.add_argument("--fit", metavar="DATASET", action="append", default=[])
    parser.add_argument("--eval", metavar="DATASET", action="append", default=[])
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    check_resize()

    weights, bias = WEIGHTS, BIAS
    if args.fit:
        detector = SurfaceDetector(weights, bias)
        features, labels = [], []
        for folder in args.fit:
            images, folder_labels, _ = load_dataset(folder)
            features.append(batched(detector.features, images))
            labels.append(folder_labels)
        weights, bias = fit(np.vstack(features), np.concatenate(labels))
        print("fitted on %s (%d images):" % (", ".join(args.fit), sum(len(l) for l in labels)))
        print("WEIGHTS = %r" % weights)
        print("BIAS = %r" % bias)
    model = SurfaceDetector(weights, bias).eval()
    for folder in args.fit + args.eval:
        images, labels, kinds = load_dataset(folder)
        evaluate(folder, batched(model, images)[:, 1], labels, kinds)

    export(model, args.out)
    with open(args.out, "rb") as f:
        data = f.read()
    print("wrote %s (%d bytes) sha256 %s" % (args.out, len(data), hashlib.sha256(data).hexdigest()))


if __name__ == "__main__":
    sys.exit(main())
