"""Solutions: L1 and L2 penalties, and dropout."""

import torch


def l1_penalty(params, lam):
    return lam * sum(p.abs().sum() for p in params)


def l2_penalty(params, lam):
    return lam / 2 * sum((p**2).sum() for p in params)


def dropout(x, p, training):
    if not training:
        return x
    if p == 1:
        return torch.zeros_like(x)
    keep = (torch.rand_like(x) >= p).to(x.dtype)   # 1 with probability 1 - p
    return x * keep / (1 - p)
