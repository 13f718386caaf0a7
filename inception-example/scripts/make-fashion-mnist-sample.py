#!/usr/bin/env python3
"""Writes the Fashion-MNIST sample bundled with inception-example.

Takes the first 400 training and the first 100 test images of each class from Debian's dataset-fashion-mnist files
and writes them, in their original order, as gzipped IDX files into
src/main/resources/org/bn4j/inception/fashion-mnist-sample/. Run from inception-example/:

    python3 scripts/make-fashion-mnist-sample.py [/usr/share/datasets/fashion-mnist]
"""
import gzip
import os
import struct
import sys

SOURCE = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
TARGET = "src/main/resources/org/bn4j/inception/fashion-mnist-sample"
PER_CLASS = {"train": 400, "t10k": 100}


def read(prefix):
    with gzip.open(os.path.join(SOURCE, prefix + "-images-idx3-ubyte.gz"), "rb") as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803, magic
        pixels = f.read(count * rows * cols)
    with gzip.open(os.path.join(SOURCE, prefix + "-labels-idx1-ubyte.gz"), "rb") as f:
        magic, n = struct.unpack(">II", f.read(8))
        assert magic == 0x801 and n == count, (magic, n)
        labels = f.read(n)
    return rows, cols, pixels, labels


def write(prefix, rows, cols, images, labels):
    # mtime=0 keeps the files byte-identical across runs
    with gzip.GzipFile(os.path.join(TARGET, prefix + "-images-idx3-ubyte.gz"), "wb", 9, mtime=0) as f:
        f.write(struct.pack(">IIII", 0x803, len(labels), rows, cols))
        f.write(b"".join(images))
    with gzip.GzipFile(os.path.join(TARGET, prefix + "-labels-idx1-ubyte.gz"), "wb", 9, mtime=0) as f:
        f.write(struct.pack(">II", 0x801, len(labels)))
        f.write(bytes(labels))


def main():
    os.makedirs(TARGET, exist_ok=True)
    for prefix, per_class in PER_CLASS.items():
        rows, cols, pixels, labels = read(prefix)
        size = rows * cols
        taken = [0] * 10
        images, chosen = [], []
        for i, label in enumerate(labels):
            if taken[label] < per_class:
                taken[label] += 1
                images.append(pixels[i * size:(i + 1) * size])
                chosen.append(label)
        write(prefix, rows, cols, images, chosen)
        print(prefix, len(chosen), "images")


if __name__ == "__main__":
    main()
