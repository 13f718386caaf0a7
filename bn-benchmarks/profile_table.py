#!/usr/bin/env python3
"""Attributes the stack samples of a ProfileDefaultNetwork JFR recording to the layers of one training step (or
inference batch) and prints a table: share of samples and, scaled by the median step time, milliseconds per step.

    jfr print --json --stack-depth 96 --events jdk.ExecutionSample,jdk.NativeMethodSample step.jfr > step.json
    python3 bn-benchmarks/profile_table.py step.json MEDIAN_STEP_MS

Only samples of the main thread inside ComputationGraph.fit / output count (not start-up, not warm-up outside a
step: warm-up steps are inside fit too, so profile many more steps than the 5 warm-up steps). Each sample goes to the
innermost frame that belongs to a layer, vertex or updater class below (libnd4j ops run on the calling thread's
native stack, so an op's time lands on the layer that called it); the phase is forward or backward by its
place in the graph's pass (inside ComputationGraph.calcBackpropGradients or not).
"""
import json
import sys
from collections import Counter

CATEGORIES = [
    ("org.bn4j.conv.", "convolution (bn4j FastConvolution)"),
    ("org.deeplearning4j.nn.layers.convolution.ConvolutionLayer", "convolution (DL4J ConvolutionLayer)"),
    ("org.bn4j.", "batch norm (bn4j BatchNorm)"),
    ("org.deeplearning4j.nn.layers.normalization.BatchNormalization", "batch norm (DL4J built-in)"),
    ("org.deeplearning4j.nn.layers.ActivationLayer", "activation layer"),
    ("org.deeplearning4j.nn.layers.convolution.subsampling.", "pooling (SubsamplingLayer)"),
    ("org.deeplearning4j.nn.layers.pooling.GlobalPoolingLayer", "global average pooling"),
    ("org.deeplearning4j.nn.graph.vertex.impl.MergeVertex", "merge (concatenation)"),
    ("org.deeplearning4j.nn.layers.BaseOutputLayer", "output layer + loss"),
    ("org.deeplearning4j.nn.layers.OutputLayer", "output layer + loss"),
    ("org.deeplearning4j.nn.updater.", "updater (Nesterov, L2)"),
    ("org.nd4j.linalg.learning.", "updater (Nesterov, L2)"),
    ("org.deeplearning4j.optimize.", "solver / score / listeners"),
    ("org.deeplearning4j.nn.graph.ComputationGraph", "graph bookkeeping (workspaces, gradient views)"),
]


def frame_name(frame):
    method = frame["method"]
    return method["type"]["name"].replace("/", "."), method["name"]


def classify(frames):
    backward = any(frame_name(f)[1] == "calcBackpropGradients" for f in frames)
    for frame in frames:
        cls, method = frame_name(frame)
        for prefix, label in CATEGORIES:
            if cls.startswith(prefix):
                phase = ""
                if not label.startswith(("updater", "solver", "graph")):
                    phase = " backward" if backward else " forward"
                return label + phase
    return "other"


def in_step(frames):
    return any(frame_name(f)[0] == "org.deeplearning4j.nn.graph.ComputationGraph"
               and frame_name(f)[1] in ("fit", "output", "outputSingle") for f in frames)


def main():
    events = json.load(open(sys.argv[1]))["recording"]["events"]
    step_ms = float(sys.argv[2]) if len(sys.argv) > 2 else None
    counts = Counter()
    for event in events:
        values = event["values"]
        if values["sampledThread"]["javaName"] != "main" or values["stackTrace"] is None:
            continue
        frames = values["stackTrace"]["frames"]
        if not in_step(frames):
            continue
        counts[classify(frames)] += 1
    total = sum(counts.values())
    header = "| part of the step | samples | share |" + (" ms per step |" if step_ms else "")
    print(header)
    print("| --- | ---: | ---: |" + (" ---: |" if step_ms else ""))
    for label, n in counts.most_common():
        row = f"| {label} | {n} | {100 * n / total:.1f} % |"
        if step_ms:
            row += f" {step_ms * n / total:.1f} |"
        print(row)
    print(f"| total | {total} | 100 % |" + (f" {step_ms:.1f} |" if step_ms else ""))


if __name__ == "__main__":
    main()
