#!/usr/bin/env python3
"""Turns ConvolutionBenchmark's JMH JSON (and optionally pytorch_conv_bench.py's output, and a second JMH JSON of
a run on libnd4j without oneDNN) into the tables of docs/benchmarks.md: medians per call (90th percentile).

    python3 bn-benchmarks/jmh_conv_table.py conv.json pytorch_conv.txt [conv-no-onednn.json]
"""
import sys

from jmh_table import load_jmh


def load_pytorch(path):
    rows = {}
    for line in open(path):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and "-" in cells[0] and "k" in cells[0]:
            rows[cells[0]] = (float(cells[1]), float(cells[2]))
    return rows


def main():
    scores = load_jmh(sys.argv[1])
    torch = load_pytorch(sys.argv[2]) if len(sys.argv) > 2 else {}
    plain = load_jmh(sys.argv[3]) if len(sys.argv) > 3 else {}
    shapes = []
    for (_, shape) in scores:
        if shape not in shapes:
            shapes.append(shape)
    nan = (float("nan"), float("nan"))

    print("### Training: forward + backward, ms per batch\n")
    print("| shape | FastConvolution | DL4J ConvolutionLayer | raw conv2d + conv2d_bp | PyTorch "
          "| DL4J / fast | fast / raw ops | fast / PyTorch |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for s in shapes:
        f, fe = scores.get(("trainFastLayer", s), nan)
        d, de = scores.get(("trainDl4jLayer", s), nan)
        o, oe = scores.get(("trainRawOps", s), nan)
        p = torch.get(s, nan)[0]
        print(f"| {s} | {f:.2f} ({fe:.2f}) | {d:.1f} ({de:.1f}) | {o:.2f} ({oe:.2f}) | {p:.2f} "
              f"| {d / f:.1f}× | {f / o:.2f} | {f / p:.2f} |")

    print("\n### Inference: forward, ms per batch\n")
    print("| shape | FastConvolution | DL4J ConvolutionLayer | PyTorch | DL4J / fast | fast / PyTorch |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for s in shapes:
        f, fe = scores.get(("inferenceFastLayer", s), nan)
        d, de = scores.get(("inferenceDl4jLayer", s), nan)
        p = torch.get(s, nan)[1]
        print(f"| {s} | {f:.2f} ({fe:.2f}) | {d:.1f} ({de:.1f}) | {p:.2f} | {d / f:.1f}× | {f / p:.2f} |")

    if plain:
        print("\n### Without oneDNN (plain libnd4j build), training, ms per batch\n")
        print("| shape | FastConvolution on libnd4j's own conv2d ops | DL4J ConvolutionLayer | DL4J / fast |")
        print("| --- | ---: | ---: | ---: |")
        for s in shapes:
            f, fe = plain.get(("trainFastLayer", s), nan)
            d, de = plain.get(("trainDl4jLayer", s), nan)
            print(f"| {s} | {f:.1f} ({fe:.1f}) | {d:.1f} ({de:.1f}) | {d / f:.2f}× |")


if __name__ == "__main__":
    main()
