"""Generate PyTorch golden test fixtures for the bn4j batch-normalization layer.

Writes one JSON file per case into
``bn-layer/src/test/resources/fixtures/pytorch/``:

  dense_train.json, nchw_train.json, nhwc_train.json,
  nchw_population_moving.json, dense_population_cumulative.json,
  nchw_algorithm2.json, dense_large_mean_float32.json

Each file is a JSON object with the keys "case", "description",
"torch_version", "dtype", "eps", "momentum" (number or null), "layout"
("dense" | "nchw" | "nhwc") plus named arrays, each stored as
{"shape": [ints], "data": [flat doubles in C (row-major) order]}.
See README.md in the output directory for the per-case contents.

All computations use torch.float64 except the float32 case. Output is
deterministic (fixed seed, 2 threads).

Re-run from the repository root with:

    /usr/bin/python3 bn-layer/src/test/python/make_pytorch_fixtures.py
"""

import json
import os

import torch
import torch.nn as nn

torch.set_num_threads(2)
torch.manual_seed(20240601)

F64 = torch.float64
F32 = torch.float32

OUT_DIR = os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "resources", "fixtures", "pytorch"))


def arr(t):
    """Encode a tensor as {"shape": [...], "data": [flat row-major doubles]}."""
    t = t.detach().contiguous().to("cpu")
    return {"shape": list(t.shape),
            "data": [float(v) for v in t.to(F64).reshape(-1).tolist()]}


def write_case(name, description, eps, momentum, layout, arrays, dtype="float64"):
    obj = {
        "case": name,
        "description": description,
        "torch_version": torch.__version__,
        "dtype": dtype,
        "eps": eps,
        "momentum": momentum,
        "layout": layout,
    }
    for k, v in arrays.items():
        obj[k] = arr(v)
    path = os.path.join(OUT_DIR, name + ".json")
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
    print("wrote %s (%d bytes)" % (path, os.path.getsize(path)))


def rand_affine(c, dtype=F64):
    gamma = 1.0 + 0.5 * torch.randn(c, dtype=dtype)
    beta = torch.randn(c, dtype=dtype)
    return gamma, beta


def make_bn(cls, c, eps, momentum, gamma, beta, dtype=F64):
    bn = cls(c, eps=eps, momentum=momentum, affine=True).to(dtype)
    with torch.no_grad():
        bn.weight.copy_(gamma)
        bn.bias.copy_(beta)
    return bn


def train_step_with_grads(bn, x, dy, reduce_dims):
    """One train-mode forward + backward. x, dy are in torch's layout."""
    bn.train()
    x = x.clone().requires_grad_(True)
    y = bn(x)
    y.backward(dy)
    with torch.no_grad():
        batch_mean = x.mean(dim=reduce_dims)
        batch_var_biased = x.var(dim=reduce_dims, unbiased=False)
    return {
        "y": y.detach(),
        "dx": x.grad.detach(),
        "dgamma": bn.weight.grad.detach().clone(),
        "dbeta": bn.bias.grad.detach().clone(),
        "batch_mean": batch_mean,
        "batch_var_biased": batch_var_biased,
        "running_mean": bn.running_mean.detach().clone(),
        "running_var": bn.running_var.detach().clone(),
    }


def case_dense_train():
    eps, mom = 1e-5, 0.1
    x = torch.randn(6, 4, dtype=F64)
    dy = torch.randn(6, 4, dtype=F64)
    gamma, beta = rand_affine(4)
    bn = make_bn(nn.BatchNorm1d, 4, eps, mom, gamma, beta)
    r = train_step_with_grads(bn, x, dy, (0,))
    arrays = {"x": x, "gamma": gamma, "beta": beta, "dy": dy}
    arrays.update(r)
    write_case("dense_train",
               "BatchNorm1d(4) train mode, one forward+backward on x (6,4); "
               "statistics per feature over the batch. running_mean/var start "
               "at 0/1 and are updated once with momentum 0.1 (unbiased var).",
               eps, mom, "dense", arrays)


def case_nchw_train():
    eps, mom = 1e-5, 0.1
    x = torch.randn(3, 2, 3, 4, dtype=F64)
    dy = torch.randn(3, 2, 3, 4, dtype=F64)
    gamma, beta = rand_affine(2)
    bn = make_bn(nn.BatchNorm2d, 2, eps, mom, gamma, beta)
    r = train_step_with_grads(bn, x, dy, (0, 2, 3))
    arrays = {"x": x, "gamma": gamma, "beta": beta, "dy": dy}
    arrays.update(r)
    write_case("nchw_train",
               "BatchNorm2d(2) train mode, one forward+backward on x (3,2,3,4) "
               "NCHW; statistics per channel over N*H*W. running_mean/var start "
               "at 0/1 and are updated once with momentum 0.1 (unbiased var).",
               eps, mom, "nchw", arrays)


def case_nhwc_train():
    eps, mom = 1e-5, 0.1
    x_nhwc = torch.randn(3, 3, 4, 2, dtype=F64)
    dy_nhwc = torch.randn(3, 3, 4, 2, dtype=F64)
    gamma, beta = rand_affine(2)
    to_nchw = (0, 3, 1, 2)
    to_nhwc = (0, 2, 3, 1)
    bn = make_bn(nn.BatchNorm2d, 2, eps, mom, gamma, beta)
    r = train_step_with_grads(bn, x_nhwc.permute(*to_nchw).contiguous(),
                              dy_nhwc.permute(*to_nchw).contiguous(), (0, 2, 3))
    r["y"] = r["y"].permute(*to_nhwc).contiguous()
    r["dx"] = r["dx"].permute(*to_nhwc).contiguous()
    arrays = {"x": x_nhwc, "gamma": gamma, "beta": beta, "dy": dy_nhwc}
    arrays.update(r)
    write_case("nhwc_train",
               "Same math as nchw_train (BatchNorm2d(2), train mode, one "
               "forward+backward) but x, dy, y, dx stored in NHWC layout "
               "(3,3,4,2); statistics per channel (last axis) over N*H*W.",
               eps, mom, "nhwc", arrays)


def case_nchw_population_moving():
    eps, mom = 1e-3, 0.1
    c = 3
    gamma, beta = rand_affine(c)
    bn = make_bn(nn.BatchNorm2d, c, eps, mom, gamma, beta)
    bn.train()
    arrays = {}
    with torch.no_grad():
        for i in range(5):
            xi = 3.0 + 2.0 * torch.randn(4, c, 2, 3, dtype=F64)
            bn(xi)
            arrays["train_%d" % i] = xi
    arrays["gamma"] = gamma
    arrays["beta"] = beta
    arrays["running_mean"] = bn.running_mean.clone()
    arrays["running_var"] = bn.running_var.clone()
    bn.eval()
    with torch.no_grad():
        test_x = 3.0 + 2.0 * torch.randn(2, c, 2, 3, dtype=F64)
        test_y = bn(test_x)
    arrays["test_x"] = test_x
    arrays["test_y"] = test_y
    write_case("nchw_population_moving",
               "BatchNorm2d(3, eps=1e-3, momentum=0.1): 5 train-mode forwards on "
               "train_0..train_4 (4,3,2,3), no optimizer step. Running stats start "
               "at 0/1 and follow pop = 0.9*pop + 0.1*batch with the UNBIASED "
               "batch variance (bn4j decay 0.9). Then eval-mode output test_y for "
               "test_x (2,3,2,3).",
               eps, mom, "nchw", arrays)


def case_dense_population_cumulative():
    eps = 1e-5
    c = 5
    gamma, beta = rand_affine(c)
    bn = make_bn(nn.BatchNorm1d, c, eps, None, gamma, beta)
    bn.train()
    arrays = {}
    with torch.no_grad():
        for i in range(4):
            xi = 3.0 + 2.0 * torch.randn(7, c, dtype=F64)
            bn(xi)
            arrays["train_%d" % i] = xi
    arrays["gamma"] = gamma
    arrays["beta"] = beta
    arrays["running_mean"] = bn.running_mean.clone()
    arrays["running_var"] = bn.running_var.clone()
    bn.eval()
    with torch.no_grad():
        test_x = 3.0 + 2.0 * torch.randn(3, c, dtype=F64)
        test_y = bn(test_x)
    arrays["test_x"] = test_x
    arrays["test_y"] = test_y
    write_case("dense_population_cumulative",
               "BatchNorm1d(5, eps=1e-5, momentum=None): cumulative moving "
               "average, i.e. running_mean/running_var are the plain averages "
               "of the 4 batch means / UNBIASED batch variances of train_0..train_3 "
               "(7,5). Then eval-mode output test_y for test_x (3,5).",
               eps, None, "dense", arrays)


def case_nchw_algorithm2():
    eps = 1e-5
    c = 2
    gamma, beta = rand_affine(c)
    arrays = {}
    means, vars_b = [], []
    for i in range(4):
        xi = 3.0 + 2.0 * torch.randn(5, c, 3, 3, dtype=F64)
        arrays["train_%d" % i] = xi
        means.append(xi.mean(dim=(0, 2, 3)))
        vars_b.append(xi.var(dim=(0, 2, 3), unbiased=False))
    m = 5 * 3 * 3
    pop_mean = torch.stack(means).mean(dim=0)
    pop_var = (m / (m - 1.0)) * torch.stack(vars_b).mean(dim=0)
    bn = make_bn(nn.BatchNorm2d, c, eps, 0.1, gamma, beta)
    with torch.no_grad():
        bn.running_mean.copy_(pop_mean)
        bn.running_var.copy_(pop_var)
    bn.eval()
    with torch.no_grad():
        test_x = 3.0 + 2.0 * torch.randn(2, c, 3, 3, dtype=F64)
        test_y = bn(test_x)
        ref = (gamma.view(1, c, 1, 1) * (test_x - pop_mean.view(1, c, 1, 1))
               / torch.sqrt(pop_var.view(1, c, 1, 1) + eps) + beta.view(1, c, 1, 1))
        assert torch.allclose(test_y, ref, rtol=1e-12, atol=1e-12)
    arrays["population_mean"] = pop_mean
    arrays["population_var"] = pop_var
    arrays["gamma"] = gamma
    arrays["beta"] = beta
    arrays["test_x"] = test_x
    arrays["test_y"] = test_y
    write_case("nchw_algorithm2",
               "Ioffe & Szegedy Algorithm 2 population estimate over 4 batches "
               "train_0..train_3 (5,2,3,3): per channel E[x] = mean of batch "
               "means, Var[x] = m/(m-1) * mean of BIASED batch variances, "
               "m = N*H*W = 45. test_y = gamma*(test_x-E)/sqrt(Var+eps)+beta, "
               "computed by BatchNorm2d in eval mode with those running stats.",
               eps, None, "nchw", arrays)


def case_dense_large_mean_float32():
    eps, mom = 1e-5, 0.1
    c = 3
    x = (10000.0 + torch.randn(64, c, dtype=F64)).to(F32)
    gamma, beta = rand_affine(c, dtype=F32)
    bn = make_bn(nn.BatchNorm1d, c, eps, mom, gamma, beta, dtype=F32)
    bn.train()
    with torch.no_grad():
        y = bn(x)
    write_case("dense_large_mean_float32",
               "float32 numerical check: x = 10000 + randn (64,3) as float32, "
               "y from BatchNorm1d(3) in float32 train mode (batch statistics). "
               "Values are float32 numbers written as doubles.",
               eps, mom, "dense",
               {"x": x, "gamma": gamma, "beta": beta, "y": y},
               dtype="float32")


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    case_dense_train()
    case_nchw_train()
    case_nhwc_train()
    case_nchw_population_moving()
    case_dense_population_cumulative()
    case_nchw_algorithm2()
    case_dense_large_mean_float32()


if __name__ == "__main__":
    main()
