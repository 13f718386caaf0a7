#!/usr/bin/python3
"""Times PyTorch's BatchNorm2d/BatchNorm1d on the shapes of BatchNormBenchmark (float32, CPU, 2 threads).

Training: forward in train mode (batch statistics) + backward of a fixed upstream gradient.
Inference: forward in eval mode (running statistics). Layouts: NCHW (contiguous) and channels_last (NHWC).
Run with Debian's interpreter, which has PyTorch 1.13:  /usr/bin/python3 bn-benchmarks/pytorch_bench.py
"""
import argparse
import time

import torch

SHAPES = [(32, 64, 56, 56), (32, 256, 28, 28), (128, 32, 28, 28)]
DENSE = (256, 1024)


def best_ms(fn, warmup, repeats, rounds):
    """Median over rounds of the mean time per call (ms), as JMH reports a mean per iteration."""
    for _ in range(warmup):
        fn()
    means = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            fn()
        means.append((time.perf_counter() - start) * 1000.0 / repeats)
    means.sort()
    return means[len(means) // 2]


def bench(layer, x, dy, args):
    layer.train()
    xg = x.clone().requires_grad_(True)

    def train():
        xg.grad = None
        layer.zero_grad(set_to_none=True)
        y = layer(xg)
        y.backward(dy)

    layer.eval()

    def infer():
        with torch.no_grad():
            layer(x)

    infer_ms = best_ms(infer, args.warmup, args.repeats, args.rounds)
    layer.train()
    train_ms = best_ms(train, args.warmup, args.repeats, args.rounds)

    def copy():
        out.copy_(x)

    out = torch.empty_like(x)
    copy_ms = best_ms(copy, args.warmup, args.repeats, args.rounds)
    return train_ms, infer_ms, copy_ms


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    capability = [line.strip() for line in torch.__config__.show().splitlines() if "CPU capability" in line]
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, {' '.join(capability)}")
    print("| layout | shape (N,C,H,W) | train fwd+bwd ms | inference ms | copy ms |")
    print("| --- | --- | --- | --- | --- |")
    for memory_format, name in ((torch.contiguous_format, "NCHW"), (torch.channels_last, "NHWC")):
        for shape in SHAPES:
            layer = torch.nn.BatchNorm2d(shape[1])
            layer.running_mean.uniform_(-0.5, 0.5)
            layer.running_var.uniform_(0.5, 1.5)
            x = (torch.randn(shape) * 2 + 0.5).contiguous(memory_format=memory_format)
            dy = torch.randn(shape).contiguous(memory_format=memory_format)
            train_ms, infer_ms, copy_ms = bench(layer, x, dy, args)
            print(f"| {name} | {','.join(map(str, shape))} | {train_ms:.2f} | {infer_ms:.2f} | {copy_ms:.2f} |")
    layer = torch.nn.BatchNorm1d(DENSE[1])
    x = torch.randn(DENSE) * 2 + 0.5
    dy = torch.randn(DENSE)
    train_ms, infer_ms, copy_ms = bench(layer, x, dy, args)
    print(f"| DENSE | {','.join(map(str, DENSE))} | {train_ms:.2f} | {infer_ms:.2f} | {copy_ms:.2f} |")


if __name__ == "__main__":
    main()
