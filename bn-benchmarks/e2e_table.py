#!/usr/bin/env python3
"""Turns EndToEndBenchmark's JMH JSON (and optionally pytorch_e2e.py's output) into the end-to-end table of
docs/benchmarks.md: median ms per batch of 64 (90th percentile), images/s, and ratios.

    python3 bn-benchmarks/e2e_table.py e2e.json [pytorch-e2e.txt]
"""
import sys

from jmh_table import load_jmh

VARIANTS = [("FAST_CONV_BN4J", "FastConvolution + bn4j BatchNorm"),
            ("DL4J_CONV_BN4J", "DL4J ConvolutionLayer + bn4j BatchNorm"),
            ("DL4J_CONV_DL4J_BN", "DL4J ConvolutionLayer + DL4J BatchNormalization + ReLU layer")]
BATCH = 64


def load_pytorch(path):
    """{"training step" | "inference": (median ms, p90 ms)} from pytorch_e2e.py's table lines."""
    rows = {}
    for line in open(path):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0] in ("training step", "inference"):
            median, p90 = cells[1].replace(" ms", "").replace(")", "").split(" (")
            rows[cells[0]] = (float(median), float(p90))
    return rows


def main():
    scores = load_jmh(sys.argv[1], param="variant")
    torch = load_pytorch(sys.argv[2]) if len(sys.argv) > 2 else {}
    nan = (float("nan"), float("nan"))
    for method, torch_key, title in (("trainStep", "training step", "Training step"),
                                     ("inference", "inference", "Inference")):
        base = scores.get((method, "DL4J_CONV_BN4J"), nan)[0]
        reference = torch.get(torch_key, nan)[0]
        print(f"### {title}: batch of {BATCH}, ms (p90), images/s\n")
        print("| network | ms per batch | images/s | speed-up over DL4J conv + bn4j | throughput / PyTorch |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for key, label in VARIANTS:
            ms, p90 = scores.get((method, key), nan)
            print(f"| {label} | {ms:.1f} ({p90:.1f}) | {1000 * BATCH / ms:.0f} | {base / ms:.1f}× "
                  f"| {reference / ms:.2f} |")
        if torch_key in torch:
            ms, p90 = torch[torch_key]
            print(f"| PyTorch 1.13 (pytorch_e2e.py) | {ms:.1f} ({p90:.1f}) | {1000 * BATCH / ms:.0f} "
                  f"| {base / ms:.1f}× | 1.00 |")
        print()


if __name__ == "__main__":
    main()
