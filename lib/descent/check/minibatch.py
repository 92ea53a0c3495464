"""Checks for the mini-batch exercises (chapter: Batch, stochastic and mini-batch gradient descent)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from descent.check.feedback import Feedback
from descent.check.functions import Case, check_function, random_cases
from descent.check.mistakes import Mistake

__all__ = ["sgd_epoch"]


def sgd_epoch_reference(w: Tensor, x: Tensor, y: Tensor, lr: float, batch_size: int,
                        order: Tensor, *, skip_last: bool = False, reduce: str = "mean",
                        full_batch: bool = False, ignore_order: bool = False) -> Tensor:
    """One epoch of mini-batch SGD on J_B(w) = mean over B of ½(x·w − y)² (and its mistakes)."""
    order = torch.arange(len(x), device=x.device) if ignore_order else order
    w = w.clone()
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        if skip_last and len(batch) < batch_size:
            break
        xb, yb = (x, y) if full_batch else (x[batch], y[batch])
        gradient = xb.T @ (xb @ w - yb)
        w = w - lr * (gradient / len(yb) if reduce == "mean" else gradient)
    return w


def sgd_epoch_variant(**change: Any) -> Callable:
    return lambda w, x, y, lr, batch_size, order: sgd_epoch_reference(
        w, x, y, lr, batch_size, order, **change)


SGD_EPOCH_MISTAKES = [
    Mistake("the last, smaller mini-batch is skipped", "When n is not a multiple of the batch "
            "size, the last batch is smaller; it still counts: order[start:start + batch_size].",
            sgd_epoch_variant(skip_last=True)),
    Mistake("gradient summed over the batch instead of averaged", "Divide by the batch size "
            "|B|: g = (1/|B|) Σ_{i∈B} ∇ℓᵢ.", sgd_epoch_variant(reduce="sum")),
    Mistake("every step uses the whole data set", "Each step uses only its mini-batch: "
            "x[batch], y[batch].", sgd_epoch_variant(full_batch=True)),
    Mistake("the given order is ignored", "Take the examples in the order given: "
            "batch = order[start:start + batch_size].", sgd_epoch_variant(ignore_order=True)),
]


def sgd_epoch_case(generator: torch.Generator, dtype: torch.dtype, device: str) -> Case:
    n, d = 10 + int(torch.randint(0, 5, (1,), generator=generator)), 3
    x = torch.randn(n, d, generator=generator, dtype=dtype).to(device)
    y = torch.randn(n, generator=generator, dtype=dtype).to(device)
    w = torch.randn(d, generator=generator, dtype=dtype).to(device)
    order = torch.randperm(n, generator=generator).to(device)
    return Case((w, x, y, 0.05, 4, order), label=f"n = {n}, batch size 4")


def sgd_epoch(learner: Callable) -> Feedback:
    """Check ``sgd_epoch(w, x, y, lr, batch_size, order) -> w`` (one epoch of mini-batch SGD)."""
    return check_function(learner, name="sgd_epoch", reference=sgd_epoch_reference,
                          cases=random_cases(sgd_epoch_case), mistakes=SGD_EPOCH_MISTAKES,
                          equation="for each batch B in order: w ← w − α·(1/|B|) X_Bᵀ(X_B w − y_B)")
