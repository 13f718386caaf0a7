"""Generate reference fixtures for bn4j's Batch Renormalization and ghost batches.

A reference implementation written from Algorithm 1 of Ioffe, "Batch Renormalization: Towards Reducing Minibatch
Dependence in Batch-Normalized Models" (NIPS 2017), in torch.float64 with autograd:

    mu_B    = mean of the batch                   sigma_B = sqrt(biased batch variance + eps)
    r       = stop_gradient(clip(sigma_B / sigma, 1/r_max, r_max))
    d       = stop_gradient(clip((mu_B - mu) / sigma, -d_max, d_max))
    x_hat   = (x - mu_B) / sigma_B * r + d
    y       = gamma * x_hat + beta

The backward pass is torch's autograd of that definition (r and d detached), not a hand-written formula. The moving
averages are bn4j's (documented in docs/math.md): mu += (1-decay)*(mu_B - mu) and var += (1-decay)*(unbiased batch
variance - var), with sigma = sqrt(var + eps); the paper averages sigma_B itself instead. r_max and d_max follow
bn4j's RenormSchedule: 1 and 0 up to `warmup` iterations, then linear, reaching r_max at `r_max_at` and d_max at
`d_max_at`; iteration t counts from 0.

Ghost batches: the mini-batch of n is split into ceil(n/g) near-equal contiguous parts (the first n mod parts get one
more), each normalized (and renormalized) alone; the moving averages move by the average of the parts' updates.

Writes into bn-layer/src/test/resources/fixtures/pytorch/ (same JSON format as make_pytorch_fixtures.py):
renorm_dense.json, renorm_nchw.json, renorm_nhwc.json, renorm_ghost_nchw.json. Each holds `steps` training steps
with arrays x_t, dy_t, y_t, dx_t, dgamma_t, dbeta_t, r_t, d_t (r, d of the first part), running_mean_t,
running_var_t (after step t), plus gamma, beta, and the scalars eps, decay, r_max, d_max, warmup, r_max_at, d_max_at,
ghost (0 = whole batch), steps. gamma and beta stay fixed over the steps.

Re-run from the repository root with:

    /usr/bin/python3 bn-layer/src/test/python/make_renorm_fixtures.py
"""

import json
import math
import os

import torch

torch.set_num_threads(2)
torch.manual_seed(20261207)

F64 = torch.float64

OUT_DIR = os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "resources", "fixtures", "pytorch"))


def arr(t):
    t = t.detach().contiguous().to("cpu")
    return {"shape": list(t.shape),
            "data": [float(v) for v in t.to(F64).reshape(-1).tolist()]}


def progress(t, warmup, reached_at):
    if t <= warmup:
        return 1.0 if (warmup == reached_at and t >= reached_at) else 0.0
    if t >= reached_at:
        return 1.0
    return (t - warmup) / float(reached_at - warmup)


def limits(t, s):
    r_max = 1.0 + (s["r_max"] - 1.0) * progress(t, s["warmup"], s["r_max_at"])
    d_max = s["d_max"] * progress(t, s["warmup"], s["d_max_at"])
    return r_max, d_max


def part_sizes(n, ghost):
    if ghost <= 0 or ghost >= n:
        return [n]
    parts = (n + ghost - 1) // ghost
    return [n // parts + (1 if p < n % parts else 0) for p in range(parts)]


def renorm_part(x, gamma, beta, mu, var, eps, r_max, d_max, dims):
    """Algorithm 1 of Ioffe 2017 on one (sub-)batch x in NCHW or [N, C]; returns y, r, d, mu_B, unbiased var."""
    shape = [1] * x.dim()
    shape[1] = x.shape[1]
    m = x.numel() // x.shape[1]
    mu_b = x.mean(dim=dims)
    var_b = ((x - mu_b.reshape(shape)) ** 2).mean(dim=dims)
    sigma_b = torch.sqrt(var_b + eps)
    sigma = torch.sqrt(var + eps)
    r = torch.clamp(sigma_b.detach() / sigma, 1.0 / r_max, r_max)
    d = torch.clamp((mu_b.detach() - mu) / sigma, -d_max, d_max)
    x_hat = (x - mu_b.reshape(shape)) / sigma_b.reshape(shape) * r.reshape(shape) + d.reshape(shape)
    y = gamma.reshape(shape) * x_hat + beta.reshape(shape)
    unbiased = var_b.detach() * m / (m - 1)
    return y, r, d, mu_b.detach(), unbiased


def run_case(name, layout, shape, s, description):
    c = shape[1] if layout != "nhwc" else shape[3]
    eps, decay = s["eps"], s["decay"]
    gamma = 1.0 + 0.5 * torch.randn(c, dtype=F64)
    beta = torch.randn(c, dtype=F64)
    mu = torch.zeros(c, dtype=F64)
    var = torch.ones(c, dtype=F64)
    dims = (0,) if layout == "dense" else (0, 2, 3)
    obj = {"case": name, "description": description, "torch_version": torch.__version__, "dtype": "float64",
           "eps": eps, "momentum": 1.0 - decay, "layout": layout, "decay": decay, "r_max": s["r_max"],
           "d_max": s["d_max"], "warmup": s["warmup"], "r_max_at": s["r_max_at"], "d_max_at": s["d_max_at"],
           "ghost": s["ghost"], "steps": s["steps"], "gamma": arr(gamma), "beta": arr(beta)}
    for t in range(s["steps"]):
        # batch mean and spread change from step to step, so that r and d are sometimes clipped, sometimes not
        x_stored = (0.5 * t + (1.0 + 0.4 * t) * torch.randn(*shape, dtype=F64))
        dy_stored = torch.randn(*shape, dtype=F64)
        x = x_stored.permute(0, 3, 1, 2) if layout == "nhwc" else x_stored
        dy = dy_stored.permute(0, 3, 1, 2) if layout == "nhwc" else dy_stored
        x = x.clone().requires_grad_(True)
        g = gamma.clone().requires_grad_(True)
        b = beta.clone().requires_grad_(True)
        r_max, d_max = limits(t, s)
        outputs, mean_steps, var_steps, rs, ds = [], [], [], [], []
        start = 0
        for size in part_sizes(shape[0], s["ghost"]):
            y_p, r, d, mu_b, unbiased = renorm_part(x[start:start + size], g, b, mu, var, eps, r_max, d_max, dims)
            outputs.append(y_p)
            mean_steps.append(mu_b - mu)
            var_steps.append(unbiased - var)
            rs.append(r)
            ds.append(d)
            start += size
        y = torch.cat(outputs, dim=0)
        (y * dy).sum().backward()
        with torch.no_grad():
            mu = mu + (1.0 - decay) * torch.stack(mean_steps).mean(dim=0)
            var = var + (1.0 - decay) * torch.stack(var_steps).mean(dim=0)
        back = (lambda a: a.permute(0, 2, 3, 1)) if layout == "nhwc" else (lambda a: a)
        obj["x_%d" % t] = arr(x_stored)
        obj["dy_%d" % t] = arr(dy_stored)
        obj["y_%d" % t] = arr(back(y.detach()))
        obj["dx_%d" % t] = arr(back(x.grad))
        obj["dgamma_%d" % t] = arr(g.grad)
        obj["dbeta_%d" % t] = arr(b.grad)
        obj["r_%d" % t] = arr(rs[0])
        obj["d_%d" % t] = arr(ds[0])
        obj["running_mean_%d" % t] = arr(mu)
        obj["running_var_%d" % t] = arr(var)
    path = os.path.join(OUT_DIR, name + ".json")
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
    print("wrote %s (%d bytes)" % (path, os.path.getsize(path)))


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    schedule = {"eps": 1e-3, "decay": 0.8, "r_max": 1.5, "d_max": 0.5, "warmup": 1, "r_max_at": 4,
                "d_max_at": 3, "ghost": 0, "steps": 5}
    run_case("renorm_dense", "dense", (8, 3), schedule,
             "Batch renorm, [8,3], 5 steps: plain BN at steps 0-1 (warm-up), r_max/d_max ramping to 1.5/0.5.")
    run_case("renorm_nchw", "nchw", (3, 2, 3, 2), schedule,
             "Batch renorm, NCHW [3,2,3,2], 5 steps, same schedule as renorm_dense.")
    run_case("renorm_nhwc", "nhwc", (3, 3, 2, 2), schedule,
             "Batch renorm, NHWC [3,3,2,2] (stored channel last), 5 steps, same schedule as renorm_dense.")
    ghost = dict(schedule, ghost=4)
    run_case("renorm_ghost_nchw", "nchw", (10, 2, 2, 2), ghost,
             "Batch renorm in ghost batches of at most 4 (10 examples: parts 4, 3, 3), NCHW, 5 steps.")


if __name__ == "__main__":
    main()
