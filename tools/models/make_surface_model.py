#!/usr/bin/python3
"""Builds surface-demo.onnx: a hand-built classical surface-defect detector as an ONNX graph.

Not a neural network and not trained: fixed filters plus a 6-weight logistic calibration that was
fitted (in a few seconds) on images from the camera bundle's DatasetWriter.

    input  "image"          float32 [N, 1, 224, 224]: the frame in grey, resized bilinearly to
                            224x224 (pixel centres aligned, no antialiasing), (pixel/255 - 0.5)/0.25
    output "probabilities"  float32 [N, 2]: softmax [p(good), p(defect)]

How it scores a frame:
  1. part mask (half resolution): local mean above a grey level of 90 (the part is bright, the
     fixture dark), eroded so that the part's edges, chamfers and the bore never count;
  2. texture direction (half resolution): the structure tensor gives the direction of least
     gradient energy (along the machining marks; turning marks run around the part), turned into
     weights for the two nearest of 12 orientations (linear in the angle, summing to 1);
  3. texture-free residual: the pixel minus the mean of 4 samples at +-3 and +-6 px along the
     texture direction (never the pixel itself) - turning marks vanish, pits, cracks and scratches
     that cross the marks stay;
  4. anomaly maps: dark/bright residual spots (2x2), dark/bright residual lines (3 samples over
     7 px, 8 orientations), dark/bright soft blobs (difference of masked 10x10 and 30x30 means at
     half resolution, for stains);
  5. the extreme of each map over the masked part, divided by the mean magnitude of the map over
     the part (so that a rougher or smoother part does not move all its scores together) -> 6
     features -> logistic calibration -> softmax.

It is built for ONNX Runtime on one CPU core: every oriented filter is a handful of shifted views
(one Slice each) of the padded image or of its half-pixel shifted copy, added with one Sum; no
convolution runs at full resolution, and the smooth quantities (mask, texture direction, stains)
are computed on the 2x2-averaged image.

The calibration is a logistic regression on the 6 features whose bias is then shifted so that
p(defect) = 0.08, the gateway's default threshold ("fail if p(defect) >= 0.08"), falls where 3 % of
the good parts of the fitting sets fail. So p(defect) is a score, not a calibrated probability.

Usage:
  make_surface_model.py [--out FILE] [--fit DATASET ...] [--eval DATASET ...]
    --fit DATASET   refit the calibration on DatasetWriter folders (PNGs + labels.csv), print it
                    and use it (the committed model uses the constants below)
    --eval DATASET  print accuracy, defect recall and false-reject rate at p(defect) >= 0.08

A data set: java -cp <camera jar>:<api jar> com.factory.inspect.camera.dataset.DatasetWriter \\
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
ORIENTATIONS = 12                # texture directions for the residual
LINE_ORIENTATIONS = 8            # directions of defect lines
PART_GREY = 90.0
PAD = 8                          # zero border for the shifted views (> 7 px, the farthest tap)
BACKGROUND_TAPS = (3, 6)         # residual: samples at +-d px along the texture direction
LINE_TAPS = (0, 3)               # defect lines: samples at 0 and +-3 px, LINE_ORIENTATIONS of them
SUBPIXEL = 2                     # sample positions rounded to 1/SUBPIXEL px, linearly interpolated
MASK_ERODE = 9                   # erosion of the part mask at half resolution (about 18 px at 224)
STAIN_ERODE = 13                 # the same for the stain maps (about 26 px at 224)
STAIN_EDGE = 3                   # erosion of the part weights in the stain means (half resolution)
STAIN_NEAR, STAIN_WIDE = 5, 15   # stain means at half resolution (about 10x10 and 30x30 px at 224)
SPREAD_FLOOR = 0.005             # scores are divided by the map's mean magnitude on the part + this

TARGET_FALSE_REJECTS = 0.03
L2 = 1.0

# Calibration fitted with --fit on three DatasetWriter sets: --count 300 --defect-rate 0.5 and
# --seed 11, 12, 13 (640x480).
FEATURES = ["residual_dark", "residual_bright", "line_dark", "line_bright", "stain_dark", "stain_bright"]
WEIGHTS = [0.47776, 0.99631, 1.50524, 1.72998, 0.822398, 0.212053]
BIAS = -20.0102


def normalised(grey):
    """Grey level (0..255) in the model's input scale."""
    return (grey / 255.0 - 0.5) / 0.25


# ---------------------------------------------------------------------------------------------
# A few operations written so that they export as one ONNX node each (torch would emit chains).

def _int64(g, values):
    return g.op("Constant", value_t=torch.tensor(values, dtype=torch.int64))


class _Crop(torch.autograd.Function):
    """x[:, :, y:y+h, x:x+w] as a single Slice over both spatial axes."""

    @staticmethod
    def forward(ctx, x, y, x0, h, w):
        return x[:, :, y:y + h, x0:x0 + w].clone()

    @staticmethod
    def symbolic(g, x, y, x0, h, w):
        return g.op("Slice", x, _int64(g, [y, x0]), _int64(g, [y + h, x0 + w]), _int64(g, [2, 3]))


def crop(x, y, x0, h=SIZE, w=SIZE):
    return _Crop.apply(x, y, x0, h, w)


def _variadic(onnx_op, combine):
    class Variadic(torch.autograd.Function):
        @staticmethod
        def forward(ctx, *xs):
            out = xs[0]
            for x in xs[1:]:
                out = combine(out, x)
            return out

        @staticmethod
        def symbolic(g, *xs):
            return g.op(onnx_op, *xs)

    return lambda xs: Variadic.apply(*xs)


total = _variadic("Sum", torch.add)
maximum = _variadic("Max", torch.maximum)
minimum = _variadic("Min", torch.minimum)


def box(x, k):
    """k x k mean over the pixels inside the image, as two 1-D passes."""
    rows = F.avg_pool2d(x, (1, k), 1, (0, k // 2), count_include_pad=False)
    return F.avg_pool2d(rows, (k, 1), 1, (k // 2, 0), count_include_pad=False)


def erode(m, k):
    return -F.max_pool2d(-m, k, 1, k // 2)


def taps(distances, angle):
    """Sample points at +-d along angle (0 for d = 0), as (axis, dy, dx, phase): the value is
    (1 - phase/SUBPIXEL) x[y+dy, x+dx] + phase/SUBPIXEL x[(y+dy, x+dx) + one step along axis].
    One coordinate is whole (the one that changes faster along the line), the other rounded to
    1/SUBPIXEL px and interpolated linearly."""
    c, s = math.cos(angle), math.sin(angle)
    points = []
    for d in distances:
        for sign in ((1, -1) if d else (1,)):
            if abs(c) >= abs(s):
                dx = int(round(sign * d * abs(c))) * (1 if c >= 0 else -1)
                dy = round(SUBPIXEL * dx * s / c) / SUBPIXEL
                whole = math.floor(dy)
                points.append(("v", whole, dx, int(round((dy - whole) * SUBPIXEL))))
            else:
                dy = int(round(sign * d * abs(s)))
                dx = round(SUBPIXEL * dy * c / s) / SUBPIXEL
                whole = math.floor(dx)
                points.append(("h", dy, whole, int(round((dx - whole) * SUBPIXEL))))
    return points


class Shifted:
    """An image with a zero border and its sub-pixel shifted copies; view() is one Slice."""

    def __init__(self, image):
        self.padded = F.pad(image, (PAD, PAD, PAD, PAD))
        self.copies = {}

    def copy(self, axis, phase):
        if phase == 0:
            return self.padded
        if (axis, phase) not in self.copies:
            n = SIZE + 2 * PAD
            if axis == "v":
                a, b = crop(self.padded, 0, 0, n - 1, n), crop(self.padded, 1, 0, n - 1, n)
            else:
                a, b = crop(self.padded, 0, 0, n, n - 1), crop(self.padded, 0, 1, n, n - 1)
            f = phase / SUBPIXEL
            self.copies[(axis, phase)] = a * (1 - f) + b * f
        return self.copies[(axis, phase)]

    def view(self, axis, dy, dx, phase):
        assert -PAD <= min(dy, dx) and max(dy, dx) < PAD, "sample beyond the zero border"
        return crop(self.copy(axis, phase), PAD + dy, PAD + dx)

    def sum(self, points):
        return total([self.view(*p) for p in points])


class SurfaceDetector(torch.nn.Module):
    """Fixed-weight detector; features() gives the 6 scores, forward() the probabilities."""

    def __init__(self, weights, bias):
        super().__init__()
        angles = [math.pi * i / ORIENTATIONS for i in range(ORIENTATIONS)]
        # Doubled-angle unit vectors of the orientations, negated: the texture runs across the
        # dominant gradient, so orientation i matches where the tensor's (jxx - jyy, 2 jxy) points
        # opposite to (cos 2a, sin 2a).
        directions = [[-math.cos(2 * a), -math.sin(2 * a)] for a in angles]
        self.register_buffer("directions", torch.tensor(directions, dtype=torch.float32).view(-1, 2, 1, 1))
        self.background_taps = [taps(BACKGROUND_TAPS, a) for a in angles]
        self.line_taps = [taps(LINE_TAPS, math.pi * i / LINE_ORIENTATIONS) for i in range(LINE_ORIENTATIONS)]
        self.register_buffer("means", torch.tensor([[1 / 4, 1 / len(self.line_taps[0])]]))
        self.register_buffer("weights", torch.tensor(weights, dtype=torch.float32).view(-1, 1))
        self.register_buffer("bias", torch.tensor([bias], dtype=torch.float32))

    def features(self, x):
        threshold = normalised(PART_GREY)
        half = F.avg_pool2d(x, 2, 2)
        # 1. Where the features count (edges, chamfers and bore excluded; stains further inside).
        mask_half = erode(torch.sigmoid((box(half, 5) - threshold) / 0.05), MASK_ERODE)
        stain_mask = erode(mask_half, STAIN_ERODE - MASK_ERODE + 1)
        mask = F.interpolate(mask_half, scale_factor=2, mode="nearest")

        # 2. Texture direction: structure tensor of the 3x3-smoothed image, averaged over 14x14 px
        #    at half resolution; weights of the two nearest orientations, linear in the angle.
        smooth = F.pad(F.avg_pool2d(x, 3, 1, 1), (1, 1, 1, 1))
        gx = crop(smooth, 1, 2) - crop(smooth, 1, 0)
        gy = crop(smooth, 2, 1) - crop(smooth, 0, 1)
        tensor = box(F.avg_pool2d(torch.cat([gx * gx, gx * gy, gy * gy], 1), 2, 2), 7)
        jxx, jxy, jyy = tensor[:, 0:1], tensor[:, 1:2], tensor[:, 2:3]
        trace = jxx + jyy + 1e-4
        anisotropy = torch.cat([(jxx - jyy) / trace, 2 * jxy / trace], 1)
        # A unit vector (the weights below sum to 1 only then), also where the texture has no direction.
        unit = anisotropy / torch.sqrt((anisotropy * anisotropy).sum(1, keepdim=True) + 1e-20)
        angle = torch.acos(torch.clamp(F.conv2d(unit, self.directions), -1, 1))  # doubled-angle distance
        spacing = 2 * math.pi / ORIENTATIONS
        samples = len(self.background_taps[0])
        # weight / samples, so that the weighted sums below are means
        direction = F.relu(angle * (-1 / (spacing * samples)) + 1 / samples)
        # one map per orientation, each brought to full resolution on its own
        direction = [F.interpolate(direction[:, i:i + 1], scale_factor=2, mode="nearest")
                     for i in range(ORIENTATIONS)]

        # 3. Residual against the mean along the texture direction.
        image = Shifted(x)
        along = total([image.sum(points) * direction[i]
                       for i, points in enumerate(self.background_taps)])
        plain = x - along
        residual = Shifted(plain)

        # 4. Anomaly maps: spots (2x2), lines (8 orientations), stains (half resolution: masked
        #    local mean minus masked wide mean, over the part's pixels only).
        spots = residual.sum([("v", 0, 0, 0), ("v", 0, 1, 0), ("v", 1, 0, 0), ("v", 1, 1, 0)])
        lines = [residual.sum(points) for points in self.line_taps]
        bright_lines, dark_lines = maximum(lines), minimum(lines)
        w = erode(torch.sigmoid((half - threshold) / 0.05), STAIN_EDGE)
        near = box(torch.cat([half * w, w], 1), STAIN_NEAR)
        wide = box(torch.cat([half * w, w], 1), STAIN_WIDE)
        stain = (near[:, 0:1] / (near[:, 1:2] + 1e-3) - wide[:, 0:1] / (wide[:, 1:2] + 1e-3)) * stain_mask

        # 5. Strongest evidence on the part, relative to the part's own texture: each extreme is
        #    divided by the mean magnitude of its map over the part (the residual's for spots and
        #    lines), so that a rougher or smoother part does not move all its scores together.
        #    (The 2x2 and line sums become means here too, on a few numbers.)
        def spread(m, where):
            return torch.sum(torch.abs(m) * where, (2, 3)) / (torch.sum(where, (2, 3)) + 1.0) + SPREAD_FLOOR

        scale = self.means / spread(plain, mask)
        highest = torch.amax(torch.cat([spots * mask, bright_lines * mask], 1), (2, 3)) * scale
        lowest = torch.amin(torch.cat([spots * mask, dark_lines * mask], 1), (2, 3)) * scale
        stain_spread = spread(stain, stain_mask)
        stain_high = torch.amax(stain, (2, 3)) / stain_spread
        stain_low = torch.amin(stain, (2, 3)) / stain_spread
        return F.relu(torch.cat([-lowest[:, 0:1], highest[:, 0:1], -lowest[:, 1:2], highest[:, 1:2],
                                 -stain_low, stain_high], 1))

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
