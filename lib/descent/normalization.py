r"""Normalization layers written out, and a probe of the loss surface they change.

A normalization layer standardizes its input z (subtract a mean, divide by a
standard deviation), then rescales it with learned γ (scale) and β (shift):

.. math::

    \hat z = \frac{z - \mu}{\sqrt{\sigma^2 + \varepsilon}}, \qquad y = \gamma \hat z + \beta .

The layers differ in *which* numbers the mean μ and variance σ² are taken over.
For an input of shape (N examples, C units):

- :func:`batch_norm` (Ioffe & Szegedy, 2015): over the **batch**, for each
  unit: μ and σ² have shape (C,). In training mode the batch's own statistics
  are used, and running averages are kept for evaluation
  (:func:`update_running_statistics`);
- :func:`layer_norm` (Ba, Kiros & Hinton, 2016): over the **units**, for each
  example: μ and σ² have shape (N, 1). No batch statistics, so training and
  evaluation compute the same thing.

σ² is the biased variance (divide by the count) inside the layer; the running
variance kept for evaluation uses the unbiased one (divide by count − 1), as in
PyTorch. γ and β have shape (C,) in both layers.

:func:`gradient_change` measures how fast the gradient turns along the
gradient direction, the "gradient predictiveness" of Santurkar et al. (2018),
who argue that this smoothing, not a reduced "internal covariate shift", is
what makes BatchNorm help.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor

__all__ = ["batch_norm", "layer_norm", "update_running_statistics", "gradient_change"]


def batch_norm(z: Tensor, gamma: Tensor, beta: Tensor, eps: float = 1e-5) -> Tensor:
    """BatchNorm in training mode: each unit (column) of ``z`` (N, C) standardized over the batch."""
    mu = z.mean(dim=0)                               # (C,): one mean per unit
    var = z.var(dim=0, unbiased=False)               # (C,): biased, divide by N
    z_hat = (z - mu) / torch.sqrt(var + eps)
    return gamma * z_hat + beta


def layer_norm(z: Tensor, gamma: Tensor, beta: Tensor, eps: float = 1e-5) -> Tensor:
    """LayerNorm: each example (row) of ``z`` (N, C) standardized over its units."""
    mu = z.mean(dim=-1, keepdim=True)                # (N, 1): one mean per example
    var = z.var(dim=-1, unbiased=False, keepdim=True)
    z_hat = (z - mu) / torch.sqrt(var + eps)
    return gamma * z_hat + beta


def update_running_statistics(running_mean: Tensor, running_var: Tensor, z: Tensor,
                              momentum: float = 0.1) -> tuple[Tensor, Tensor]:
    """BatchNorm's running averages after one training batch ``z`` (N, C).

    running ← (1 − momentum) · running + momentum · batch statistic, with the
    unbiased variance (N − 1 in the denominator). PyTorch's ``momentum`` is the
    weight of the *new* batch, so 0.1 averages over about the last 10 batches.
    In evaluation mode BatchNorm uses these instead of the batch's statistics.
    """
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    mean = (1 - momentum) * running_mean + momentum * z.mean(dim=0)
    var = (1 - momentum) * running_var + momentum * z.var(dim=0, unbiased=True)
    return mean, var


def gradient_change(model: torch.nn.Module, loss_fn: Callable[[Tensor, Tensor], Tensor],
                    x: Tensor, y: Tensor, step_sizes: Sequence[float]) -> tuple[list[float], list[float]]:
    r"""The loss and the change of the gradient along the gradient direction, at each step size η.

    With g = ∇L(θ) on the batch (x, y), returns two lists over ``step_sizes``:
    the loss L(θ − η g) and the distance ‖∇L(θ − η g) − g‖. A smooth loss
    surface has a gradient that barely changes over a step, so the gradient
    is a good guide to where to go ("gradient predictiveness", Santurkar et
    al. 2018). The model runs in the mode it is in (in training mode BatchNorm
    uses the batch's statistics, as a training step does); its weights,
    gradients and buffers (the running statistics that a forward pass in
    training mode updates) are restored afterwards.
    """
    params = [p for p in model.parameters() if p.requires_grad]
    saved = [p.detach().clone() for p in params]
    saved_grads = [None if p.grad is None else p.grad.clone() for p in params]
    saved_buffers = [b.detach().clone() for b in model.buffers()]

    def loss_and_gradient() -> tuple[float, list[Tensor]]:
        loss = loss_fn(model(x), y)
        grads = torch.autograd.grad(loss, params)
        return loss.item(), [grad.detach() for grad in grads]

    losses, changes = [], []
    try:
        _, g = loss_and_gradient()
        for eta in step_sizes:
            with torch.no_grad():
                for p, p0, gi in zip(params, saved, g):
                    p.copy_(p0 - eta * gi)
            loss, g_eta = loss_and_gradient()
            losses.append(loss)
            changes.append(torch.sqrt(sum(((a - b) ** 2).sum() for a, b in zip(g_eta, g))).item())
    finally:
        with torch.no_grad():
            for p, p0, grad in zip(params, saved, saved_grads):
                p.copy_(p0)
                p.grad = grad
            for b, b0 in zip(model.buffers(), saved_buffers):
                b.copy_(b0)
    return losses, changes
