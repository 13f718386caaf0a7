#!/usr/bin/env python3
"""Turns BatchNormBenchmark's JMH JSON (and optionally pytorch_bench.py's output) into the tables of
docs/benchmarks.md. Sample-time results are reported as the median per call with the 90th percentile in
parentheses; average-time results as the mean with JMH's 99.9% error in parentheses.

    python3 bn-benchmarks/jmh_table.py results.json [pytorch.txt]
"""
import json
import sys


def load_jmh(path, param="shape"):
    """{(method, value of the JMH parameter `param`): (median, p90)} (sample time) or (mean, error)."""
    scores = {}
    for entry in json.load(open(path)):
        method = entry["benchmark"].rsplit(".", 1)[1]
        shape = entry["params"][param]
        metric = entry["primaryMetric"]
        percentiles = metric.get("scorePercentiles", {})
        if entry.get("mode") == "sample" and "50.0" in percentiles:
            # median per call, and the 90th percentile
            scores[(method, shape)] = (percentiles["50.0"], percentiles.get("90.0", float("nan")))
        else:
            scores[(method, shape)] = (metric["score"], metric.get("scoreError", float("nan")))
    return scores


def load_pytorch(path):
    rows = {}
    for line in open(path):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] in ("NCHW", "NHWC", "DENSE"):
            key = cells[0] + ":" + cells[1].replace(",", "x")
            rows[key] = (float(cells[2]), float(cells[3]))
    return rows


def main():
    scores = load_jmh(sys.argv[1])
    torch = load_pytorch(sys.argv[2]) if len(sys.argv) > 2 else {}
    shapes = []
    for (_, shape) in scores:
        if shape not in shapes:
            shapes.append(shape)

    def ms(method, shape):
        return scores.get((method, shape), (float("nan"), float("nan")))

    print("### Training: forward (batch statistics) + backward, ms per batch\n")
    print("| shape | bn4j layer | DL4J built-in layer | libnd4j ops | PyTorch | built-in / bn4j | libnd4j / bn4j "
          "| PyTorch / bn4j |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for shape in shapes:
        b, be = ms("trainBn4jLayer", shape)
        d, de = ms("trainDl4jBuiltInLayer", shape)
        o, oe = ms("trainLibnd4jOps", shape)
        p = torch.get(shape, (float("nan"),))[0]
        print(f"| {shape} | {b:.2f} ({be:.2f}) | {d:.1f} ({de:.1f}) | {o:.1f} ({oe:.1f}) | {p:.2f} "
              f"| {d / b:.0f}× | {o / b:.0f}× | {p / b:.2f} |")

    print("\n### Inference: forward with population statistics, ms per batch\n")
    print("| shape | bn4j layer | DL4J built-in layer | libnd4j op | memory copy | PyTorch | bn4j / copy "
          "| built-in / bn4j | PyTorch / bn4j |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for shape in shapes:
        b, be = ms("inferenceBn4jLayer", shape)
        d, de = ms("inferenceDl4jBuiltInLayer", shape)
        o, oe = ms("inferenceLibnd4jOp", shape)
        c, ce = ms("inferenceMemoryCopy", shape)
        p = torch.get(shape, (float("nan"), float("nan")))[1]
        print(f"| {shape} | {b:.2f} ({be:.2f}) | {d:.1f} ({de:.1f}) | {o:.1f} ({oe:.1f}) | {c:.2f} ({ce:.2f}) "
              f"| {p:.2f} | {b / c:.2f} | {d / b:.0f}× | {p / b:.2f} |")


if __name__ == "__main__":
    main()
