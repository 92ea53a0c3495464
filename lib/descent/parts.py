"""Adam, built from parts.

Adam is three ideas stacked on gradient descent, and each is a few lines:

1. **momentum**: follow a running average of the gradients, m_t, instead of
   the latest gradient;
2. **RMS scaling**: divide each coordinate by the root of a running average
   of its squared gradients, v_t, so that every coordinate moves at a similar
   pace whatever the scale of its gradient;
3. **bias correction**: the running averages start at 0, so early on they
   are too small by a factor 1 − β^t; divide it back out.

The parts below are small functions (in the spirit of optax and fastai's
optimizer "steppers"); :func:`rmsprop_from_parts` and
:func:`adam_from_parts` compose them, and the tests check that the
compositions equal :func:`descent.optim.rmsprop_step` and
:func:`descent.optim.adam_step`.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

__all__ = ["count_step", "running_average", "bias_correction", "rms_scaling",
           "rmsprop_from_parts", "adam_from_parts"]


def count_step(state: dict[str, Any]) -> int:
    """Advance and return the step counter t (1 on the first call)."""
    state["step"] = state.get("step", 0) + 1
    return state["step"]


def running_average(state: dict[str, Any], key: str, value: Tensor, beta: float) -> Tensor:
    """Exponential moving average kept in ``state[key]``: a_t = β a_{t−1} + (1 − β) value, a_0 = 0."""
    average = state.setdefault(key, torch.zeros_like(value))
    average.mul_(beta).add_((1 - beta) * value)
    return average


def bias_correction(average: Tensor, beta: float, t: int) -> Tensor:
    """â_t = a_t / (1 − β^t): undo the pull towards the starting value 0."""
    return average / (1 - beta**t)


def rms_scaling(direction: Tensor, square_average: Tensor, eps: float) -> Tensor:
    """direction / (√(square_average) + ε), element-wise."""
    return direction / (square_average.sqrt() + eps)


@torch.no_grad()
def rmsprop_from_parts(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float,
                       alpha: float = 0.99, eps: float = 1e-8) -> None:
    """RMSprop = RMS scaling of the raw gradient (no momentum, no bias correction)."""
    count_step(state)
    v = running_average(state, "square_avg", grad * grad, alpha)
    param.sub_(lr * rms_scaling(grad, v, eps))


@torch.no_grad()
def adam_from_parts(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float,
                    beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
    """Adam = momentum + RMS scaling + bias correction of both averages."""
    t = count_step(state)
    m = running_average(state, "exp_avg", grad, beta1)              # 1. momentum
    v = running_average(state, "exp_avg_sq", grad * grad, beta2)    # 2. RMS statistics
    m_hat = bias_correction(m, beta1, t)                            # 3. bias correction
    v_hat = bias_correction(v, beta2, t)
    param.sub_(lr * rms_scaling(m_hat, v_hat, eps))                 # 2. RMS scaling
