r"""Floating-point formats, gradient underflow, loss scaling and the memory of training.

Mixed-precision training (Micikevicius et al., 2018) runs the big matrix
products in a 16-bit format and keeps what must be precise in float32. Two
16-bit formats are in use:

- **float16** (IEEE half): 5 exponent bits, 10 mantissa bits. Fine steps,
  narrow range: the smallest positive number is 2⁻²⁴ ≈ 6·10⁻⁸, anything up
  to half of it rounds to zero, numbers above 65504 overflow. Small gradients underflow, so the loss is multiplied by a
  **scale** S before the backward pass and the gradients divided by S after
  it, in float32 (:class:`LossScaler`, as ``torch.amp.GradScaler``);
- **bfloat16** (Kalamkar et al., 2019): float32's 8 exponent bits with only 7
  mantissa bits. float32's range, coarse steps: no loss scaling needed.

:func:`format_info` reads a format's numbers from ``torch.finfo``;
:class:`Autocast` runs a model's forward pass under ``torch.autocast``;
:func:`underflow_fraction` counts the values a cast flushes to zero;
:func:`memory_per_parameter` and :func:`measured_bytes_per_parameter` give the
bytes of weights, gradients and optimizer state per parameter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

import torch
from torch import Tensor

__all__ = ["FormatInfo", "format_info", "underflow_fraction", "Autocast", "LossScaler",
           "memory_per_parameter", "measured_bytes_per_parameter"]


class FormatInfo(NamedTuple):
    """The layout and limits of a floating-point format."""
    name: str
    bits: int
    exponent_bits: int
    mantissa_bits: int          # stored fraction bits (the leading 1 is implicit)
    smallest_subnormal: float   # the smallest positive number
    smallest_normal: float      # the smallest number with full precision
    largest: float
    eps: float                  # machine epsilon: the gap between 1 and the next number


def format_info(dtype: torch.dtype) -> FormatInfo:
    """The numbers of a floating-point ``dtype``, from ``torch.finfo``.

    One sign bit, the exponent bits and the mantissa bits add up to ``bits``;
    eps = 2^−mantissa_bits; subnormals go down to smallest_normal · eps.

    >>> format_info(torch.bfloat16)[:4]
    ('bfloat16', 16, 8, 7)
    """
    info = torch.finfo(dtype)
    mantissa_bits = round(-math.log2(info.eps))
    return FormatInfo(
        name=str(dtype).removeprefix("torch."),
        bits=info.bits,
        exponent_bits=info.bits - 1 - mantissa_bits,
        mantissa_bits=mantissa_bits,
        smallest_subnormal=info.smallest_normal * info.eps,
        smallest_normal=info.smallest_normal,
        largest=info.max,
        eps=info.eps,
    )


def underflow_fraction(tensors: Iterable[Tensor], dtype: torch.dtype = torch.float16,
                       scale: float = 1.0) -> float:
    """The fraction of the nonzero values of ``scale · t`` that become 0 when cast to ``dtype``.

    With ``scale`` > 1 this is what is left to underflow after loss scaling:
    a value survives the cast if ``scale · value`` does (the division by the
    scale afterwards happens in float32, where it is exact for a power of two).
    """
    nonzero = lost = 0
    for t in tensors:
        scaled = t.detach().double() * scale
        mask = scaled != 0
        nonzero += int(mask.sum())
        lost += int((scaled[mask].to(dtype) == 0).sum())
    if nonzero == 0:
        raise ValueError("the tensors have no nonzero value")
    return lost / nonzero


class Autocast(torch.nn.Module):
    """``model`` with its forward pass run under ``torch.autocast(device_type, dtype)``.

    Autocast runs each operation in the precision its list says: matrix
    products in ``dtype``, precision-sensitive operations (losses, sums of
    many terms) in float32. The weights stay float32 (autocast casts
    copies), so their gradients and the update are float32 too. The output
    is returned as float32, so that a loss computed outside, e.g. by
    :func:`descent.train.fit`, is float32 as well.
    """

    def __init__(self, model: torch.nn.Module, dtype: torch.dtype = torch.bfloat16,
                 device_type: str = "cpu") -> None:
        super().__init__()
        self.module = model
        self.dtype = dtype
        self.device_type = device_type

    def forward(self, *args: Tensor) -> Tensor:
        with torch.autocast(self.device_type, dtype=self.dtype):
            output = self.module(*args)
        return output.float()


class LossScaler:
    """Dynamic loss scaling, written out: the same numbers as ``torch.amp.GradScaler``.

    Each step: ``scale(loss).backward()`` makes gradients S times too large
    (so that small ones do not underflow in float16); ``step(optimizer)``
    divides them by S and takes the step only if all are finite; ``update()``
    then adapts S:

    - an overflow (an inf or NaN gradient): skip the step and multiply S by
      ``backoff_factor`` (halve it);
    - ``growth_interval`` steps in a row without overflow: multiply S by
      ``growth_factor`` (double it), to use as much of the range as is safe.

    With the default factors S stays a power of two, so scaling and unscaling
    are exact in binary floating point.
    """

    def __init__(self, init_scale: float = 2.0**16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000) -> None:
        if growth_factor <= 1.0:
            raise ValueError(f"growth_factor must be > 1, got {growth_factor}")
        if not 0.0 < backoff_factor < 1.0:
            raise ValueError(f"backoff_factor must be in (0, 1), got {backoff_factor}")
        if growth_interval < 1:
            raise ValueError(f"growth_interval must be a positive int, got {growth_interval}")
        self.scale_factor = float(init_scale)
        self.growth_factor = growth_factor
        self.backoff_factor = backoff_factor
        self.growth_interval = growth_interval
        self.good_steps = 0          # steps in a row without overflow (torch: growth tracker)
        self.found_inf = False
        self.unscaled = False

    def get_scale(self) -> float:
        return self.scale_factor

    def scale(self, loss: Tensor) -> Tensor:
        """The loss times S; call ``.backward()`` on it."""
        return loss * self.scale_factor

    @torch.no_grad()
    def unscale_(self, optimizer: torch.optim.Optimizer) -> None:
        """Divide the gradients by S (in their own dtype, float32) and look for inf or NaN."""
        inv_scale = torch.tensor(1.0 / self.scale_factor, dtype=torch.float64).float()
        self.found_inf = False
        for group in optimizer.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    self.found_inf |= not bool(torch.isfinite(p.grad).all())
                    p.grad.mul_(inv_scale.to(p.grad.device))
        self.unscaled = True

    def step(self, optimizer: torch.optim.Optimizer) -> bool:
        """Unscale (unless done already) and step, unless a gradient overflowed; True if it stepped."""
        if not self.unscaled:
            self.unscale_(optimizer)
        if self.found_inf:
            return False
        optimizer.step()
        return True

    def update(self) -> None:
        """Adapt S after the step: back off after an overflow, grow after enough good steps."""
        if not self.unscaled:
            raise RuntimeError("update() needs a step() (or unscale_()) since the last update()")
        if self.found_inf:
            self.scale_factor *= self.backoff_factor
            self.good_steps = 0
        else:
            self.good_steps += 1
            if self.good_steps == self.growth_interval:
                grown = self.scale_factor * self.growth_factor
                if math.isfinite(float(torch.tensor(grown, dtype=torch.float32))):
                    self.scale_factor = grown
                self.good_steps = 0
        # torch keeps the scale as a float32 tensor: round to what it can hold
        self.scale_factor = float(torch.tensor(self.scale_factor, dtype=torch.float32))
        self.unscaled = False


STATE_TENSORS = {"sgd": 0, "momentum": 1, "adam": 2}
PRECISIONS = ("float32", "mixed", "bfloat16")


def memory_per_parameter(precision: str = "float32", optimizer: str = "adam") -> dict[str, int]:
    """Bytes per parameter held between steps: weights, gradients, a float32 master copy, optimizer state.

    - ``"float32"``: everything in float32 (4 bytes each);
    - ``"mixed"`` (Micikevicius et al. 2018): 16-bit weights and gradients
      (2 bytes each) for the forward and backward passes, a float32 master
      copy of the weights that the update is applied to, and float32
      optimizer state;
    - ``"bfloat16"``: everything in bfloat16, no master copy (the update
      then loses the small changes; see the chapter).

    ``optimizer``: ``"sgd"`` (no state), ``"momentum"`` (one buffer) or
    ``"adam"`` (two: m and v). Activations are not included: they depend on
    the batch size, and they take 4 or 2 bytes per stored value.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    if optimizer not in STATE_TENSORS:
        raise ValueError(f"optimizer must be one of {tuple(STATE_TENSORS)}, got {optimizer!r}")
    low = 2 if precision != "float32" else 4            # weights and gradients
    state = 2 if precision == "bfloat16" else 4         # each optimizer state tensor
    master = 4 if precision == "mixed" else 0
    table = {"weights": low, "gradients": low, "master weights": master,
             "optimizer state": state * STATE_TENSORS[optimizer]}
    table["total"] = sum(table.values())
    return table


def measured_bytes_per_parameter(model: torch.nn.Module,
                                 optimizer: torch.optim.Optimizer) -> dict[str, float]:
    """The bytes per parameter that ``model`` and ``optimizer`` hold now, counted tensor by tensor.

    Counts the weights, their gradients and the optimizer's per-parameter
    state tensors (scalars such as Adam's step count are left out), and
    divides by the number of parameters.
    """
    params = [p for p in model.parameters()]
    n = sum(p.numel() for p in params)
    weights = sum(p.numel() * p.element_size() for p in params)
    gradients = sum(p.grad.numel() * p.grad.element_size() for p in params if p.grad is not None)
    state = sum(value.numel() * value.element_size()
                for p in params for value in optimizer.state.get(p, {}).values()
                if isinstance(value, Tensor) and value.dim() > 0)
    return {"weights": weights / n, "gradients": gradients / n, "optimizer state": state / n}
