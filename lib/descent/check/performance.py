"""Checks for the exercises of the chapter performance: the bytes an Adam step must move, the
roofline bound on a computation's time, and parameters that live in one flat buffer."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor

from descent import fast
from descent.check.feedback import (Feedback, LearnerError, call, describe, devices, failed,
                                    passed)
from descent.check.functions import Case
from descent.check.kinds import check_formula
from descent.check.mistakes import Mistake

__all__ = ["adam_bytes_per_step", "roofline_time", "flatten_parameters"]


# ---------------------------------------------------------------------------
# Derive: the bytes one Adam step moves
# ---------------------------------------------------------------------------

def adam_bytes_per_step_reference(n_params: int, bytes_per_value: int) -> float:
    """Read θ, g, m, v and write θ, m, v: 7 values of ``bytes_per_value`` bytes each."""
    return float(fast.BYTES_PER_PARAMETER["Adam"] // 4 * n_params * bytes_per_value)


def values_moved(count: float) -> Callable:
    return lambda n_params, bytes_per_value: float(count * n_params * bytes_per_value)


ADAM_BYTES_MISTAKES = [
    Mistake("bytes added to the count of values instead of multiplied", "Each of the 7 values "
            "per parameter takes b bytes: 7 · n · b.",
            lambda n_params, bytes_per_value: float(4 * n_params * bytes_per_value + 3 * n_params)),
    Mistake("float32 assumed", "The values take `bytes_per_value` bytes each (2 in bfloat16, "
            "8 in float64), not always 4: 7 · n · b.",
            lambda n_params, bytes_per_value: float(28 * n_params)),
    Mistake("only the reads counted", "The step also writes θ, m and v back: 4 values read "
            "(θ, g, m, v) plus 3 written, 7 · n · b.", values_moved(4)),
    Mistake("only the writes counted", "The step must first read θ, g, m and v: 4 values "
            "read plus 3 written (θ, m, v), 7 · n · b.", values_moved(3)),
    Mistake("the gradient forgotten", "The step reads the gradient too: θ, g, m, v read, "
            "θ, m, v written, 7 · n · b.", values_moved(6)),
    Mistake("the gradient written back", "The step reads g but does not change it: 4 values "
            "read, 3 written (θ, m, v), 7 · n · b.", values_moved(8)),
    Mistake("every value counted as read and written", "g is only read; θ, m and v are read "
            "once and written once: 4 + 3 = 7 values per parameter.", values_moved(14)),
    Mistake("this is SGD with momentum's count", "SGD with momentum moves 5 values (θ, g, b "
            "read; θ, b written); Adam keeps two averages: θ, g, m, v read and θ, m, v "
            "written, 7 · n · b.", values_moved(5)),
    Mistake("bits, not bytes", "`bytes_per_value` is already in bytes: 7 · n · b, without the "
            "factor 8.", values_moved(56)),
    Mistake("bytes per value ignored", "Each value takes `bytes_per_value` bytes: multiply the "
            "7 values per parameter by n and by b.",
            lambda n_params, bytes_per_value: float(7 * n_params)),
    *[Mistake("not in bytes", f"Return the count in bytes, not in {unit}: 7 · n · b.",
              lambda n_params, bytes_per_value, scale=scale: float(
                  7 * n_params * bytes_per_value / scale))
      for unit, scale in (("megabytes", 1e6), ("gigabytes", 1e9), ("MiB", 2**20),
                          ("GiB", 2**30), ("kilobytes", 1e3))],
    Mistake("per parameter, not for n parameters", "7 · b bytes is one parameter's share; "
            "multiply by n_params.", lambda n_params, bytes_per_value: float(7 * bytes_per_value)),
    Mistake("floating-point operations, not bytes", "About 14 operations per parameter is the "
            "arithmetic; the question is the memory traffic: 7 values of b bytes each.",
            lambda n_params, bytes_per_value: float(14 * n_params)),
]

ADAM_BYTES_CASES = [Case((n, b), label=f"n = {n:,}, {b} bytes per value")
                    for n, b in ((1000, 4), (100_000_000, 4), (12_345, 2), (777, 8), (5, 1),
                                 (2_000_000, 2))]


def adam_bytes_per_step(learner: Callable) -> Feedback:
    """Check ``adam_bytes_per_step(n_params, bytes_per_value) -> bytes`` (= 7·n·b)."""
    return check_formula(learner, name="adam_bytes_per_step",
                         reference=adam_bytes_per_step_reference, cases=ADAM_BYTES_CASES,
                         mistakes=ADAM_BYTES_MISTAKES,
                         equation="read θ, g, m, v and write θ, m, v: 7 values × n × b bytes")


# ---------------------------------------------------------------------------
# Derive: the roofline bound on the time of a computation
# ---------------------------------------------------------------------------

def roofline_time_reference(n_bytes: float, flops: float, bandwidth: float,
                            peak_flops: float) -> float:
    """t ≥ flops / min(P, B·I) with I = flops/bytes, that is max(bytes/B, flops/P)."""
    return float(max(n_bytes / bandwidth, flops / peak_flops))


ROOFLINE_MISTAKES = [
    Mistake("bandwidth and peak paired with the wrong quantities", "Bytes move at the "
            "bandwidth B and operations run at the peak P: max(bytes/B, FLOP/P), not "
            "max(bytes/P, FLOP/B).", lambda n, f, b, p: float(max(n / p, f / b))),
    Mistake("the two times added", "In the roofline model memory traffic and arithmetic "
            "overlap: the slower of the two sets the time, max(bytes/B, FLOP/P), not their sum.",
            lambda n, f, b, p: float(n / b + f / p)),
    Mistake("min instead of max", "The computation cannot finish before its bytes have moved "
            "nor before its operations are done: t = max(bytes/B, FLOP/P).",
            lambda n, f, b, p: float(min(n / b, f / p))),
    Mistake("only the memory time", "A computation with many operations per byte (a large "
            "matrix product) is limited by arithmetic: t = max(bytes/B, FLOP/P).",
            lambda n, f, b, p: float(n / b)),
    Mistake("only the arithmetic time", "An optimizer step does so few operations per byte "
            "that memory limits it: t = max(bytes/B, FLOP/P).", lambda n, f, b, p: float(f / p)),
    Mistake("returned the attainable FLOP/s, not the time", "min(P, B·I) is the rate; the "
            "time is FLOP / min(P, B·I) = max(bytes/B, FLOP/P) seconds.",
            lambda n, f, b, p: float(min(p, b * f / n))),
    Mistake("rates inverted", "Time is amount / rate: bytes/B and FLOP/P, not B/bytes and "
            "P/FLOP.", lambda n, f, b, p: float(max(b / n, p / f))),
    Mistake("multiplied by the rates", "Time is amount / rate: bytes/B and FLOP/P, not "
            "bytes·B and FLOP·P.", lambda n, f, b, p: float(max(n * b, f * p))),
    Mistake("not in seconds", "Return seconds: N/B and F/P are already in seconds when B is "
            "in bytes/s and P in FLOP/s (no factor 1000).",
            lambda n, f, b, p: float(1e3 * max(n / b, f / p))),
    Mistake("not in seconds", "Return seconds: N/B and F/P are already in seconds when B is "
            "in bytes/s and P in FLOP/s (no factor 10⁶).",
            lambda n, f, b, p: float(1e6 * max(n / b, f / p))),
]

ROOFLINE_CASES = [Case(args, label=label) for args, label in (
    ((28 * 100e6, 14 * 100e6, 2.9e12, 67e12), "an Adam step on 100 M parameters, H100"),
    ((3 * 4096**2 * 4, 2 * 4096**3, 2.9e12, 67e12), "a 4096 × 4096 matrix product, H100"),
    ((20 * 1e6, 4 * 1e6, 50e9, 1e12), "an SGD step on 1 M parameters, a CPU"),
    ((1e9, 3e10, 1e12, 1e13), "3 FLOP per byte, ridge point at 10"),
    ((1e9, 3e11, 1e12, 1e13), "300 FLOP per byte, ridge point at 10"),
    ((5e6, 2e8, 4e9, 1e11), "40 FLOP per byte, ridge point at 25"),
)]


def roofline_time(learner: Callable) -> Feedback:
    """Check ``roofline_time(n_bytes, flops, bandwidth, peak_flops) -> seconds``."""
    return check_formula(learner, name="roofline_time", reference=roofline_time_reference,
                         cases=ROOFLINE_CASES, mistakes=ROOFLINE_MISTAKES,
                         equation="t = flops / min(P, B·I), I = flops/bytes; that is "
                                  "max(bytes/B, flops/P)")


# ---------------------------------------------------------------------------
# Implement: every parameter a view into one flat buffer
# ---------------------------------------------------------------------------

def flatten_parameters_reference(params: Sequence[Tensor]) -> Tensor:
    """Copy the parameters, one after the other, into one flat buffer, and make each a view."""
    total = sum(p.numel() for p in params)
    flat = torch.empty(total, dtype=params[0].dtype, device=params[0].device)
    start = 0
    for p in params:
        stop = start + p.numel()
        flat[start:stop].copy_(p.detach().reshape(-1))
        p.data = flat[start:stop].view_as(p)
        start = stop
    return flat


def flat_model(dtype: torch.dtype, device: str, seed: int) -> tuple[torch.nn.Module, list, str]:
    generator = torch.Generator().manual_seed(seed)
    if seed == 0:
        model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
        label = "Linear(3, 4), Tanh, Linear(4, 2)"
    else:
        model = ScaledLinear()
        label = "a Linear(5, 3) and a scalar parameter of shape ()"
    model = model.to(dtype=dtype, device=device)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=generator, dtype=dtype).to(device))
    return model, list(model.parameters()), f"{label}, {dtype}, {device}"


class ScaledLinear(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.linear = torch.nn.Linear(5, 3)
        self.scale = torch.nn.Parameter(torch.tensor(1.0))

    def forward(self, x: Tensor) -> Tensor:
        return self.scale * self.linear(x)


def storage_offset_in(view: Tensor, flat: Tensor) -> int | None:
    """Where ``view`` starts in ``flat``, in elements, if it shares flat's memory."""
    if view.untyped_storage().data_ptr() != flat.untyped_storage().data_ptr():
        return None
    return (view.data_ptr() - flat.data_ptr()) // max(1, flat.element_size())


def check_flatten_once(learner: Callable, name: str, dtype: torch.dtype, device: str,
                       seed: int) -> Feedback | None:
    model, params, label = flat_model(dtype, device, seed)
    originals = [p.detach().clone() for p in params]
    x = torch.randn(7, 3 if seed == 0 else 5, dtype=dtype, device=device)
    output = model(x).detach()
    total = sum(p.numel() for p in params)
    flat = call(name, learner, params)
    if flat is None:
        return failed(f"{name} returned None. Return the flat buffer.", "returned None")
    if not isinstance(flat, Tensor):
        return failed(f"{name} returned {describe(flat)}; return the flat buffer, one tensor.",
                      "wrong type")
    if flat.dim() != 1 or flat.numel() != total:
        return failed(f"{name} returned a tensor of shape {tuple(flat.shape)} for parameters "
                      f"with {total} elements ({label}); the buffer is 1-D with one element per "
                      "parameter value, no padding.", "wrong shape")
    if flat.dtype != dtype or flat.device.type != torch.device(device).type:
        return failed(f"{name} returned a buffer of dtype {flat.dtype} on {flat.device} for "
                      f"parameters of dtype {dtype} on {device}: create it like them, e.g. "
                      "`torch.empty(n, dtype=params[0].dtype, device=params[0].device)`.",
                      "wrong dtype" if flat.dtype != dtype else "wrong device")
    for p, original in zip(params, originals):
        if p.shape != original.shape:
            return failed(f"{name} changed the shape of a parameter from "
                          f"{tuple(original.shape)} to {tuple(p.shape)}: make each view with "
                          "`.view_as(p)`.", "wrong shape")
    expected = torch.cat([o.reshape(-1) for o in originals])
    starts = [storage_offset_in(p, flat) for p in params]
    right_starts = [sum(p.numel() for p in params[:i]) for i in range(len(params))]
    if not torch.equal(flat.detach(), expected):
        if len(params) > 1 and all(start == 0 for start in starts):
            return failed(f"{name}: every parameter starts at element 0 of the buffer, so they "
                          "overwrite each other. Advance the offset by p.numel() after each "
                          "parameter.", "offset not advanced")
        if starts == right_starts:
            return failed(f"{name}: the values were not copied into the buffer ({label}): the "
                          "parameters became views of an uninitialized (or zero) buffer. Copy "
                          "each parameter into its slice, `flat[start:stop] = "
                          "p.detach().reshape(-1)`, before making it a view of that slice.",
                          "values not copied")
        return failed(f"{name}: the buffer does not hold the parameters' values one after the "
                      f"other, in the order of the list ({label}).", "wrong values")
    for i, (p, original) in enumerate(zip(params, originals)):
        if not torch.equal(p.detach(), original):
            return failed(f"{name} changed the values of parameter {i} ({label}).",
                          "parameters changed")
    for i, (p, where, right) in enumerate(zip(params, starts, right_starts)):
        if where is None:
            return failed(f"{name}: parameter {i} is not a view of the buffer ({label}): "
                          "updating the buffer would not change the model. Assign the view to "
                          "the parameter, `p.data = flat[start:stop].view_as(p)` (not "
                          "`p = ...`, which only rebinds a name, and not a copy such as "
                          "torch.cat's result).", "parameters are not views of the buffer")
        if where != right:
            return failed(f"{name}: parameter {i} is a view of the buffer at element {where}, "
                          f"but its values are at {right}.", "wrong values")
    with torch.no_grad():
        flat.mul_(2)
    if not all(torch.equal(p.detach(), 2 * o) for p, o in zip(params, originals)):
        return failed(f"{name}: doubling the buffer did not double every parameter ({label}).",
                      "parameters are not views of the buffer")
    with torch.no_grad():
        flat.div_(2)
    try:
        again = model(x)
        again.sum().backward()
    except Exception as error:  # the model no longer works
        return failed(f"{name}: after flattening, the model fails: {type(error).__name__}: "
                      f"{error}", "model broken")
    if not torch.allclose(again.detach(), output):
        return failed(f"{name}: after flattening, the model computes something else "
                      f"({label}).", "model broken")
    if any(p.grad is None or p.grad.shape != p.shape for p in params):
        return failed(f"{name}: after flattening, backward() no longer gives every parameter "
                      "a gradient of its shape: keep the parameters themselves, and change "
                      "only their `.data`.", "model broken")
    return None


def flatten_parameters(learner: Callable) -> Feedback:
    """Check ``flatten_parameters(params) -> flat`` (each parameter a view of ``flat``)."""
    name = "flatten_parameters"
    try:
        for device in devices():
            for dtype in (torch.float64, torch.float32):
                for seed in (0, 1):
                    problem = check_flatten_once(learner, name, dtype, device, seed)
                    if problem:
                        return problem
    except LearnerError as error:
        return error.feedback
    return passed(f"{name}: one buffer holds every parameter's values in order, every "
                  "parameter is a view of it, and the model works as before.")
