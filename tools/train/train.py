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
import subprocess
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


def defect_pixels(masks):
    """For each image with a mask: the (row, column) of its defect pixels, at input size."""
    return {i: np.argwhere(masks[i, 0] > 0) for i in range(len(masks)) if masks[i, 0].any()}


def patch_batch(images, labels, masks, known, where, count, patch, generator):
    """Half the patches centred (with jitter) on a defect pixel, half anywhere on a good part."""
    h, w = images.shape[2], images.shape[3]
    defective = np.array(sorted(where))
    good = np.flatnonzero((labels == 0) & known)
    x = np.empty((count, 1, patch, patch), dtype=np.float32)
    m = np.zeros((count, 1, patch, patch), dtype=np.float32)
    rand = lambda n: int(torch.randint(0, max(1, n), (1,), generator=generator).item())
    for k in range(count):
        if k % 2 == 0 and len(defective):
            i = defective[rand(len(defective))]
            r, c = where[i][rand(len(where[i]))]
            top = min(max(0, r - patch // 2 + rand(patch // 2) - patch // 4), h - patch)
            left = min(max(0, c - patch // 2 + rand(patch // 2) - patch // 4), w - patch)
        else:
            # Mostly on the part itself (bright), where turning marks and texture look most like
            # defects; the rest anywhere, fixture and edges included.
            i = good[rand(len(good))]
            for _ in range(20):
                top, left = rand(h - patch + 1), rand(w - patch + 1)
                if k % 4 == 3 or images[i, 0, top + patch // 2, left + patch // 2] > 90:
                    break
        x[k] = images[i, :, top:top + patch, left:left + patch]
        m[k] = masks[i, :, top:top + patch, left:left + patch]
    return torch.from_numpy(x), torch.from_numpy(m)


def refresh_batch_norm(net, images, device, batch=64):
    """BatchNorm statistics of whole frames (patch training leaves those of patches)."""
    for module in net.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.reset_running_stats()
            module.momentum = None  # a plain average over the batches below
    net.train()
    with torch.no_grad():
        for i in range(0, len(images), batch):
            net(normalise(torch.from_numpy(images[i:i + batch]).float().to(device)))
    for module in net.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.momentum = 0.1


class DefectNet(torch.nn.Module):
    """MobileNetV3-small features (one grey channel in) and a 1x1 defect-score head per cell."""

    CELL = 32  # the feature map's stride

    def __init__(self):
        super().__init__()
        backbone = torchvision.models.mobilenet_v3_small(num_classes=2)
        backbone.features[0][0] = torch.nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1, bias=False)
        self.features = backbone.features
        self.head = torch.nn.Conv2d(576, 1, kernel_size=1)
        # torchvision's MobileNetV3 keeps BatchNorm statistics with momentum 0.01, tuned for ImageNet's
        # hundreds of thousands of steps; a few thousand steps here left them far from the data (the
        # evaluation-mode output was the same for every image).
        for m in self.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.momentum = 0.1

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


def pick_threshold(p, labels, min_recall, max_false_rejects):
    """The operating point: the highest threshold that keeps defect recall at min_recall, if that
    rejects at most max_false_rejects of the good parts; else the threshold with the best recall
    within that false-reject budget (a line that rejects most good parts gets switched off)."""
    candidates = [float(t) for t in np.round(np.arange(0.01, 0.995, 0.005), 3)]
    results = {t: scores(p, labels, t) for t in candidates}
    meeting = [t for t in candidates if results[t]["recall"] >= min_recall]
    if meeting and results[max(meeting)]["false_reject_rate"] <= max_false_rejects:
        return max(meeting)
    within = [t for t in candidates if results[t]["false_reject_rate"] <= max_false_rejects]
    if not within:
        return 0.5
    return max(within, key=lambda t: (results[t]["recall"], results[t]["accuracy"]))


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
    parser.add_argument("--min-recall", type=float, default=0.97, help="recall the threshold should keep on validation")
    parser.add_argument("--max-false-rejects", type=float, default=0.05,
                        help="false-reject rate the threshold may cost at most on validation")
    parser.add_argument("--cell-weight", type=float, default=1.0,
                        help="weight of the per-cell loss where masks are known (0: part labels only)")
    parser.add_argument("--patch", type=int, default=96,
                        help="train on PxP patches around defects and on good parts (needs masks; the network "
                             "is convolutional, so it then runs on whole frames); 0 trains on whole frames")
    parser.add_argument("--steps-per-epoch", type=int, default=0, help="default: one pass over the frames")
    parser.add_argument("--bn-frames", type=int, default=0,
                        help="recompute BatchNorm statistics on this many whole frames after each patch epoch "
                             "(default 0: keep the patches' statistics, which the per-cell scores were trained "
                             "with; with whole-frame statistics every good frame had some cell over threshold)")
    parser.add_argument("--bundle", metavar="NAME:VERSION",
                        help="also package the best model as a model bundle jar NAME-VERSION.jar with the gateway's "
                             "packaging command (./factory-inspect-tools package-model: checksum, descriptor with "
                             "this script's preprocessing and threshold, verified on a backend)")
    parser.add_argument("--init", help="start from these weights (the .pt written beside an ONNX file), e.g. "
                                           "to fine-tune on whole frames with --patch 0 and a lower --lr")
    parser.add_argument("--log-every", type=int, default=50, help="print the loss every N steps")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()

    size = tuple(int(v) for v in args.size.lower().split("x"))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
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
    if args.init:
        net.load_state_dict(torch.load(args.init, map_location=device))
        print(f"weights from {args.init}", flush=True)
    optimiser = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    steps_per_epoch = args.steps_per_epoch or (len(train_y) + args.batch - 1) // args.batch
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch,
                                                   pct_start=0.15)
    where = defect_pixels(train_m) if args.patch else None
    if args.patch:
        print(f"patch training: {args.patch}x{args.patch} patches, {len(where)} images with defect masks", flush=True)
    best_accuracy = -1.0
    best_threshold = 0.5
    for epoch in range(args.epochs):
        net.train()
        order = torch.randperm(len(train_y), generator=generator).numpy()
        t = time.time()
        total = 0.0
        for step in range(1, steps_per_epoch + 1):
            if args.patch:
                x, m = patch_batch(train_x, train_y, train_m, train_known, where, args.batch, args.patch, generator)
                y = (m.amax(dim=(1, 2, 3)) > 0).float()
                known = torch.ones(len(y), dtype=torch.bool)
            else:
                idx = order[((step - 1) * args.batch) % len(order):][:args.batch]
                x, m = torch.from_numpy(train_x[idx]).float(), torch.from_numpy(train_m[idx]).float()
                y = torch.from_numpy(train_y[idx]).float()
                known = torch.from_numpy(train_known[idx])
            x, m = augment(x, m, generator)
            x, m, y, known = normalise(x).to(device), m.to(device), y.to(device), known.to(device)
            cells, score = net(x)
            loss = F.binary_cross_entropy_with_logits(score, y)
            if args.cell_weight > 0 and bool(known.any()):
                target = F.max_pool2d(m, DefectNet.CELL, DefectNet.CELL, ceil_mode=True)
                cell_loss = F.binary_cross_entropy_with_logits(cells[known], target[known],
                                                               pos_weight=torch.tensor(5.0, device=device))
                loss = loss + args.cell_weight * cell_loss
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item()
            if step % args.log_every == 0:
                hits = ((score > 0) == (y > 0.5)).float().mean().item()
                print(f"  step {step}: loss {loss.item():.4f}, batch accuracy {hits:.3f}", flush=True)
        if args.patch and args.bn_frames > 0:
            refresh_batch_norm(net, train_x[order[:args.bn_frames]], device)
        p = predict(net, val_x, device)
        threshold = pick_threshold(p, val_y, args.min_recall, args.max_false_rejects)
        s = scores(p, val_y, threshold)
        print(f"epoch {epoch + 1}/{args.epochs}: loss {total / steps_per_epoch:.4f}, validation at {threshold}: "
              f"accuracy {s['accuracy']:.4f} recall {s['recall']:.4f} false rejects {s['false_reject_rate']:.4f} "
              f"({time.time() - t:.0f} s)", flush=True)
        if s["accuracy"] > best_accuracy:
            best_accuracy = s["accuracy"]
            # Written at once, so a run cut short still leaves its best model.
            best_threshold = export(net, val_x, val_y, size, args)
    if args.bundle:
        package(args, size, best_threshold)


def export(net, val_x, val_y, size, args):
    """Picks the threshold on validation and writes the ONNX file."""
    device = next(net.parameters()).device
    net.eval()
    p = predict(net, val_x, device)
    threshold = pick_threshold(p, val_y, args.min_recall, args.max_false_rejects)
    s = scores(p, val_y, threshold)
    print(f"threshold {threshold} (recall >= {args.min_recall} if that keeps false rejects <= "
          f"{args.max_false_rejects}, else the best recall within that, on validation): {json.dumps(s)}", flush=True)
    exported = Exported(copy.deepcopy(net).cpu().eval())
    torch.onnx.export(exported, torch.zeros(1, 1, size[1], size[0]), args.out,
                      input_names=["image"], output_names=["probabilities"],
                      dynamic_axes={"image": {0: "N"}, "probabilities": {0: "N"}}, opset_version=13)
    torch.save(net.state_dict(), os.path.splitext(args.out)[0] + ".pt")
    digest = hashlib.sha256(open(args.out, "rb").read()).hexdigest()
    print(f"wrote {args.out}: {os.path.getsize(args.out)} bytes, sha256 {digest}")
    print(json.dumps({"threshold": threshold, "validation": s, "input": f"{size[0]}x{size[1]}",
                      "sha256": digest}), flush=True)
    return threshold


def package(args, size, threshold):
    """The model bundle, made and verified by the gateway's own packaging command."""
    name, _, version = args.bundle.partition(":")
    tools = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "factory-inspect-tools")
    jar = f"{name}-{version}.jar"
    command = [tools, "package-model", "--onnx", args.out, "--name", name, "--version", version,
               "--threshold", str(threshold), "--input", f"{size[0]}x{size[1]}", "--colour", "mono",
               "--scale", "1/255", "--mean", str(MEAN), "--std", str(STD), "--out", jar]
    print(" ".join(command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"packaging failed ({result.returncode}): {result.stderr.strip().splitlines()[-1:]}")
    print(result.stdout.strip(), flush=True)


if __name__ == "__main__":
    sys.exit(main())
