#!/usr/bin/python3
"""Times PyTorch's Conv2d on the shapes of ConvolutionBenchmark (float32, CPU, NCHW, 2 threads).

Each shape is N x Cin x H x W -> Cout with a k x k kernel, stride 1, 'same' padding (k // 2), with bias, exactly as
ConvolutionBenchmark configures DL4J (ConvolutionMode.Same, identity activation).
Training: forward + backward of a fixed upstream gradient, with dL/dx (the input requires grad, as inside a network).
Inference: forward under torch.no_grad().
Run with Debian's interpreter, which has PyTorch 1.13:  /usr/bin/python3 bn-benchmarks/pytorch_conv_bench.py
With --cpu-time: CPU time of the calling thread per call on one thread, the counterpart of ConvolutionCpuTime.java
(5 warm-up calls, then the median over 5 rounds of calls until 0.4 s of CPU time, at least 2 calls):
    /usr/bin/python3 bn-benchmarks/pytorch_conv_bench.py --cpu-time --threads 1
With --channels-last: input, gradient and weights in torch.channels_last (NHWC), the counterpart of the
ConvolutionBenchmark shapes with the -NHWC suffix; --shapes restricts to shapes named as in ConvolutionBenchmark.
"""
import argparse
import time

import torch

from pytorch_bench import best_ms

# (N, Cin, H, W, Cout, k): the @Param shapes of ConvolutionBenchmark, written there as NxCinxHxW-CoutkK
SHAPES = [(64, 1, 32, 32, 32, 3), (64, 32, 16, 16, 48, 3), (64, 32, 16, 16, 32, 1), (64, 120, 8, 8, 96, 3),
          (32, 64, 56, 56, 64, 3)]


def cpu_ms(fn):
    """Median CPU time of this thread per call (ms), as ConvolutionCpuTime measures it."""
    for _ in range(5):
        fn()
    rounds = []
    for _ in range(5):
        start = time.thread_time()
        calls = 0
        while calls < 2 or time.thread_time() - start < 0.4:
            fn()
            calls += 1
        rounds.append((time.thread_time() - start) * 1000.0 / calls)
    rounds.sort()
    return rounds[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cpu-time", action="store_true", help="CPU time per call instead of wall time")
    parser.add_argument("--channels-last", action="store_true", help="NHWC memory format (torch.channels_last)")
    parser.add_argument("--shapes", nargs="*", help="only these shapes, e.g. 64x32x16x16-32k1")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, mkldnn {torch.backends.mkldnn.is_available()}")
    print("| shape | train fwd+bwd ms | inference ms |")
    print("| --- | --- | --- |")
    fmt = torch.channels_last if args.channels_last else torch.contiguous_format
    for n, cin, h, w, cout, k in SHAPES:
        name = f"{n}x{cin}x{h}x{w}-{cout}k{k}"
        if args.shapes and name not in args.shapes:
            continue
        layer = torch.nn.Conv2d(cin, cout, k, padding=k // 2, bias=True).to(memory_format=fmt)
        x = torch.randn(n, cin, h, w).contiguous(memory_format=fmt).requires_grad_(True)
        dy = torch.randn(n, cout, h, w).contiguous(memory_format=fmt)

        def train():
            x.grad = None
            layer.zero_grad(set_to_none=True)
            layer(x).backward(dy)

        def infer():
            with torch.no_grad():
                layer(x)

        if args.cpu_time:
            train_ms, infer_ms = cpu_ms(train), cpu_ms(infer)
        else:
            train_ms = best_ms(train, args.warmup, args.repeats, args.rounds)
            infer_ms = best_ms(infer, args.warmup, args.repeats, args.rounds)
        print(f"| {name}{'-NHWC' if args.channels_last else ''} | {train_ms:.2f} | {infer_ms:.2f} |")


if __name__ == "__main__":
    main()
