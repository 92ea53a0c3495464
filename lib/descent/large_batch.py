"""Large-batch training on one process: the gradient noise scale and steps to a target loss.

N workers with batch b each take the steps of one process with batch N·b, so
the effects of the batch size on optimization need no real workers.

- :func:`noise_scale`: the simple gradient noise scale of McCandlish et al.
  (2018), B_simple = tr(Σ) / ‖G‖², from per-example gradients (``torch.func``);
- :func:`steps_to_target`: plain SGD with batches of B examples (reshuffled
  every epoch, no partial batches) until the training loss falls below a
  target, optionally with a linear warm-up of the learning rate.
"""
from __future__ import annotations

import math
from typing import Callable

import torch
from torch import Tensor
from torch.func import functional_call, grad, vmap

Loss = Callable[[Tensor, Tensor], Tensor]


def per_example_gradients(model: torch.nn.Module, loss_fn: Loss, x: Tensor, y: Tensor) -> Tensor:
    """The gradient of the loss of each example, flattened: a tensor of shape (len(x), #parameters)."""
    params = {name: p.detach() for name, p in model.named_parameters()}

    def loss_of_one(p: dict[str, Tensor], xi: Tensor, yi: Tensor) -> Tensor:
        return loss_fn(functional_call(model, p, (xi[None],)), yi[None])

    grads = vmap(grad(loss_of_one), in_dims=(None, 0, 0))(params, x, y)
    return torch.cat([g.reshape(len(x), -1) for g in grads.values()], dim=1)


def noise_scale(model: torch.nn.Module, loss_fn: Loss, x: Tensor, y: Tensor) -> dict[str, float]:
    """B_simple = tr(Σ) / ‖G‖² over the data set (x, y), in float64.

    G is the mean of the per-example gradients and Σ their covariance
    (divided by n − 1). Returns ``{"trace": tr Σ, "grad_sq": ‖G‖², "b_simple": ...}``.
    """
    g = per_example_gradients(model, loss_fn, x, y).double()
    mean = g.mean(dim=0)
    trace = ((g - mean) ** 2).sum().item() / (len(x) - 1)
    grad_sq = mean.pow(2).sum().item()
    return {"trace": trace, "grad_sq": grad_sq, "b_simple": trace / grad_sq}


def steps_to_target(model: torch.nn.Module, loss_fn: Loss, x: Tensor, y: Tensor, *,
                    batch_size: int, lr: float, target: float, max_steps: int,
                    warmup_steps: int = 0, seed: int = 0, give_up_above: float = 3.0,
                    ) -> tuple[int | None, list[float]]:
    """Train ``model`` with plain SGD until its loss on all of (x, y) is below ``target``.

    Batches of ``batch_size`` examples are drawn in a random order (seeded),
    reshuffled every epoch; the examples left over at the end of an epoch are
    skipped. With ``warmup_steps = W`` the rate at step t = 1, 2, … is
    lr · min(1, t / W). The full-data loss is computed after every step.
    Returns (the number of steps, or None if the target was not reached in
    ``max_steps`` or the loss went above ``give_up_above`` or to NaN; the
    losses after each step).
    """
    if not 1 <= batch_size <= len(x):
        raise ValueError(f"batch_size must be between 1 and {len(x)}, got {batch_size}")
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    order, position = torch.randperm(len(x), generator=generator), 0
    losses: list[float] = []
    for step in range(1, max_steps + 1):
        if position + batch_size > len(x):
            order, position = torch.randperm(len(x), generator=generator), 0
        batch = order[position:position + batch_size]
        position += batch_size
        if warmup_steps:
            optimizer.param_groups[0]["lr"] = lr * min(1.0, step / warmup_steps)
        loss = loss_fn(model(x[batch]), y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            losses.append(loss_fn(model(x), y).item())
        if not losses[-1] <= give_up_above:   # also NaN
            return None, losses
        if losses[-1] < target:
            return step, losses
    return None, losses
