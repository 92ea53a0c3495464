"""Weight initialization: Xavier/Glorot and He/Kaiming, as in ``torch.nn.init``.

The idea of both: choose the spread of the initial weights so that the
variance of the activations (forward) or of the gradients (backward) stays the
same from layer to layer, instead of shrinking to zero or blowing up with
depth. For a layer with ``fan_in`` inputs and ``fan_out`` outputs:

- Xavier/Glorot (for tanh, sigmoid, linear): Var(w) = gain² · 2 / (fan_in + fan_out)
  (Glorot & Bengio 2010);
- He/Kaiming (for ReLU): Var(w) = gain² / fan, with gain² = 2 for ReLU
  (He et al. 2015).

A uniform distribution U(−a, a) has variance a²/3, so its bound is
a = √3 · std. The functions fill the tensor in place (the trailing ``_``) and
draw the same numbers as torch for the same ``generator`` state.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = ["calculate_gain", "fan_in_and_fan_out", "xavier_uniform_", "xavier_normal_",
           "kaiming_uniform_", "kaiming_normal_"]

LINEAR_LIKE = {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
               "conv_transpose3d", "sigmoid"}


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor that makes up for how much a non-linearity shrinks the variance.

    linear/sigmoid: 1; tanh: 5/3; relu: √2; leaky_relu with slope a: √(2 / (1 + a²));
    selu: 3/4 (torch's value).
    """
    if nonlinearity in LINEAR_LIKE:
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, (int, float)):
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """Inputs and outputs per unit: a ``Linear`` weight has shape (fan_out, fan_in);
    a convolution's (out, in, *kernel) multiplies both by the kernel size."""
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive_field = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def xavier_std(tensor: Tensor, gain: float) -> float:
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return gain * math.sqrt(2.0 / (fan_in + fan_out))


def kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    return calculate_gain(nonlinearity, a) / math.sqrt(fan(tensor, mode))


@torch.no_grad()
def xavier_uniform_(tensor: Tensor, gain: float = 1.0,
                    generator: torch.Generator | None = None) -> Tensor:
    r"""w ~ U(−a, a) with a = gain · √(6 / (fan_in + fan_out))."""
    bound = math.sqrt(3.0) * xavier_std(tensor, gain)
    return tensor.uniform_(-bound, bound, generator=generator)


@torch.no_grad()
def xavier_normal_(tensor: Tensor, gain: float = 1.0,
                   generator: torch.Generator | None = None) -> Tensor:
    r"""w ~ N(0, σ²) with σ = gain · √(2 / (fan_in + fan_out))."""
    return tensor.normal_(0.0, xavier_std(tensor, gain), generator=generator)


@torch.no_grad()
def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu",
                     generator: torch.Generator | None = None) -> Tensor:
    r"""w ~ U(−b, b) with b = gain · √(3 / fan); fan is fan_in or fan_out (``mode``)."""
    bound = math.sqrt(3.0) * kaiming_std(tensor, a, mode, nonlinearity)
    return tensor.uniform_(-bound, bound, generator=generator)


@torch.no_grad()
def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu",
                    generator: torch.Generator | None = None) -> Tensor:
    r"""w ~ N(0, σ²) with σ = gain / √fan; fan is fan_in or fan_out (``mode``)."""
    return tensor.normal_(0.0, kaiming_std(tensor, a, mode, nonlinearity), generator=generator)
