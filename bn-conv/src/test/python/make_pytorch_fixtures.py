"""Generate PyTorch golden fixtures for bn4j's FastConvolution (bn-conv).

Writes one JSON file per case into ``bn-conv/src/test/resources/fixtures/pytorch/`` (same format as bn-layer's
fixtures: scalar keys plus arrays stored as {"shape": [ints], "data": [flat doubles, C order]}).

Every case is a float64 ``torch.nn.functional.conv2d`` forward and backward on NCHW tensors:
  x [N,Cin,H,W], W [Cout,Cin,kH,kW] (DL4J's "W" layout), b [Cout] (absent without bias), dy (upstream gradient),
  y = conv2d(pad(x), W, b, stride, dilation), dx, dW, db.
Padding is written out explicitly as pad_top, pad_bottom, pad_left, pad_right and applied with F.pad, so the
asymmetric padding of DL4J's ConvolutionMode.Same (the smaller half at the top/left) is checked independently of
both DL4J and libnd4j: for Same, total = max(0, (ceil(in/s)-1)*s + (k-1)*d + 1 - in), top = total // 2.

Re-run from the repository root with (deterministic: byte-identical output):

    /usr/bin/python3 bn-conv/src/test/python/make_pytorch_fixtures.py
"""

import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(20261202)

F64 = torch.float64
OUT_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                        "..", "resources", "fixtures", "pytorch"))

# name, mode, N, Cin, H, W, Cout, (kH, kW), (sH, sW), (pH, pW), (dH, dW), bias
CASES = [
    ("conv_truncate_k3_s1", "Truncate", 2, 3, 6, 5, 4, (3, 3), (1, 1), (0, 0), (1, 1), True),
    ("conv_truncate_k3x2_s2x1_p1x2", "Truncate", 2, 3, 7, 6, 4, (3, 2), (2, 1), (1, 2), (1, 1), False),
    ("conv_truncate_dilated", "Truncate", 2, 2, 9, 8, 3, (3, 3), (1, 2), (1, 0), (2, 2), True),
    ("conv_same_k3_s2", "Same", 2, 3, 8, 7, 4, (3, 3), (2, 2), (0, 0), (1, 1), True),
    ("conv_same_k4x2_s3x2_dilated", "Same", 2, 2, 10, 9, 3, (4, 2), (3, 2), (0, 0), (1, 2), True),
    ("conv_strict_k1", "Strict", 2, 5, 4, 4, 6, (1, 1), (1, 1), (0, 0), (1, 1), False),
]


def arr(t):
    t = t.detach().contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.to(F64).reshape(-1).tolist()]}


def same_padding(size, k, s, d):
    out = math.ceil(size / s)
    total = max(0, (out - 1) * s + (k - 1) * d + 1 - size)
    return total // 2, total - total // 2


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, mode, n, cin, h, w, cout, k, s, p, d, bias in CASES:
        if mode == "Same":
            top, bottom = same_padding(h, k[0], s[0], d[0])
            left, right = same_padding(w, k[1], s[1], d[1])
        else:
            top, bottom, left, right = p[0], p[0], p[1], p[1]
        x = torch.randn(n, cin, h, w, dtype=F64, requires_grad=True)
        weight = (torch.randn(cout, cin, k[0], k[1], dtype=F64) * 0.5).requires_grad_(True)
        b = (torch.randn(cout, dtype=F64) * 0.5).requires_grad_(True) if bias else None
        y = F.conv2d(F.pad(x, (left, right, top, bottom)), weight, b, stride=s, dilation=d)
        dy = torch.randn_like(y)
        y.backward(dy)
        obj = {
            "case": name,
            "description": "float64 F.conv2d forward+backward, NCHW, ConvolutionMode " + mode,
            "torch_version": torch.__version__,
            "dtype": "float64",
            "mode": mode,
            "kernel_h": k[0], "kernel_w": k[1], "stride_h": s[0], "stride_w": s[1],
            "padding_h": p[0], "padding_w": p[1], "dilation_h": d[0], "dilation_w": d[1],
            "pad_top": top, "pad_bottom": bottom, "pad_left": left, "pad_right": right,
            "has_bias": 1 if bias else 0,
            "x": arr(x), "W": arr(weight), "dy": arr(dy), "y": arr(y), "dx": arr(x.grad), "dW": arr(weight.grad),
        }
        if bias:
            obj["b"] = arr(b)
            obj["db"] = arr(b.grad)
        with open(os.path.join(OUT_DIR, name + ".json"), "w") as f:
            json.dump(obj, f, indent=1)
            f.write("\n")
        print("wrote", name, "y", list(y.shape))


if __name__ == "__main__":
    main()
