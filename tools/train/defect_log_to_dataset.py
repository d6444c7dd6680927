#!/usr/bin/env python3
"""Turn a gateway defect log folder into a training data set folder (adds labels.csv).

The defect log holds one PNG + one JSON per rejected frame. A frame's label comes from, in order:
  1. a review file (--review CSV, `image,label` with 0 = good / 1 = defect): what a person decided
     looking at the image; the only source for real cameras;
  2. the frame's `ground_truth` (DEFECT / GOOD) where the camera knew it (synthetic camera, folder
     replay with labels.csv).
Frames with neither are left out and counted. Images are not copied: labels.csv is written next to them
(or to --out), so the folder can be passed to train.py --train as it is.

A defect log holds mostly rejected frames: mix it with a folder of good parts (or a synthetic set) so
the model also sees what passes.

  /usr/bin/python3 tools/train/defect_log_to_dataset.py DEFECT_LOG_DIR [--review review.csv] [--out labels.csv]
"""
import argparse
import csv
import glob
import json
import os
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", help="the gateway's defect log folder (PNG + JSON per entry)")
    parser.add_argument("--review", help="a person's labels for the images: CSV image,label (0 good, 1 defect)")
    parser.add_argument("--out", help="labels file to write (default: FOLDER/labels.csv)")
    args = parser.parse_args()

    if not os.path.isdir(args.folder):
        sys.exit(f"error: defect log folder {args.folder} does not exist")
    reviewed = {}
    if args.review:
        with open(args.review, newline="") as f:
            for number, row in enumerate(csv.reader(f), 1):
                if not row or row[0] in ("image", "") or row[0].startswith("#"):
                    continue
                if len(row) < 2 or row[1].strip() not in ("0", "1"):
                    sys.exit(f"error: {args.review} line {number}: expected image,label with label 0 or 1, got {row}")
                reviewed[row[0].strip()] = int(row[1])

    labelled, unknown, broken = [], 0, []
    for entry in sorted(glob.glob(os.path.join(args.folder, "*.json"))):
        try:
            with open(entry) as f:
                record = json.load(f)
            image = record["image"]
        except (OSError, ValueError, KeyError) as e:
            broken.append(f"{os.path.basename(entry)}: {e}")
            continue
        if not os.path.isfile(os.path.join(args.folder, image)):
            broken.append(f"{os.path.basename(entry)}: image {image} is missing")
            continue
        truth = record.get("ground_truth")
        if image in reviewed:
            label = reviewed[image]
        elif truth in ("DEFECT", "GOOD"):
            label = 1 if truth == "DEFECT" else 0
        else:
            unknown += 1
            continue
        labelled.append((image, label, record.get("annotation") or ""))

    out = args.out or os.path.join(args.folder, "labels.csv")
    with open(out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["image", "label", "annotation"])
        writer.writerows(labelled)
    defects = sum(label for _, label, _ in labelled)
    print(f"wrote {out}: {len(labelled)} images ({defects} defect, {len(labelled) - defects} good); "
          f"{unknown} without a review or ground truth left out; {len(broken)} unreadable entries")
    for line in broken[:10]:
        print(f"  skipped {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
