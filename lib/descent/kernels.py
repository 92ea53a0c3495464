r"""One-pass update loops for the CPU, compiled by Numba: the fast path's CPU kernels.

:mod:`descent.fast` keeps every parameter, gradient and state in a few long
flat buffers. Eager PyTorch updates them one operation at a time, so Adam's
step is seven passes over memory; ``torch.optim``'s ``fused=True`` kernel
makes one pass per tensor. The loops below make **one pass over the whole
flat buffer**: each element's parameter, gradient and state are read once,
the book's formula runs on them in registers, and the results are written
once, which is the least memory traffic a step can have (the table in
:mod:`descent.fast`). The element-wise body is the equation, line by line.

`Numba <https://numba.pydata.org>`_ compiles each loop to machine code with
LLVM (no C++ compiler needed) and vectorizes it (AVX2/AVX-512). The loops are
compiled twice: a serial version, and a parallel one whose ``prange`` splits
the buffer into one contiguous slice per thread; :func:`run` picks by size
and uses as many threads as PyTorch does (:func:`torch.get_num_threads`).
``error_model="numpy"`` makes a division by zero give ``inf``/``nan`` as
torch does (instead of raising); there is no ``fastmath``, so every
operation is rounded as IEEE 754 prescribes, in the buffer's dtype (float32
or float64: the scalars are cast to it first). The numbers equal the eager
update's up to the order of roundings (the tests compare them with
:mod:`descent.optim`). Compiled code is cached on disk (``cache=True``): the
first use on a machine compiles for a second or two, later runs load it.
The loops carry no type hints: Numba infers the types from the arguments
(one compiled version per dtype).

Reference: Lam, Pitrou & Seibert (2015), *Numba: a LLVM-based Python JIT
compiler*, LLVM-HPC.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numba
import numpy as np
import torch
from torch import Tensor

__all__ = ["sgd_loop", "rmsprop_loop", "adam_loop", "run", "PARALLEL_GRAIN", "DTYPES"]

#: Below this many elements a loop runs on one thread: waking the others costs more.
PARALLEL_GRAIN = 1 << 15

#: The dtypes the loops are compiled for; others use the eager update.
DTYPES = (torch.float32, torch.float64)


def two_versions(loop: Callable[..., None]) -> tuple[Callable[..., None], Callable[..., None]]:
    """``loop`` compiled serially and in parallel (``prange`` is ``range`` in the first)."""
    options = dict(cache=True, error_model="numpy", nogil=True)
    return numba.njit(**options)(loop), numba.njit(parallel=True, **options)(loop)


@numba.njit(inline="always")
def lerp(start, end, weight, one_minus_weight):
    """torch.lerp's formula: start + w (end − start), from the nearer end (exact at w = 0, 1)."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * one_minus_weight


def sgd_loop(param, grad, momentum_buffer, lr, momentum, one_minus_dampening,
             weight_decay, nesterov, has_momentum, first):
    """SGD (:func:`descent.optim.sgd_step`): θ -= α d, b = βb + (1 − τ)g, d = b or g + βb."""
    for i in numba.prange(param.shape[0]):
        theta = param[i]
        g = grad[i] + weight_decay * theta if weight_decay != 0 else grad[i]   # g + λθ
        d = g
        if has_momentum:
            b = g if first else momentum * momentum_buffer[i] + one_minus_dampening * g
            momentum_buffer[i] = b
            d = g + momentum * b if nesterov else b
        param[i] = theta - lr * d


def rmsprop_loop(param, grad, square_avg, momentum_buffer, grad_avg, lr,
                 alpha, one_minus_alpha, eps, weight_decay, momentum, has_momentum, centered):
    """RMSprop (:func:`descent.optim.rmsprop_step`): v = ρv + (1 − ρ)g², θ -= α g/(√v + ε).

    As in torch.optim, the decay rate ρ is called ``alpha`` and α is ``lr``.
    """
    for i in numba.prange(param.shape[0]):
        theta = param[i]
        g = grad[i] + weight_decay * theta if weight_decay != 0 else grad[i]   # g + λθ
        v = alpha * square_avg[i] + one_minus_alpha * (g * g)                  # v_t
        square_avg[i] = v
        if centered:
            mean = lerp(grad_avg[i], g, one_minus_alpha, alpha)                # ḡ_t
            grad_avg[i] = mean
            sigma = math.sqrt(v - mean * mean) + eps
        else:
            sigma = math.sqrt(v) + eps                                         # σ_t + ε
        if has_momentum:
            b = momentum * momentum_buffer[i] + g / sigma                      # b_t
            momentum_buffer[i] = b
            param[i] = theta - lr * b
        else:
            param[i] = theta + (-lr * g) / sigma


def adam_loop(param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, decay_factor,
              weight_decay, one_minus_beta1, beta1, beta2, one_minus_beta2,
              eps_sqrt_c2, step_size, amsgrad):
    r"""Adam and AdamW (:func:`descent.fast.adam_flat`): θ -= (α√c₂/c₁) m/(√v + ε√c₂).

    ``decay_factor`` is AdamW's 1 − αλ (1 for Adam); ``weight_decay`` is
    Adam's L2 λ (0 for AdamW).
    """
    for i in numba.prange(param.shape[0]):
        theta = param[i] * decay_factor if decay_factor != 1 else param[i]     # AdamW's decay
        g = grad[i] + weight_decay * theta if weight_decay != 0 else grad[i]   # Adam's g + λθ
        m = lerp(exp_avg[i], g, one_minus_beta1, beta1)                        # m_t
        v = beta2 * exp_avg_sq[i] + one_minus_beta2 * (g * g)                  # v_t
        exp_avg[i] = m
        exp_avg_sq[i] = v
        if amsgrad:
            v = np.maximum(max_exp_avg_sq[i], v)                               # max(v̂_max, v)
            max_exp_avg_sq[i] = v
        param[i] = theta + (-step_size * m) / (math.sqrt(v) + eps_sqrt_c2)     # θ_t


LOOPS = {loop: two_versions(loop) for loop in (sgd_loop, rmsprop_loop, adam_loop)}


def run(loop: Callable[..., None], tensors: list[Tensor | None], scalars: list[Any]) -> None:
    """Run compiled ``loop`` on flat CPU ``tensors`` (None: unused) with ``scalars``.

    Numeric scalars (an ``int`` such as ``weight_decay=0`` too) are cast to
    the tensors' dtype, so that the arithmetic is done in float32 for
    float32 buffers, as PyTorch does: a Python int or float would make Numba
    compute in int64 or float64 arithmetic, slower and with other roundings.
    Booleans stay booleans. An unused state buffer is passed as an empty array.
    """
    arrays = [t.numpy() if t is not None else None for t in tensors]
    dtype = arrays[0].dtype.type
    empty = np.empty(0, dtype)
    arrays = [empty if a is None else a for a in arrays]
    values = [s if isinstance(s, bool) else dtype(s) for s in scalars]
    serial, parallel = LOOPS[loop]
    threads = min(torch.get_num_threads(), numba.config.NUMBA_NUM_THREADS)
    if threads > 1 and arrays[0].shape[0] >= PARALLEL_GRAIN:
        numba.set_num_threads(threads)
        parallel(*arrays, *values)
    else:
        serial(*arrays, *values)
