#!/usr/bin/env python3
"""Train the demo pass/fail classifier: MobileNetV3-small on grey part images.

Reads one or more dataset folders (images + labels.csv with `image,label`, 0 = good, 1 = defect: what
the synthetic camera's data set writer writes, or a labelled defect log, see defect_log_to_dataset.py),
trains a MobileNetV3-small from scratch (no downloaded weights), picks the decision threshold on the
validation set, and exports ONNX with exactly the gateway's input convention.

The network is MobileNetV3-small's feature extractor with a defect-map head: a 1x1 convolution gives
a defect score for each 32x32-pixel cell of the input, and the part's score is the highest cell's.
A defect is a few pixels anywhere on the part; with the usual average-pooled classifier the network
did not start learning within two epochs on this data. Where a folder has `masks/` (the data set
writer's --masks: where the defect changed the image), the cells are also supervised: that is what
makes training converge in a few CPU epochs. Folders without masks train the part score only.

  input  `image`          float32 [N, 1, H, W]: the frame in grey, resized bilinearly with pixel
                          centres aligned (no antialias), then (pixel/255 - 0.5) / 0.25
  output `probabilities`  float32 [N, 2]: softmax [p(good), p(defect)]

Runs on the CPU with Debian's python3-torch / python3-torchvision (a few minutes per epoch on two
cores) and on a GPU when one is there. Deterministic for a given seed on the CPU.

  /usr/bin/python3 tools/train/train.py --train DIR [DIR ...] --val DIR [DIR ...] --out model.onnx
"""
import argparse
import copy
import csv
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image

MEAN, STD = 0.5, 0.25


def read_folder(folder, size):
    """Images of a dataset folder, resized the gateway's way, as uint8-range float16; labels; defect
    masks at input size (0/1, uint8) and whether each image's mask is known."""
    rows = []
    with open(os.path.join(folder, "labels.csv"), newline="") as f:
        for row in csv.reader(f):
            if not row or row[0] == "image":
                continue
            if row[1].strip() not in ("0", "1"):
                continue
            rows.append((row[0], int(row[1])))
    images = np.empty((len(rows), 1, size[1], size[0]), dtype=np.float16)
    labels = np.empty(len(rows), dtype=np.int64)
    masks = np.zeros((len(rows), 1, size[1], size[0]), dtype=np.uint8)
    known = np.zeros(len(rows), dtype=bool)
    for i, (name, label) in enumerate(rows):
        grey = np.asarray(Image.open(os.path.join(folder, name)).convert("L"), dtype=np.float32)
        t = torch.from_numpy(grey)[None, None]
        # The gateway's resize: bilinear, src = (dst + 0.5) * scale - 0.5, clamped; no antialias.
        images[i] = F.interpolate(t, size=(size[1], size[0]), mode="bilinear", align_corners=False)[0].numpy()
        labels[i] = label
        mask_file = os.path.join(folder, "masks", name)
        if label == 0:
            known[i] = True
        elif os.path.isfile(mask_file):
            m = torch.from_numpy(np.asarray(Image.open(mask_file).convert("L"), dtype=np.float32))[None, None]
            # Any defect pixel inside an input pixel's footprint marks it.
            masks[i] = (F.adaptive_max_pool2d(m, (size[1], size[0]))[0] > 0).numpy()
            known[i] = True
    return images, labels, masks, known


def read_all(folders, size):
    parts = [read_folder(f, size) for f in folders]
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(4))


def normalise(pixels):
    return (pixels / 255.0 - MEAN) / STD


def augment(batch, mask, generator):
    """Position jitter, flips and lighting: what changes between two parts of the same kind."""
    n = batch.shape[0]
    if torch.rand(1, generator=generator).item() < 0.5:
        batch, mask = batch.flip(3), mask.flip(3)
    if torch.rand(1, generator=generator).item() < 0.5:
        batch, mask = batch.flip(2), mask.flip(2)
    dx, dy = (torch.randint(-8, 9, (2,), generator=generator)).tolist()
    batch = torch.roll(batch, shifts=(dy, dx), dims=(2, 3))
    mask = torch.roll(mask, shifts=(dy, dx), dims=(2, 3))
    gain = 1 + 0.15 * (torch.rand(n, 1, 1, 1, generator=generator) - 0.5)
    offset = 12 * (torch.rand(n, 1, 1, 1, generator=generator) - 0.5)
    return (batch * gain + offset).clamp(0, 255), mask


class DefectNet(torch.nn.Module):
    """MobileNetV3-small features (one grey channel in) and a 1x1 defect-score head per cell."""

    CELL = 32  # the feature map's stride

    def __init__(self):
        super().__init__()
        backbone = torchvision.models.mobilenet_v3_small(num_classes=2)
        backbone.features[0][0] = torch.nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1, bias=False)
        self.features = backbone.features
        self.head = torch.nn.Conv2d(576, 1, kernel_size=1)

    def forward(self, image):
        """Cell scores [N, 1, h, w] (logits) and the part's score [N] (the highest cell)."""
        cells = self.head(self.features(image))
        return cells, torch.amax(cells, dim=(1, 2, 3))


class Exported(torch.nn.Module):
    """What the gateway runs: softmax over [0, part score] = [p(good), p(defect)]."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, image):
        _, score = self.net(image)
        score = score[:, None]
        return torch.softmax(torch.cat([torch.zeros_like(score), score], dim=1), dim=1)


def predict(net, images, device, batch=128):
    net.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(images), batch):
            x = normalise(torch.from_numpy(images[i:i + batch]).float().to(device))
            out.append(torch.sigmoid(net(x)[1]).cpu())
    return torch.cat(out).numpy()


def scores(p, labels, threshold):
    reject = p >= threshold
    defect = labels == 1
    tp = int((reject & defect).sum())
    fn = int((~reject & defect).sum())
    fp = int((reject & ~defect).sum())
    tn = int((~reject & ~defect).sum())
    return {"accuracy": (tp + tn) / len(labels), "recall": tp / max(1, tp + fn),
            "false_reject_rate": fp / max(1, fp + tn), "missed": fn, "false_rejects": fp}


def pick_threshold(p, labels, min_recall):
    """The highest threshold that keeps recall at min_recall on validation (fewest false rejects)."""
    best = 0.5
    for t in np.round(np.arange(0.01, 0.99, 0.01), 2):
        if scores(p, labels, t)["recall"] >= min_recall:
            best = float(t)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", nargs="+", required=True, help="training dataset folders")
    parser.add_argument("--val", nargs="+", required=True, help="validation dataset folders")
    parser.add_argument("--out", required=True, help="ONNX file to write")
    parser.add_argument("--size", default="320x240",
                        help="model input WxH (default 320x240: half of the camera's 640x480, so a one-pixel "
                             "scratch is averaged, not skipped)")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--min-recall", type=float, default=0.97, help="recall the threshold must keep on validation")
    parser.add_argument("--cell-weight", type=float, default=1.0,
                        help="weight of the per-cell loss where masks are known (0: part labels only)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()

    size = tuple(int(v) for v in args.size.lower().split("x"))
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    generator = torch.Generator().manual_seed(args.seed)
    t0 = time.time()
    train_x, train_y, train_m, train_known = read_all(args.train, size)
    val_x, val_y, _, _ = read_all(args.val, size)
    print(f"data: {len(train_y)} training ({int(train_y.sum())} defective, cells known for "
          f"{int(train_known.sum())}), {len(val_y)} validation, "
          f"input {size[0]}x{size[1]}, read in {time.time() - t0:.0f} s, device {device}", flush=True)

    net = DefectNet().to(device)
    optimiser = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    steps = args.epochs * ((len(train_y) + args.batch - 1) // args.batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr, total_steps=steps, pct_start=0.15)
    best_accuracy = -1.0
    for epoch in range(args.epochs):
        net.train()
        order = torch.randperm(len(train_y), generator=generator)
        t = time.time()
        total = 0.0
        for i in range(0, len(order), args.batch):
            idx = order[i:i + args.batch].numpy()
            x, m = augment(torch.from_numpy(train_x[idx]).float(), torch.from_numpy(train_m[idx]).float(), generator)
            x = normalise(x).to(device)
            y = torch.from_numpy(train_y[idx]).float().to(device)
            cells, score = net(x)
            loss = F.binary_cross_entropy_with_logits(score, y)
            known = torch.from_numpy(train_known[idx]).to(device)
            if args.cell_weight > 0 and bool(known.any()):
                target = F.max_pool2d(m.to(device), DefectNet.CELL, DefectNet.CELL, ceil_mode=True)
                cell_loss = F.binary_cross_entropy_with_logits(cells[known], target[known],
                                                               pos_weight=torch.tensor(5.0, device=device))
                loss = loss + args.cell_weight * cell_loss
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(idx)
        p = predict(net, val_x, device)
        s = scores(p, val_y, 0.5)
        print(f"epoch {epoch + 1}/{args.epochs}: loss {total / len(train_y):.4f}, validation at 0.5: "
              f"accuracy {s['accuracy']:.4f} recall {s['recall']:.4f} false rejects {s['false_reject_rate']:.4f} "
              f"({time.time() - t:.0f} s)", flush=True)
        if s["accuracy"] > best_accuracy:
            best_accuracy = s["accuracy"]
            # Written at once, so a run cut short still leaves its best model.
            export(net, val_x, val_y, size, args)


def export(net, val_x, val_y, size, args):
    """Picks the threshold on validation and writes the ONNX file."""
    device = next(net.parameters()).device
    net.eval()
    p = predict(net, val_x, device)
    threshold = pick_threshold(p, val_y, args.min_recall)
    s = scores(p, val_y, threshold)
    print(f"threshold {threshold} (highest keeping recall >= {args.min_recall} on validation): "
          f"{json.dumps(s)}", flush=True)
    exported = Exported(copy.deepcopy(net).cpu().eval())
    torch.onnx.export(exported, torch.zeros(1, 1, size[1], size[0]), args.out,
                      input_names=["image"], output_names=["probabilities"],
                      dynamic_axes={"image": {0: "N"}, "probabilities": {0: "N"}}, opset_version=13)
    digest = hashlib.sha256(open(args.out, "rb").read()).hexdigest()
    print(f"wrote {args.out}: {os.path.getsize(args.out)} bytes, sha256 {digest}")
    print(json.dumps({"threshold": threshold, "validation": s, "input": f"{size[0]}x{size[1]}",
                      "sha256": digest}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
