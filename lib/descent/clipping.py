r"""Gradient clipping: cap the step when the gradient explodes.

Near a "cliff" of the loss surface (Pascanu et al., 2013; Goodfellow et al.,
2016, §8.2.4) one gradient can be so large that a single step throws the
parameters far away. Clipping bounds the gradient before the update:

- **by global norm** (:func:`clip_grad_norm_`): with g the gradients of all
  parameters seen as one vector and c the cap,

  .. math:: g \leftarrow g \cdot \min\!\left(1, \frac{c}{\lVert g\rVert_p + 10^{-6}}\right)

  keeps the direction and shortens the step;
- **by value** (:func:`clip_grad_value_`): g_i ← min(max(g_i, −c), c) for every
  entry, which also changes the direction.

Both act in place on ``p.grad``, between ``loss.backward()`` and
``optimizer.step()``, and give the same numbers as
``torch.nn.utils.clip_grad_norm_`` and ``clip_grad_value_`` (the tests check).
"""

from __future__ import annotations

import types
import warnings
from collections.abc import Iterable

import torch
from torch import Tensor

__all__ = ["grad_norm", "clip_grad_norm_", "clip_grad_value_"]


def gradients(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    """The ``.grad`` of each parameter that has one."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def check_cap(name: str, value: float) -> float:
    value = float(value)
    if not value > 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


@torch.no_grad()
def grad_norm(parameters: Tensor | Iterable[Tensor], norm_type: float = 2.0) -> Tensor:
    r"""‖g‖_p of all gradients seen as one vector: the p-norm of the per-tensor p-norms.

    ``norm_type=float("inf")`` gives max |g_i|. With no gradients at all, 0.
    """
    grads = gradients(parameters)
    if not grads:
        return torch.tensor(0.0)
    norms = [torch.linalg.vector_norm(g, norm_type) for g in grads]
    first_device = grads[0].device
    return torch.linalg.vector_norm(torch.stack([n.to(first_device) for n in norms]), norm_type)


@torch.no_grad()
def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> Tensor:
    r"""Scale all gradients by min(1, c / (‖g‖_p + 10⁻⁶)), c = ``max_norm``; return ‖g‖_p before clipping.

    The same as ``torch.nn.utils.clip_grad_norm_``. When ‖g‖ is infinite or
    NaN the gradients become NaN, unless ``error_if_nonfinite=True``, which
    raises instead (with torch's message).
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    elif isinstance(parameters, types.GeneratorType):
        parameters = list(parameters)
        if not parameters:  # e.g. model.parameters() already used up once
            warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.",
                          stacklevel=2)
    parameters = list(parameters)
    max_norm = check_cap("max_norm", max_norm)
    total_norm = grad_norm(parameters, norm_type)
    if error_if_nonfinite and not torch.isfinite(total_norm):
        raise RuntimeError(
            f"The total norm of order {float(norm_type)} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the gradients "
            "by the non-finite norm anyway, set `error_if_nonfinite=False`")
    scale = torch.clamp(max_norm / (total_norm + 1e-6), max=1.0)
    for g in gradients(parameters):
        g.mul_(scale.to(g.device, g.dtype))
    return total_norm


@torch.no_grad()
def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float) -> None:
    """Clamp every gradient entry to [−c, c], c = ``clip_value`` (torch's ``clip_grad_value_``)."""
    clip_value = check_cap("clip_value", clip_value)
    for g in gradients(parameters):
        g.clamp_(min=-clip_value, max=clip_value)
