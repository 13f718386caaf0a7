#!/usr/bin/env python3
"""The example's default network (BN-Inception, 28x28x1, width 0.25, batch 64) in PyTorch 1.13, rebuilt from the
DL4J ComputationGraphConfiguration JSON: checks that it has the same parameters and the same outputs as DL4J, then
times one training step and one inference batch with 2 threads.

    java -cp bn-benchmarks/target/benchmarks.jar org.bn4j.benchmarks.endtoend.ExportDefaultNetwork /tmp/bn-e2e
    /usr/bin/python3 bn-benchmarks/pytorch_e2e.py /tmp/bn-e2e [--graph bn-benchmarks/src/test/resources/bn-inception-default.json]

The export folder holds graph.json, params.bin/params.json, input.bin and DL4J's softmax outputs (inference and
training mode); see ExportDefaultNetwork. --graph reads the configuration from another file (the committed fixture)
instead of the export's graph.json; the parameter check then also proves that the fixture describes the exported
network.

How DL4J's layers map onto PyTorch (only what the BN-Inception graph uses; anything else is an error):
- ConvolutionLayer (or any layer config with kernelSize/stride/dilation/convolutionMode and a "W" parameter of shape
  [Cout, Cin, kH, kW], e.g. bn4j's fast convolution): conv2d without padding after F.pad with zeros; Same mode pads
  as DL4J's ConvolutionUtils.getSameModeTopLeftPadding: total = max(0, (ceil(in/s) - 1)*s + (k-1)*d + 1 - in),
  top/left = total // 2, the rest bottom/right.
- SubsamplingLayer MAX: F.pad with -inf, then max_pool2d. AVG with avgPoolIncludePadInDivisor=false (libnd4j's
  avgpool2d extraParam0 = 0, "exclude padding"): sum over the window divided by the number of inside elements,
  computed as avg_pool2d(pad0(x)) / avg_pool2d(pad0(1)).
- org.bn4j.BatchNorm: BatchNorm2d(eps, momentum = 1 - decay), then its activation; training mode normalizes with the
  biased batch variance, inference uses the population statistics (mean, var).
- MergeVertex: cat along channels; GlobalPoolingLayer AVG: mean over H, W; OutputLayer softmax + MCXENT: Linear
  (W transposed from DL4J's [nIn, nOut]) and cross-entropy on the logits.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ACTIVATIONS = {
    "ActivationIdentity": lambda x: x,
    "ActivationReLU": F.relu,
    "ActivationSigmoid": torch.sigmoid,
}


def activation_of(layer):
    name = layer["activationFn"]["@class"].rsplit(".", 1)[1]
    if name not in ACTIVATIONS:
        raise ValueError(f"unsupported activation {name} in layer {layer.get('layerName')}")
    return ACTIVATIONS[name]


def same_padding(size, kernel, stride, dilation):
    """DL4J's Same mode: (before, after) padding of one spatial dimension."""
    out = math.ceil(size / stride)
    total = max(0, (out - 1) * stride + (kernel - 1) * dilation + 1 - size)
    return total // 2, total - total // 2


class Conv(nn.Module):
    def __init__(self, layer):
        super().__init__()
        self.kernel, self.stride = layer["kernelSize"], layer["stride"]
        self.dilation, self.padding = layer["dilation"], layer["padding"]
        self.same = layer["convolutionMode"] == "Same"
        if layer["convolutionMode"] not in ("Same", "Truncate", "Strict"):
            raise ValueError(f"unsupported convolution mode {layer['convolutionMode']}")
        if layer.get("cnn2dDataFormat", "NCHW") != "NCHW":
            raise ValueError("only NCHW is supported")
        self.weight = nn.Parameter(torch.empty(layer["nout"], layer["nin"], *self.kernel))
        self.bias = nn.Parameter(torch.zeros(layer["nout"])) if layer.get("hasBias", True) else None
        self.activation = activation_of(layer)

    def forward(self, x):
        x = pad(x, self.same, self.kernel, self.stride, self.dilation, self.padding, 0.0)
        return self.activation(F.conv2d(x, self.weight, self.bias, self.stride, 0, self.dilation))


def pad(x, same, kernel, stride, dilation, padding, value):
    if same:
        top, bottom = same_padding(x.shape[2], kernel[0], stride[0], dilation[0])
        left, right = same_padding(x.shape[3], kernel[1], stride[1], dilation[1])
    else:
        top = bottom = padding[0]
        left = right = padding[1]
    if top == bottom == left == right == 0:
        return x
    return F.pad(x, (left, right, top, bottom), value=value)


class Pool(nn.Module):
    def __init__(self, layer):
        super().__init__()
        self.kernel, self.stride = layer["kernelSize"], layer["stride"]
        self.dilation, self.padding = layer["dilation"], layer["padding"]
        self.same = layer["convolutionMode"] == "Same"
        self.type = layer["poolingType"]
        if self.dilation != [1, 1]:
            raise ValueError("dilated pooling is not supported")
        if self.type == "AVG" and layer["avgPoolIncludePadInDivisor"]:
            raise ValueError("avgPoolIncludePadInDivisor=true is not supported")
        if self.type not in ("MAX", "AVG"):
            raise ValueError(f"unsupported pooling {self.type}")

    def forward(self, x):
        if self.type == "MAX":
            x = pad(x, self.same, self.kernel, self.stride, self.dilation, self.padding, -math.inf)
            return F.max_pool2d(x, self.kernel, self.stride)
        padded = pad(x, self.same, self.kernel, self.stride, self.dilation, self.padding, 0.0)
        ones = pad(torch.ones_like(x[:1, :1]), self.same, self.kernel, self.stride, self.dilation, self.padding, 0.0)
        return F.avg_pool2d(padded, self.kernel, self.stride) / F.avg_pool2d(ones, self.kernel, self.stride)


class BatchNorm(nn.Module):
    def __init__(self, layer):
        super().__init__()
        if layer.get("dataFormat", "NCHW") != "NCHW" or not layer.get("learnGammaBeta", True):
            raise ValueError("only NCHW with learned gamma/beta is supported")
        if layer.get("averaging", "MOVING_AVERAGE") != "MOVING_AVERAGE":
            raise ValueError("only moving-average population statistics are supported")
        self.bn = nn.BatchNorm2d(layer["nout"], eps=layer["eps"], momentum=1.0 - layer["decay"])
        self.activation = activation_of(layer)

    def forward(self, x):
        return self.activation(self.bn(x))


class GlobalAvgPool(nn.Module):
    def __init__(self, layer):
        super().__init__()
        if layer["poolingType"] != "AVG" or layer["poolingDimensions"] != [2, 3]:
            raise ValueError("only average global pooling over H, W is supported")

    def forward(self, x):
        return x.mean(dim=(2, 3))


class Output(nn.Module):
    def __init__(self, layer):
        super().__init__()
        if layer["activationFn"]["@class"].rsplit(".", 1)[1] != "ActivationSoftmax" \
                or layer["lossFn"]["@class"].rsplit(".", 1)[1] != "LossMCXENT":
            raise ValueError("only a softmax output layer with MCXENT loss is supported")
        self.linear = nn.Linear(layer["nin"], layer["nout"], bias=layer.get("hasBias", True))

    def forward(self, x):
        return self.linear(x)  # logits; softmax is applied by the loss / by outputs()


def module_for(layer):
    kind = layer["@class"].rsplit(".", 1)[1]
    if kind == "SubsamplingLayer":
        return Pool(layer)
    if "kernelSize" in layer and "nout" in layer:  # DL4J's ConvolutionLayer or a convolution with its params
        return Conv(layer)
    if kind == "BatchNorm":
        return BatchNorm(layer)
    if kind == "GlobalPoolingLayer":
        return GlobalAvgPool(layer)
    if kind == "OutputLayer":
        return Output(layer)
    raise ValueError(f"unsupported layer {layer['@class']} ({layer.get('layerName')})")


def topological_order(vertices, vertex_inputs, inputs):
    """Vertices after all their inputs (the configuration JSON carries no order before the network is built)."""
    done, order = set(inputs), []
    while len(order) < len(vertices):
        ready = [v for v in vertices if v not in done and all(i in done for i in vertex_inputs.get(v, []))]
        if not ready:
            raise ValueError("the graph has a cycle or a missing input")
        for v in ready:
            done.add(v)
            order.append(v)
    return order


class Graph(nn.Module):
    """A DL4J ComputationGraph (the subset above), vertices run in DL4J's topological order."""

    def __init__(self, conf):
        super().__init__()
        self.inputs = conf["networkInputs"]
        self.outputs = conf["networkOutputs"]
        self.vertex_inputs = conf["vertexInputs"]
        self.order = topological_order(conf["vertices"], self.vertex_inputs, self.inputs)
        self.layers = nn.ModuleDict()
        self.names = {}
        self.merges = set()
        for name in self.order:
            vertex = conf["vertices"][name]
            kind = vertex["@class"].rsplit(".", 1)[1]
            if kind == "MergeVertex":
                if vertex.get("mergeAxis", 1) != 1:
                    raise ValueError("only channel merges are supported")
                self.merges.add(name)
            elif kind == "LayerVertex":
                if vertex.get("preProcessor") is not None:
                    raise ValueError(f"preprocessor of {name} is not supported")
                key = name.replace("/", "__")
                self.names[name] = key
                self.layers[key] = module_for(vertex["layerConf"]["layer"])
            else:
                raise ValueError(f"unsupported vertex {kind} ({name})")

    def forward(self, x):
        values = {self.inputs[0]: x}
        for name in self.order:
            args = [values[i] for i in self.vertex_inputs[name]]
            values[name] = torch.cat(args, dim=1) if name in self.merges else self.layers[self.names[name]](*args)
        return values[self.outputs[0]]

    def load_dl4j(self, index, flat):
        """Copies every DL4J parameter into its PyTorch counterpart (shapes must match exactly)."""
        loaded = 0
        for p in index:
            module = self.layers[self.names[p["vertex"]]]
            value = torch.from_numpy(flat[p["offset"]:p["offset"] + int(np.prod(p["shape"]))].copy()).reshape(
                p["shape"])
            key = p["key"]
            if isinstance(module, Conv) and key in ("W", "b"):
                target = module.weight if key == "W" else module.bias
            elif isinstance(module, BatchNorm):
                target = {"gamma": module.bn.weight, "beta": module.bn.bias, "mean": module.bn.running_mean,
                          "var": module.bn.running_var}[key]
                value = value.reshape(-1)
            elif isinstance(module, Output) and key == "W":
                target, value = module.linear.weight, value.t()  # DL4J W is [nIn, nOut]
            elif isinstance(module, Output) and key == "b":
                target, value = module.linear.bias, value.reshape(-1)
            else:
                raise ValueError(f"unexpected parameter {p['vertex']}_{key}")
            if tuple(target.shape) != tuple(value.shape):
                raise ValueError(f"{p['vertex']}_{key}: DL4J shape {tuple(value.shape)}, PyTorch {tuple(target.shape)}")
            with torch.no_grad():
                target.copy_(value)
            loaded += value.numel()
        return loaded


def read_floats(path, shape=None):
    data = np.fromfile(path, dtype="<f4")
    return data if shape is None else data.reshape(shape)


def max_relative(a, b):
    return float((a - b).abs().max() / b.abs().max())


def time_calls(fn, warmup, repeats):
    """Median and 90th percentile of the wall time, and median process CPU time, in ms per call."""
    for _ in range(warmup):
        fn()
    times, cpu = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    return (statistics.median(times) * 1000, sorted(times)[int(0.9 * (len(times) - 1))] * 1000,
            statistics.median(cpu) * 1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("export", help="folder written by ExportDefaultNetwork")
    parser.add_argument("--graph", help="configuration JSON (default: EXPORT/graph.json)")
    parser.add_argument("--repeats", type=int, default=50, help="timed calls per measurement (default 50)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    conf = json.load(open(args.graph or os.path.join(args.export, "graph.json")))
    index = json.load(open(os.path.join(args.export, "params.json")))
    model = Graph(conf)
    loaded = model.load_dl4j(index["params"], read_floats(os.path.join(args.export, "params.bin")))
    trainable = sum(p.numel() for p in model.parameters())
    statistics_count = sum(b.numel() for n, b in model.named_buffers() if n.endswith(("running_mean", "running_var")))
    dl4j_trainable = sum(int(np.prod(p["shape"])) for p in index["params"] if p["key"] not in ("mean", "var"))
    print(f"parameters: DL4J numParams {index['numParams']}, loaded {loaded}; PyTorch {trainable} trainable + "
          f"{statistics_count} running statistics = {trainable + statistics_count}; DL4J trainable {dl4j_trainable}")
    ok = loaded == index["numParams"] == trainable + statistics_count and trainable == dl4j_trainable

    shape_file = os.path.join(args.export, "input-shape.json")
    shape = tuple(json.load(open(shape_file))) if os.path.exists(shape_file) else (64, 1, 28, 28)
    batch = shape[0]
    x = torch.from_numpy(read_floats(os.path.join(args.export, "input.bin"), shape))
    for mode, path in (("inference", "output-inference.bin"), ("training", "output-training.bin")):
        model.train(mode == "training")
        with torch.no_grad():
            # no running-statistics update from this check: use a copy of the state in training mode
            saved = {k: v.clone() for k, v in model.state_dict().items()}
            out = F.softmax(model(x), dim=1)
            model.load_state_dict(saved)
        expected = torch.from_numpy(read_floats(os.path.join(args.export, path), tuple(out.shape)))
        error = max_relative(out, expected)
        agree = int((out.argmax(1) == expected.argmax(1)).sum())
        print(f"{mode} output vs DL4J: max |diff| / max |DL4J| = {error:.2e}, same top-1 for {agree}/{len(x)}")
        ok = ok and error < 1e-4

    # timing: batch 64, Nesterov SGD with L2 on weights as the recipe bn-x5
    labels = torch.randint(0, 10, (batch,))
    decay = [p for n, p in model.named_parameters() if n.endswith("weight") and p.dim() > 1]
    rest = [p for n, p in model.named_parameters() if not (n.endswith("weight") and p.dim() > 1)]
    optimizer = torch.optim.SGD([{"params": decay, "weight_decay": 4e-5}, {"params": rest}], lr=0.0075,
                                momentum=0.9, nesterov=True)

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), labels).backward()
        optimizer.step()

    def inference():
        with torch.no_grad():
            F.softmax(model(x), dim=1)

    model.train()
    train_ms, train_p90, train_cpu = time_calls(train_step, 10, args.repeats)
    model.eval()
    infer_ms, infer_p90, infer_cpu = time_calls(inference, 10, args.repeats)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, input {list(shape)}, median (p90) of "
          f"{args.repeats} calls; median process CPU time per call")
    print(f"| training step | {train_ms:.1f} ({train_p90:.1f}) ms | {batch * 1000 / train_ms:.0f} images/s "
          f"| CPU {train_cpu:.1f} ms |")
    print(f"| inference | {infer_ms:.1f} ({infer_p90:.1f}) ms | {batch * 1000 / infer_ms:.0f} images/s "
          f"| CPU {infer_cpu:.1f} ms |")
    print("checks: " + ("PASSED" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
