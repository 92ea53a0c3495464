r"""Fast optimizers: every parameter, gradient and state in one flat buffer.

:mod:`descent.optim` updates one tensor at a time and reads like the book's
equations. This module computes the same numbers (the tests check it) as fast
as the memory allows, and it is kept apart so that the reference code has no
speed branches.

**The memory-traffic model.** An optimizer step does a handful of additions
and multiplications per parameter, but it must read every parameter, its
gradient and its state from memory and write the parameter and the state
back. In float32 (4 bytes) one step moves, per parameter:

=====================  ============================  =============================  ========
algorithm              reads                         writes                         bytes
=====================  ============================  =============================  ========
SGD, momentum          θ, g, b                       θ, b                           20
RMSprop                θ, g, v                       θ, v                           20
Adam, AdamW            θ, g, m, v                    θ, m, v                        28
=====================  ============================  =============================  ========

That is about 14 floating-point operations per 28 bytes for Adam: an
*arithmetic intensity* far below what any processor needs to be busy, so the
step is **memory-bound** (the roofline model, Williams et al. 2009). Its best
possible time is ``bytes per parameter × parameters / memory bandwidth``:
100 M parameters, 28 bytes each, is 2.8 GB: under a millisecond at a
data-center GPU's measured copy bandwidth (the speed chapter computes it
from the recorded measurements in ``benchmarks/``).

**Where the time goes instead.** ``torch.optim``'s for-loop runs several
kernels per tensor (one pass over memory each, plus a launch each); its
``foreach`` form batches the launches across tensors but still makes several
passes; its ``fused`` form makes one pass per group of tensors, but still
juggles hundreds of tensors of different sizes. A model's parameters are
hundreds of separate tensors, some tiny (biases, layer norms).

**Why a flat buffer.** Copy every parameter into one contiguous buffer per
(param group, device, dtype), and make each parameter a *view* into it; do the
same for the gradients and for each optimizer state. Then one step is the
textbook formula applied to a few long vectors: under :func:`torch.compile`
(the default on CUDA) it becomes a single kernel that reads and writes each
byte once and runs at the memory bandwidth. It is the trick behind PyTorch
FSDP's flat parameters and DDP's gradient bucket views. On a CPU the
default is PyTorch's own fused kernel (the one behind ``fused=True``) called
once per flat buffer, where PyTorch has one (SGD, Adam, AdamW), and a loop
compiled by Numba (:mod:`descent.kernels`) for RMSprop: either way one pass
over each flat buffer, on every thread PyTorch uses, with no C++ compiler
needed. ``kernel="eager"`` runs the update functions below as plain PyTorch
operations instead (a few in-place passes over cache-sized chunks: the
readable form, and the fallback without Numba); ``kernel="compile"`` runs
them under :func:`torch.compile`.

**What changes for the user.**

- ``p.data`` becomes a view of the flat parameter buffer and ``p.grad`` a
  view of the flat gradient buffer, so ``loss.backward()`` accumulates
  straight into the flat buffer. Create the optimizer after moving or casting
  the model; a parameter whose ``.data`` is replaced afterwards (``model.to``,
  ``model.half()``) makes :meth:`~FlatOptimizer.step` raise. Use one optimizer
  per parameter.
- :meth:`~FlatOptimizer.zero_grad` zeroes the flat gradient buffer in place
  and keeps the views: ``p.grad`` is a tensor of zeros, never ``None``.
  Setting ``p.grad = None`` would make the next backward allocate a new
  gradient outside the buffer. To keep torch.optim's rule that a parameter
  whose gradient is ``None`` is skipped, the optimizer tracks which
  parameters received a gradient since ``zero_grad(set_to_none=True)``
  (a post-accumulate-grad hook on each parameter); the others are not
  updated and their state does not advance, exactly as in
  :mod:`descent.optim`. ``zero_grad(set_to_none=False)`` keeps that record,
  as torch.optim keeps zeroed gradients.
- Gradients assigned by hand (``p.grad = g``) or by ``model.zero_grad()``
  followed by ``backward`` still work. The fused kernel reads them where
  they are, one tensor per parameter as ``torch.optim`` does; the other
  kernels copy them into the flat buffer at the next step (one extra pass)
  and put the view back. ``optimizer.zero_grad()`` puts every view back.
- ``state_dict()`` has the same keys as :mod:`descent.optim` and
  ``torch.optim`` (``exp_avg``, ``exp_avg_sq``, ``step``…), with ``step`` an
  int as in :mod:`descent.optim`; its tensors are views of the flat state
  buffers. ``load_state_dict`` copies the loaded state into fresh flat
  buffers, so a state dict of :mod:`descent.optim` or ``torch.optim`` loads
  too.

>>> model = torch.nn.Linear(3, 2)
>>> optimizer = Adam(model.parameters(), lr=0.1)
>>> [[bucket]] = optimizer.buckets           # one param group, one device and dtype
>>> model.weight.data_ptr() == bucket.param.data_ptr()
True
>>> model(torch.ones(1, 3)).sum().backward()
>>> model.bias.grad.data_ptr() == bucket.grad.data_ptr() + 64  # the bias starts 64 bytes in
True
>>> optimizer.step(); optimizer.zero_grad()
>>> model.bias.grad
tensor([0., 0.])

Parameters that get no gradient in a step split the flat buffer into a few
contiguous runs, updated one after the other; in the usual case (every
parameter has a gradient) a step is one call of the update function per flat
buffer. Each parameter starts at a multiple of 64 bytes; the padding between
parameters is updated along with them but never read.
"""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor

from descent import optim
from descent.optim import check_gradient

try:
    from descent import kernels
except ImportError:   # Numba is not installed: the CPU runs the eager update
    kernels = None

__all__ = [
    "sgd_flat", "rmsprop_flat", "adam_flat", "adamw_flat",
    "FlatOptimizer", "SGD", "RMSprop", "Adam", "AdamW", "BYTES_PER_PARAMETER", "KERNELS",
]

#: Bytes moved per float32 parameter by one step (reads + writes), as in the table above.
BYTES_PER_PARAMETER = {"SGD": 20, "RMSprop": 20, "Adam": 28, "AdamW": 28}

#: How an update can run (see :class:`FlatOptimizer`).
KERNELS = ("fused", "numba", "compile", "eager")

#: Elements per call of an eager update on the CPU (256 kB of float32): see
#: :meth:`FlatOptimizer.update_function`.
CPU_CHUNK = 1 << 16

#: Each parameter starts at a multiple of 64 bytes in the flat buffers, so that
#: every view is aligned for vectorized loads. The padding is never read.
ALIGNMENT_BYTES = 64

#: The flat buffers of one bucket start at different offsets within a 4 KiB
#: memory page (17 cache lines apart): see :func:`flat_zeros`.
PAGE_BYTES = 4096
STAGGER_BYTES = 1088


# ---------------------------------------------------------------------------
# Update functions: the reference step, on long flat vectors.
# Written with in-place operations so that eager PyTorch makes few passes over
# memory, and so that torch.compile fuses each one into a single kernel. The
# quantities that change from step to step (α, the bias corrections) multiply
# tensors instead of going into `alpha=`/`value=` arguments, which
# torch.compile would freeze as constants (one recompilation per new value),
# and square roots of scalars are taken in Python, not once per element of
# the compiled loop.
# ---------------------------------------------------------------------------

def sgd_flat(param: Tensor, grad: Tensor, momentum_buffer: Tensor | None = None, *,
             lr: float, momentum: float, dampening: float, nesterov: bool,
             weight_decay: float, first: bool) -> None:
    """:func:`descent.optim.sgd_step` on flat buffers; ``first``: b_1 = g_1."""
    if weight_decay != 0:
        grad = grad.add(param, alpha=weight_decay)                   # g + λθ
    if momentum_buffer is not None:
        if first:
            momentum_buffer.copy_(grad)                              # b_1 = g_1
        else:
            momentum_buffer.mul_(momentum).add_(grad, alpha=1 - dampening)  # b_t
        grad = grad.add(momentum_buffer, alpha=momentum) if nesterov else momentum_buffer
    param.sub_(lr * grad)                                            # θ -= α d_t


def rmsprop_flat(param: Tensor, grad: Tensor, square_avg: Tensor,
                 momentum_buffer: Tensor | None = None, grad_avg: Tensor | None = None, *,
                 lr: float, alpha: float, eps: float, weight_decay: float,
                 momentum: float) -> None:
    """:func:`descent.optim.rmsprop_step` on flat buffers (centered when ``grad_avg`` is given)."""
    if weight_decay != 0:
        grad = grad.add(param, alpha=weight_decay)                   # g + λθ
    square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)     # v_t
    if grad_avg is not None:
        grad_avg.lerp_(grad, 1 - alpha)                              # ḡ_t
        sigma = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
    else:
        sigma = square_avg.sqrt()
    sigma.add_(eps)                                                  # σ_t + ε
    if momentum_buffer is not None:
        momentum_buffer.mul_(momentum).addcdiv_(grad, sigma)         # b_t
        param.sub_(lr * momentum_buffer)                             # θ -= α b_t
    else:
        param.addcdiv_(-lr * grad, sigma)                            # θ -= α g/(σ+ε)


def adam_flat(param: Tensor, grad: Tensor, exp_avg: Tensor, exp_avg_sq: Tensor,
              max_exp_avg_sq: Tensor | None = None, *, lr: float, beta1: float,
              beta2: float, eps: float, weight_decay: float, bias_correction1: float,
              sqrt_bias_correction2: float) -> None:
    r""":func:`descent.optim.adam_step` on flat buffers (AMSGrad when ``max_exp_avg_sq`` is given).

    The bias corrections are c₁ = 1 − β₁ᵗ and √c₂ = √(1 − β₂ᵗ). The last line
    is the reference's θ -= α m̂/(√v̂ + ε), with m̂ = m/c₁ and v̂ = v/c₂,
    rearranged so that no full-size temporary holds m̂ or v̂:
    α m̂/(√v̂ + ε) = (α√c₂/c₁) · m/(√v + ε√c₂).
    """
    if weight_decay != 0:
        grad = grad.add(param, alpha=weight_decay)                   # g + λθ (L2)
    exp_avg.lerp_(grad, 1 - beta1)                                   # m_t
    exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)     # v_t
    if max_exp_avg_sq is not None:
        max_exp_avg_sq.copy_(torch.maximum(max_exp_avg_sq, exp_avg_sq))
        exp_avg_sq = max_exp_avg_sq
    denominator = exp_avg_sq.sqrt().add_(eps * sqrt_bias_correction2)       # √v + ε√c₂
    step_size = lr * sqrt_bias_correction2 / bias_correction1               # α√c₂/c₁
    param.addcdiv_(-step_size * exp_avg, denominator)                       # θ_t


def adamw_flat(param: Tensor, grad: Tensor, exp_avg: Tensor, exp_avg_sq: Tensor,
               max_exp_avg_sq: Tensor | None = None, *, lr: float, beta1: float,
               beta2: float, eps: float, weight_decay: float, bias_correction1: float,
               sqrt_bias_correction2: float) -> None:
    """:func:`descent.optim.adamw_step` on flat buffers: decay θ, then Adam without λ."""
    param.mul_(1 - lr * weight_decay)                                # decoupled decay
    adam_flat(param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, lr=lr, beta1=beta1,
              beta2=beta2, eps=eps, weight_decay=0.0, bias_correction1=bias_correction1,
              sqrt_bias_correction2=sqrt_bias_correction2)


@functools.cache
def compiled(update: Callable[..., None]) -> Callable[..., None]:
    """``update`` under :func:`torch.compile`: one fused kernel (compiled on the first call).

    Hyperparameters are Python floats, which torch.compile treats as inputs
    rather than constants (except where an operation needs a number, e.g.
    ``alpha=``), so a learning-rate schedule does not recompile.
    """
    return torch.compile(update, fullgraph=True)


# ---------------------------------------------------------------------------
# Flat buffers
# ---------------------------------------------------------------------------

@dataclass
class Bucket:
    """The parameters of one param group that share a device and dtype, in flat buffers.

    Parameter ``i`` occupies ``param[bounds[i] : bounds[i] + numel]``; the
    elements up to ``bounds[i + 1]`` are padding.
    """

    params: list[Tensor]
    bounds: list[int]
    param: Tensor                       # flat parameters; p.data are views into it
    grad: Tensor                        # flat gradients; p.grad are views into it
    grad_views: list[Tensor]
    data_ptrs: list[int]                # where each p.data must stay
    has_grad: list[bool]                # got a gradient since zero_grad(set_to_none=True)
    state: dict[str, Tensor] = field(default_factory=dict)  # flat optimizer states

    def piece(self, flat: Tensor, i: int) -> Tensor:
        """Parameter ``i``'s part of a flat buffer, shaped like the parameter."""
        p = self.params[i]
        return flat[self.bounds[i]:self.bounds[i] + p.numel()].view(p.shape)

    def run(self, flat: Tensor, start: int, stop: int) -> Tensor:
        """Parameters ``start`` to ``stop - 1``'s contiguous part of a flat buffer."""
        if start == 0 and stop == len(self.params):
            return flat
        return flat[self.bounds[start]:self.bounds[stop]]


def flat_zeros(like: Tensor, numel: int, index: int) -> Tensor:
    """A zero vector of ``numel`` elements for flat buffer number ``index`` of a bucket.

    Large allocations start at the same offset within a 4 KiB page, so
    element ``i`` of the parameter, gradient and state buffers would have
    the same low 12 address bits. A processor guesses whether a load depends
    on an earlier store from those bits alone ("4K aliasing"), so a loop that
    reads ``grad[i]`` just after writing ``param[i - k]`` keeps stalling on
    false dependencies. Starting buffer ``index`` ``index × 1088`` bytes into
    a page (a multiple of 64, so alignment is kept) avoids it, at the cost
    of one page per buffer; ``benchmarks/page_offsets.py`` measures the gain.
    """
    size = like.element_size()
    raw = like.new_zeros(numel + PAGE_BYTES // size)
    target = index * STAGGER_BYTES % PAGE_BYTES
    shift = (target - raw.data_ptr()) % PAGE_BYTES // size
    return raw[shift:shift + numel]


def padded_bounds(params: list[Tensor], alignment: int) -> list[int]:
    """Where each parameter starts in a flat buffer (multiples of ``alignment``), then the end."""
    bounds = [0]
    for p in params:
        bounds.append(-(-(bounds[-1] + p.numel()) // alignment) * alignment)
    return bounds


def mark_gradient(has_grad: list[bool], i: int) -> Callable[[Tensor], None]:
    """A post-accumulate-grad hook that records that parameter ``i`` got a gradient."""
    def hook(_param: Tensor) -> None:
        has_grad[i] = True
    return hook


@torch.no_grad()
def make_bucket(params: list[Tensor], length_multiple: int = 1) -> tuple[Bucket, list[Any]]:
    """Move ``params`` (one device, one dtype) into flat buffers; return them and the hooks.

    ``length_multiple``: the buffers' length is rounded up to a multiple of
    it (zeros at the end), so that :mod:`descent.distributed` can cut them
    into equal slices, one per process.
    """
    alignment = max(1, ALIGNMENT_BYTES // params[0].element_size())
    bounds = padded_bounds(params, alignment)
    bounds[-1] = -(-bounds[-1] // length_multiple) * length_multiple
    flat_param = flat_zeros(params[0], bounds[-1], index=0)
    flat_grad = flat_zeros(params[0], bounds[-1], index=1)
    bucket = Bucket(params, bounds, flat_param, flat_grad, grad_views=[], data_ptrs=[],
                    has_grad=[p.grad is not None for p in params])
    hooks = []
    for i, p in enumerate(params):
        view = bucket.piece(flat_param, i)
        view.copy_(p)
        if p.grad is not None:
            check_gradient(p, p.grad)
            bucket.piece(flat_grad, i).copy_(p.grad)
        p.data = view
        bucket.data_ptrs.append(p.data_ptr())
        bucket.grad_views.append(bucket.piece(flat_grad, i))
        p.grad = bucket.grad_views[i]
        if p.requires_grad:
            hooks.append(p.register_post_accumulate_grad_hook(mark_gradient(bucket.has_grad, i)))
    return bucket, hooks


def remove_hooks(hooks: list[Any]) -> None:
    for hook in hooks:
        hook.remove()


# ---------------------------------------------------------------------------
# The optimizer
# ---------------------------------------------------------------------------

class FlatOptimizer(torch.optim.Optimizer):
    """A ``torch.optim.Optimizer`` that keeps parameters, gradients and states in flat buffers.

    Subclasses name the reference optimizer (which validates the
    hyperparameters, with torch.optim's messages, and gives the defaults),
    the update function, and the per-parameter state it keeps.

    ``kernel``: how the update runs on each flat buffer (:data:`KERNELS`):

    - ``"fused"``: PyTorch's own fused kernel, the one behind ``torch.optim``'s
      ``fused=True`` (SGD, Adam, AdamW), called once per flat buffer instead
      of once per tensor;
    - ``"numba"``: a one-pass loop compiled by Numba (:mod:`descent.kernels`;
      CPU, float32 and float64), for every algorithm;
    - ``"compile"``: the update function under :func:`torch.compile`, one
      fused kernel (on a CPU it needs a C++ compiler and takes seconds per
      configuration);
    - ``"eager"``: the update function as plain PyTorch operations.

    ``None`` (the default) picks ``"compile"`` on CUDA; on the CPU,
    ``"fused"`` where PyTorch has that kernel, else ``"numba"`` when Numba is
    installed and the dtype is float32 or float64, else ``"eager"``.
    """

    fused_kernel: Callable[..., None] | None = None  # PyTorch's fused kernel, if it has one
    reference: type[optim.ReferenceOptimizer]
    update: Callable[..., None]  # a staticmethod in each subclass
    counts_steps = True          # keeps state["step"], as the reference does

    def __init__(self, params: Iterable, hyperparameters: dict[str, Any], *,
                 kernel: str | None = None) -> None:
        if kernel not in (None, *KERNELS):
            raise ValueError(f"Invalid kernel: {kernel!r}; choose one of {', '.join(KERNELS)}")
        if kernel == "numba" and kernels is None:
            raise ValueError("kernel='numba' needs Numba: pip install numba")
        if kernel == "fused" and self.fused_kernel is None:
            raise ValueError(f"PyTorch has no fused {type(self).__name__} kernel; choose one of "
                             f"{', '.join(k for k in KERNELS if k != 'fused')}")
        placeholder = torch.zeros(0, requires_grad=True)
        defaults = self.reference([placeholder], **hyperparameters).defaults
        self.kernel = kernel
        self.buckets: list[list[Bucket]] = []   # one list per param group
        self.hooks: list[Any] = []
        super().__init__(params, defaults)
        weakref.finalize(self, remove_hooks, self.hooks)

    # -- what each algorithm defines ----------------------------------------

    def state_names(self, group: dict[str, Any]) -> tuple[str, ...]:
        """The names of the per-parameter state tensors under ``group``'s options."""
        raise NotImplementedError

    def phase(self, state: dict[str, Any]) -> int:
        """What must be equal for parameters to share one update call: the step count."""
        return state.get("step", 0)

    def update_options(self, group: dict[str, Any], phase: int) -> dict[str, Any]:
        """The keyword arguments of ``update`` for ``group`` at ``phase``."""
        raise NotImplementedError

    # -- building the buckets -------------------------------------------------

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a param group (as torch.optim does) and move its parameters into flat buffers."""
        super().add_param_group(param_group)
        by_kind: dict[tuple[torch.device, torch.dtype], list[Tensor]] = {}
        for p in self.param_groups[-1]["params"]:
            by_kind.setdefault((p.device, p.dtype), []).append(p)
        buckets = []
        for params in by_kind.values():
            bucket, hooks = make_bucket(params)
            buckets.append(bucket)
            self.hooks.extend(hooks)
        self.buckets.append(buckets)

    def flat_buffers(self) -> list[Bucket]:
        """Every bucket, in param-group order."""
        return [bucket for buckets in self.buckets for bucket in buckets]

    # -- gradients ---------------------------------------------------------------

    @staticmethod
    def adopt_gradients(bucket: Bucket, copy: bool = True, keep: bool = False) -> None:
        """Put every gradient that is not our view (None, or set by hand) into the flat buffer.

        ``copy=False``: only point ``p.grad`` back at the view (its values are
        about to be zeroed). ``keep=True``: leave a gradient that lives
        elsewhere where it is, for a kernel that reads it there.
        """
        for i, p in enumerate(bucket.params):
            if p.data_ptr() != bucket.data_ptrs[i]:
                raise RuntimeError(
                    "a parameter's .data was replaced after the optimizer was created "
                    "(e.g. by model.to() or model.half()); create the optimizer afterwards")
            grad, view = p.grad, bucket.grad_views[i]
            if grad is view:
                continue
            bucket.has_grad[i] = grad is not None
            if grad is None:
                view.zero_()
            elif copy:
                check_gradient(p, grad)
                if keep:
                    continue
                view.copy_(grad)
            p.grad = view

    @torch.no_grad()
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Zero the flat gradient buffers in place; ``p.grad`` stays a view and is never None.

        With ``set_to_none=True`` (torch's default) every parameter is
        recorded as having no gradient, so one that gets none before the next
        step is skipped by it, as torch.optim skips a ``None`` gradient.
        """
        for bucket in self.flat_buffers():
            self.adopt_gradients(bucket, copy=False)
            bucket.grad.zero_()
            if set_to_none:
                bucket.has_grad[:] = [False] * len(bucket.params)

    # -- the step --------------------------------------------------------------

    def runs(self, bucket: Bucket) -> list[tuple[int, int, int]]:
        """Maximal runs ``(start, stop, phase)`` of neighbouring parameters to update together.

        A run holds parameters that have a gradient and share a phase; in the
        usual case there is one run, the whole bucket.
        """
        runs: list[tuple[int, int, int]] = []
        for i, p in enumerate(bucket.params):
            if not bucket.has_grad[i]:
                continue
            phase = self.phase(self.state[p])
            if runs and runs[-1][1] == i and runs[-1][2] == phase:
                runs[-1] = (runs[-1][0], i + 1, phase)
            else:
                runs.append((i, i + 1, phase))
        return runs

    def kernel_for(self, bucket: Bucket) -> str:
        """The kernel that updates ``bucket``: the one asked for, or the default (class doc)."""
        numba_runs = (kernels is not None and bucket.param.device.type == "cpu"
                      and bucket.param.dtype in kernels.DTYPES)
        if self.kernel == "numba" and not numba_runs:
            raise ValueError("kernel='numba' runs on float32 or float64 CPU tensors, not "
                             f"{bucket.param.dtype} on {bucket.param.device}")
        if self.kernel is not None:
            return self.kernel
        if bucket.param.is_cuda:
            return "compile"
        if self.fused_kernel is not None:
            return "fused"
        return "numba" if numba_runs else "eager"

    def update_function(self, bucket: Bucket) -> tuple[Callable[..., None], int | None]:
        """The update function for ``bucket``, and the chunk size to call it on (None: all).

        Eagerly on the CPU, each operation of the update allocates a temporary
        as large as its input; over a whole flat buffer that is tens of MB,
        which the memory allocator returns to the system and page-faults back
        every step. Chunks of :data:`CPU_CHUNK` elements keep the temporaries
        small, reused and in cache. Compiled code has no temporaries; a GPU
        has a caching allocator, and one launch per operation is best there.
        """
        if self.kernel_for(bucket) == "compile":
            return compiled(self.update), None
        return self.update, CPU_CHUNK if bucket.param.device.type == "cpu" else None

    def loop_call(self, tensors: dict[str, Tensor], options: dict[str, Any]
                  ) -> tuple[Callable[..., None], list[Tensor | None], list[Any]]:
        """The Numba loop of :mod:`descent.kernels`, with its tensors and scalars."""
        raise NotImplementedError

    def fused_call(self, tensors: dict[str, list[Tensor]], group: dict[str, Any],
                   phase: int) -> None:
        """Run :attr:`fused_kernel` on lists of ``tensors`` (a subclass with one defines it)."""
        raise NotImplementedError

    @staticmethod
    def fused_lists(bucket: Bucket, tensors: dict[str, Tensor], start: int, stop: int
                    ) -> dict[str, list[Tensor]]:
        """The fused kernel's tensor lists: the flat run, or one piece per parameter.

        A gradient that lives outside the flat buffer (assigned by hand, or
        allocated by a backward after ``model.zero_grad()``) is read where it
        is, as ``torch.optim`` reads it, rather than copied into the buffer
        first (a pass over memory); the kernel then takes one tensor per
        parameter, as ``fused=True`` does.
        """
        indices = range(start, stop)
        grads = [bucket.params[i].grad for i in indices]
        if all(grad is bucket.grad_views[i] for i, grad in zip(indices, grads)):
            return {name: [flat] for name, flat in tensors.items()}
        pieces = {name: [bucket.piece(bucket.state[name], i) for i in indices]
                  for name in tensors if name not in ("param", "grad")}
        return dict(pieces, param=[bucket.piece(bucket.param, i) for i in indices], grad=grads)

    def ensure_state(self, group: dict[str, Any], bucket: Bucket) -> tuple[str, ...]:
        """Create the flat state buffers (zeros) that ``group``'s options need."""
        names = self.state_names(group)
        for index, name in enumerate(names, start=2):      # 0 and 1: param and grad
            if name not in bucket.state:
                bucket.state[name] = flat_zeros(bucket.param, bucket.param.numel(), index)
        return names

    def start_state(self, bucket: Bucket, i: int, names: tuple[str, ...]) -> None:
        """Parameter ``i``'s first update: its state entries become views of the flat state."""
        state = self.state[bucket.params[i]]
        if self.counts_steps:
            state.setdefault("step", 0)
        for name in names:
            state[name] = bucket.piece(bucket.state[name], i)

    def update_run(self, group: dict[str, Any], bucket: Bucket, run: tuple[int, int, int]) -> None:
        start, stop, phase = run
        names = self.ensure_state(group, bucket)
        if phase == 0 and (names or self.counts_steps):
            for i in range(start, stop):
                self.start_state(bucket, i, names)
        tensors = {name: bucket.run(bucket.state[name], start, stop) for name in names}
        tensors.update(param=bucket.run(bucket.param, start, stop),
                       grad=bucket.run(bucket.grad, start, stop))
        options = self.update_options(group, phase)
        kernel = self.kernel_for(bucket)
        if kernel == "fused":
            self.fused_call(self.fused_lists(bucket, tensors, start, stop), group, phase)
        elif kernel == "numba":
            kernels.run(*self.loop_call(tensors, options))
        else:
            update, chunk = self.update_function(bucket)
            size = tensors["param"].numel()
            for begin in range(0, size, chunk or size):
                update(**{name: t[begin:begin + chunk] if chunk else t
                          for name, t in tensors.items()}, **options)
        if self.counts_steps:
            for p in bucket.params[start:stop]:
                self.state[p]["step"] += 1

    @torch.no_grad()
    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor | None:
        """Update every parameter that got a gradient since ``zero_grad`` (see the module doc)."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group, buckets in zip(self.param_groups, self.buckets):
            for bucket in buckets:
                self.adopt_gradients(bucket, keep=self.kernel_for(bucket) == "fused")
                for run in self.runs(bucket):
                    self.update_run(group, bucket, run)
        return loss

    # -- saving and loading --------------------------------------------------

    @torch.no_grad()
    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load as torch.optim does, then copy every state tensor into fresh flat buffers."""
        super().load_state_dict(state_dict)
        for group, buckets in zip(self.param_groups, self.buckets):
            for bucket in buckets:
                self.adopt_state(group, bucket)

    def adopt_state(self, group: dict[str, Any], bucket: Bucket) -> None:
        states = [self.state[p] for p in bucket.params]
        names = self.state_names(group)
        flat = {name: flat_zeros(bucket.param, bucket.param.numel(), index)
                for index, name in enumerate(names, start=2)}
        for i, state in enumerate(states):
            for name in names:
                if name in state:
                    bucket.piece(flat[name], i).copy_(state[name])
        bucket.state = flat                      # copied first: the sources may be our old views
        for i, state in enumerate(states):
            if "step" in state:
                state["step"] = int(state["step"])
            for name in names:
                if name in state:
                    state[name] = bucket.piece(flat[name], i)


class SGD(FlatOptimizer):
    """:class:`descent.optim.SGD` (with momentum, dampening, Nesterov) on flat buffers."""

    reference = optim.SGD
    update = staticmethod(sgd_flat)
    fused_kernel = staticmethod(torch._fused_sgd_)
    counts_steps = False  # SGD's only state is the momentum buffer

    def __init__(self, params: Iterable, lr: float = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float = 0, nesterov: bool = False,
                 *, kernel: str | None = None) -> None:
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov),
                         kernel=kernel)

    def state_names(self, group: dict[str, Any]) -> tuple[str, ...]:
        return ("momentum_buffer",) if group["momentum"] != 0 else ()

    def phase(self, state: dict[str, Any]) -> int:
        return int("momentum_buffer" in state)

    def update_options(self, group: dict[str, Any], phase: int) -> dict[str, Any]:
        return dict(lr=group["lr"], momentum=group["momentum"], dampening=group["dampening"],
                    nesterov=group["nesterov"], weight_decay=group["weight_decay"],
                    first=phase == 0)

    def loop_call(self, tensors: dict[str, Tensor], options: dict[str, Any]
                  ) -> tuple[Callable[..., None], list[Tensor | None], list[Any]]:
        o = options
        return kernels.sgd_loop, [tensors["param"], tensors["grad"],
                                  tensors.get("momentum_buffer")], [
            o["lr"], o["momentum"], 1 - o["dampening"], o["weight_decay"], o["nesterov"],
            "momentum_buffer" in tensors, o["first"]]

    def fused_call(self, tensors: dict[str, list[Tensor]], group: dict[str, Any],
                   phase: int) -> None:
        self.fused_kernel(tensors["param"], tensors["grad"], tensors.get("momentum_buffer", []),
                          weight_decay=group["weight_decay"], momentum=group["momentum"],
                          lr=group["lr"], dampening=group["dampening"],
                          nesterov=group["nesterov"], maximize=False, is_first_step=phase == 0)


class RMSprop(FlatOptimizer):
    """:class:`descent.optim.RMSprop` (with momentum, centered) on flat buffers."""

    reference = optim.RMSprop
    update = staticmethod(rmsprop_flat)

    def __init__(self, params: Iterable, lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, *, kernel: str | None = None) -> None:
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered),
                         kernel=kernel)

    def state_names(self, group: dict[str, Any]) -> tuple[str, ...]:
        return (("square_avg",) + (("momentum_buffer",) if group["momentum"] > 0 else ())
                + (("grad_avg",) if group["centered"] else ()))

    def phase(self, state: dict[str, Any]) -> int:
        return 0 if not state else 1  # the step count does not enter the update

    def update_options(self, group: dict[str, Any], phase: int) -> dict[str, Any]:
        return dict(lr=group["lr"], alpha=group["alpha"], eps=group["eps"],
                    weight_decay=group["weight_decay"], momentum=group["momentum"])

    def loop_call(self, tensors: dict[str, Tensor], options: dict[str, Any]
                  ) -> tuple[Callable[..., None], list[Tensor | None], list[Any]]:
        o = options
        return kernels.rmsprop_loop, [
            tensors["param"], tensors["grad"], tensors["square_avg"],
            tensors.get("momentum_buffer"), tensors.get("grad_avg")], [
            o["lr"], o["alpha"], 1 - o["alpha"], o["eps"], o["weight_decay"], o["momentum"],
            "momentum_buffer" in tensors, "grad_avg" in tensors]


class Adam(FlatOptimizer):
    """:class:`descent.optim.Adam` (with bias correction, optionally AMSGrad) on flat buffers."""

    reference = optim.Adam
    update = staticmethod(adam_flat)
    fused_kernel = staticmethod(torch._fused_adam_)

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False,
                 *, kernel: str | None = None) -> None:
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad), kernel=kernel)

    def state_names(self, group: dict[str, Any]) -> tuple[str, ...]:
        return ("exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if group["amsgrad"] else ())

    def update_options(self, group: dict[str, Any], phase: int) -> dict[str, Any]:
        beta1, beta2 = group["betas"]
        t = phase + 1                           # the step this update makes
        return dict(lr=group["lr"], beta1=beta1, beta2=beta2, eps=group["eps"],
                    weight_decay=group["weight_decay"], bias_correction1=1 - beta1**t,
                    sqrt_bias_correction2=math.sqrt(1 - beta2**t))

    def loop_call(self, tensors: dict[str, Tensor], options: dict[str, Any]
                  ) -> tuple[Callable[..., None], list[Tensor | None], list[Any]]:
        o = options
        decoupled = self.update is adamw_flat               # AdamW: θ ← (1 − αλ)θ first
        decay_factor = 1 - o["lr"] * o["weight_decay"] if decoupled else 1.0
        sqrt_c2 = o["sqrt_bias_correction2"]
        return kernels.adam_loop, [
            tensors["param"], tensors["grad"], tensors["exp_avg"], tensors["exp_avg_sq"],
            tensors.get("max_exp_avg_sq")], [
            decay_factor, 0.0 if decoupled else o["weight_decay"], 1 - o["beta1"], o["beta1"],
            o["beta2"], 1 - o["beta2"], o["eps"] * sqrt_c2,
            o["lr"] * sqrt_c2 / o["bias_correction1"], "max_exp_avg_sq" in tensors]

    def fused_call(self, tensors: dict[str, list[Tensor]], group: dict[str, Any],
                   phase: int) -> None:
        """The kernel computes the bias corrections from the step t, given as tensors."""
        beta1, beta2 = group["betas"]
        step = torch.tensor(float(phase + 1), device=tensors["param"][0].device)
        self.fused_kernel(tensors["param"], tensors["grad"], tensors["exp_avg"],
                          tensors["exp_avg_sq"], tensors.get("max_exp_avg_sq", []),
                          [step] * len(tensors["param"]), lr=group["lr"], beta1=beta1,
                          beta2=beta2, weight_decay=group["weight_decay"], eps=group["eps"],
                          amsgrad=group["amsgrad"], maximize=False)


class AdamW(Adam):
    """:class:`descent.optim.AdamW` (decoupled weight decay) on flat buffers."""

    reference = optim.AdamW
    update = staticmethod(adamw_flat)
    fused_kernel = staticmethod(torch._fused_adamw_)

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False,
                 *, kernel: str | None = None) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, kernel=kernel)
