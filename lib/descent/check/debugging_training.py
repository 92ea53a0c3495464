"""Checks for the exercises of the chapter "Debugging and tuning training": clipping by global
norm, the range test's choice of α, and a training loop with accumulation, clipping and a
per-step scheduler to debug."""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor
from torch.optim import lr_scheduler

from descent import clipping
from descent.check.feedback import (Feedback, Forbidden, LearnerError, all_names, call, close,
                                    describe, devices, failed, forbidden_feedback,
                                    forbidden_module_use, largest_difference, learner_line,
                                    passed)
from descent.check.mistakes import Mistake
from descent.check.schedules import RecordingSGD

__all__ = ["clip_grad_norm", "suggest_lr", "train_accumulated"]

# Mistakes the learner's code cannot recover from: report them as they are.
FINAL = {"not implemented", "time limit", "over budget"}


def number(value: Any) -> float | None:
    """``value`` as a float if it is a number or a one-element tensor, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Tensor) and value.numel() == 1:
        return float(value.detach().double().item())
    if isinstance(value, (int, float)):
        return float(value)
    return None


def raised(error: LearnerError) -> type | None:
    """The type of the exception the learner's code raised (None for a time limit, ...)."""
    cause = error.__context__
    return type(cause) if isinstance(cause, Exception) and not isinstance(cause, LearnerError) \
        else None


# ---------------------------------------------------------------------------
# 1. Clipping by global norm
# ---------------------------------------------------------------------------

# The exercise is to write it: torch's clip_grad_norm_ and descent.clipping are off limits.
CLIP_FORBIDDEN = Forbidden(modules=("torch.nn.utils.clip_grad", "descent.clipping"))

CLIP_EQUATION = ("‖g‖ = √(Σ over all parameters of Σ g²); every g ← g · min(1, c / (‖g‖ + 10⁻⁶)), "
                 "in place; return ‖g‖ before clipping")


@dataclass
class ClipCase:
    """Parameters with their gradients (None: a parameter without one), and the cap c."""

    label: str
    params: list[Tensor]
    max_norm: float
    generator: bool  # pass the parameters as a one-pass iterator, like model.parameters()

    def fresh(self) -> list[Tensor]:
        copies = []
        for p in self.params:
            q = p.detach().clone().requires_grad_(True)
            q.grad = None if p.grad is None else p.grad.detach().clone()
            copies.append(q)
        return copies

    def argument(self, params: list[Tensor]) -> Iterable[Tensor]:
        return (p for p in params) if self.generator else params


def clip_cases() -> list[ClipCase]:
    cases = []
    layouts = [  # (label, shapes and gradient scales (None: no gradient), cap, generator)
        ("the norm above the cap", [((3, 4), 1.0), ((4,), 2.0), ((2, 3), 0.5)], 1.5, False),
        ("the norm below the cap", [((5,), 0.3), ((2, 2), 0.2)], 10.0, False),
        ("one tensor much larger than the others", [((6,), 20.0), ((3,), 0.01), ((), 0.1)], 2.0,
         False),
        ("tiny gradients and a tinier cap", [((4,), 1e-4), ((3, 2), 3e-4)], 1e-4, False),
        ("model.parameters(), a one-pass iterator", [((3, 4), 1.0), ((4,), 2.0)], 1.0, True),
        ("a parameter without a gradient (.grad is None)", [((3,), 1.0), ((2, 2), None),
                                                            ((4,), 3.0)], 1.0, False),
    ]
    for device, dtype in itertools.product(devices(), (torch.float64, torch.float32)):
        for seed, (label, layout, cap, generator) in enumerate(layouts):
            g = torch.Generator().manual_seed(seed)
            params = []
            for shape, scale in layout:
                p = torch.randn(shape, generator=g, dtype=dtype).to(device)
                p.grad = None if scale is None else \
                    (scale * torch.randn(shape, generator=g, dtype=dtype)).to(device)
                params.append(p)
            cases.append(ClipCase(f"{label}, c = {cap:g}, {dtype}, {device}", params, cap,
                                  generator))
    return cases


def imports_forbidden(name: str, function: Callable, rules: Forbidden) -> Feedback | None:
    """A failure if ``function`` imports a forbidden module inside its body
    (``from descent.clipping import clip_grad_norm_``)."""
    code = getattr(function, "__code__", None)
    for imported in (set(all_names(code)) if code else set()):
        if any(imported == prefix or imported.startswith(prefix + ".")
               for prefix in rules.modules):
            return forbidden_feedback(name, imported, rules)
    return None


def clip_reference(params, max_norm):
    return clipping.clip_grad_norm_(params, max_norm)


def clip_variant(*, norm: str = "global", scale: str = "min", eps: float = 1e-6,
                 by_value: bool = False, two_passes: bool = False,
                 in_place: bool = True) -> Callable:
    """Clipping with one part changed. ``norm``: "global", "per tensor", "squared", "sum of
    norms", "rms"; ``scale``: "min" (right), "always" (also scales up), "max" (only scales
    up)."""
    def wrong(params, max_norm):
        params = params if two_passes else list(params)
        grads = [p.grad for p in params if p.grad is not None]
        norms = [g.double().norm() for g in grads]
        if by_value:
            for g in grads:
                g.clamp_(-max_norm, max_norm)
            return sum(n**2 for n in norms) ** 0.5
        total = {"global": lambda: sum(n**2 for n in norms) ** 0.5,
                 "per tensor": lambda: sum(n**2 for n in norms) ** 0.5,
                 "squared": lambda: sum(n**2 for n in norms),
                 "sum of norms": lambda: sum(norms),
                 "rms": lambda: (sum((g.double()**2).sum() for g in grads)
                                 / sum(g.numel() for g in grads)) ** 0.5}[norm]()
        for g, n in zip([p.grad for p in params if p.grad is not None], norms):
            size = n if norm == "per tensor" else total
            factor = max_norm / (size + eps)
            factor = {"min": min(1.0, factor), "always": factor, "max": max(1.0, factor)}[scale]
            if in_place:
                g.mul_(float(factor))
        return total
    return wrong


CLIP_MISTAKES = [
    Mistake("per-tensor norms instead of the global norm", "Clip by the norm of all the "
            "gradients seen as one vector, ‖g‖ = √(Σᵢ ‖gᵢ‖²), and scale every tensor by the same "
            "factor: clipping each tensor by its own norm changes the direction of the step.",
            clip_variant(norm="per tensor")),
    Mistake("scales up when the norm is below the cap", "The factor is min(1, c / (‖g‖ + 10⁻⁶)): "
            "a gradient already shorter than the cap is left as it is, never stretched to length "
            "c.", clip_variant(scale="always")),
    Mistake("scales up when the norm is below the cap", "The factor is min(1, c / (‖g‖ + 10⁻⁶)): "
            "a gradient already shorter than the cap is left as it is, never stretched to length "
            "c.", clip_variant(scale="always", eps=0.0)),
    Mistake("max instead of min", "With max(1, c/‖g‖) a long gradient is never shortened and a "
            "short one is stretched: the factor is min(1, c / (‖g‖ + 10⁻⁶)) (torch.clamp(..., "
            "max=1.0)).", clip_variant(scale="max")),
    Mistake("max instead of min", "With max(1, c/‖g‖) a long gradient is never shortened and a "
            "short one is stretched: the factor is min(1, c / (‖g‖ + 10⁻⁶)) (torch.clamp(..., "
            "max=1.0)).", clip_variant(scale="max", eps=0.0)),
    Mistake("the 10⁻⁶ is missing", "torch divides by ‖g‖ + 10⁻⁶, which keeps the factor finite "
            "when every gradient is zero: c / (‖g‖ + 1e-6).", clip_variant(eps=0.0)),
    Mistake("the squared norm", "‖g‖ is the square root of the sum of squares: take "
            "`.sqrt()` (or `** 0.5`) of Σ g².", clip_variant(norm="squared")),
    Mistake("the squared norm", "‖g‖ is the square root of the sum of squares: take "
            "`.sqrt()` (or `** 0.5`) of Σ g².", clip_variant(norm="squared", eps=0.0)),
    Mistake("per-tensor norms added", "The global norm combines the tensors' norms in "
            "quadrature, √(Σᵢ ‖gᵢ‖²), not Σᵢ ‖gᵢ‖ (which is larger and clips too much).",
            clip_variant(norm="sum of norms")),
    Mistake("the mean of the squares instead of their sum", "‖g‖² is the sum of g² over every "
            "entry of every gradient, not its mean: `.mean()` divides by the number of "
            "entries.", clip_variant(norm="rms")),
    Mistake("clipped by value instead of by norm", "Clipping by value clamps each entry to "
            "[−c, c] and changes the direction; clipping by norm multiplies every gradient by one "
            "factor, min(1, c / (‖g‖ + 10⁻⁶)).", clip_variant(by_value=True)),
    Mistake("the parameters are iterated twice", "`model.parameters()` is a generator: the "
            "first loop (the norm) uses it up and the second loop (the scaling) sees nothing. "
            "Make a list first: `params = list(params)`.", clip_variant(two_passes=True)),
    Mistake("gradients not modified in place", "`g = g * factor` makes a new tensor and leaves "
            "`p.grad` as it was. Scale the gradient itself: `p.grad.mul_(factor)` "
            "(under `torch.no_grad()` if needed).", clip_variant(in_place=False)),
]


def norm_variant(which: str) -> Callable[[float, float], float]:
    """What a learner may return instead of ‖g‖ before clipping (norm, cap) → value."""
    return {"after": lambda n, c: n * min(1.0, c / (n + 1e-6)),
            "factor": lambda n, c: min(1.0, c / (n + 1e-6)),
            "squared": lambda n, c: n * n,
            "cap": lambda n, c: c}[which]


CLIP_RETURN_MISTAKES = [
    ("returns the norm after clipping", "Return ‖g‖ as it was before clipping (what torch "
     "returns): it is the number to log, to see how often and by how much the gradient "
     "explodes.", norm_variant("after")),
    ("returns the clipping factor", "Return the total norm ‖g‖ (before clipping), not the factor "
     "min(1, c / (‖g‖ + 10⁻⁶)).", norm_variant("factor")),
    ("returns the squared norm", "Return ‖g‖ = √(Σ g²), the square root.", norm_variant("squared")),
    ("returns the cap", "Return the total norm ‖g‖ before clipping, not c.", norm_variant("cap")),
]


@dataclass
class ClipResult:
    grads: list[Tensor | None]
    returned: Any


def run_clip(function: Callable, case: ClipCase, name: str = "") -> ClipResult:
    params = case.fresh()
    returned = call(name, function, case.argument(params), case.max_norm) if name else \
        function(case.argument(params), case.max_norm)
    return ClipResult([p.grad for p in params], returned)


def same_grads(got: Sequence[Tensor | None], expected: Sequence[Tensor | None]) -> bool:
    return all((g is None) == (e is None) and (g is None or (
        g.shape == e.shape and close(g.detach().to(e.dtype), e)))
        for g, e in zip(got, expected))


def clip_grad_norm(learner: Callable) -> Feedback:
    """Check ``clip_grad_norm(params, max_norm) -> total_norm`` (in place, as torch's)."""
    name = "clip_grad_norm"
    problem = forbidden_module_use(name, learner, CLIP_FORBIDDEN) or imports_forbidden(
        name, learner, CLIP_FORBIDDEN)
    if problem:
        return problem
    cases = clip_cases()
    results: list[tuple[ClipCase, ClipResult, ClipResult]] = []

    def wrong_grads() -> Feedback | None:
        failing = [(c, got, exp) for c, got, exp in results if not same_grads(got.grads, exp.grads)]
        if not failing:
            return None
        for mistake in CLIP_MISTAKES:
            try:
                if all(same_grads(got.grads, run_clip(mistake.step, c).grads)
                       for c, got, _ in results):
                    return failed(f"{name}: {mistake.name}. {mistake.advice}", mistake.name)
            except Exception:  # a mistake that cannot run here
                continue
        case, got, expected = failing[0]
        index = next(i for i, (g, e) in enumerate(zip(got.grads, expected.grads))
                     if not same_grads([g], [e]))
        difference = largest_difference(got.grads[index], expected.grads[index])
        return failed(f"{name}: the gradient of parameter {index} is wrong after clipping "
                      f"({case.label}): {difference}. "
                      f"Check the definition: {CLIP_EQUATION}.", "unrecognized")

    for case in cases:
        params = case.fresh()
        before = [p.detach().clone() for p in params]
        grads_before = [p.grad for p in params]
        try:
            returned = call(name, learner, case.argument(params), case.max_norm)
        except LearnerError as error:
            if error.feedback.mistake in FINAL:
                return error.feedback
            problem = wrong_grads()
            if problem:
                return problem
            kind = raised(error)
            if None in grads_before and kind in (AttributeError, TypeError) \
                    and "NoneType" in error.feedback.message:
                line = learner_line(error.__context__)
                return failed(f"{name}: a parameter without a gradient is not skipped. Its "
                              f"`.grad` is None (it took no part in the loss){line}. "
                              "Skip it: `grads = [p.grad for p in params if p.grad is not None]`.",
                              "parameter without gradient not skipped")
            return error.feedback
        expected_params = case.fresh()
        expected = ClipResult([p.grad for p in expected_params],
                              clip_reference(expected_params, case.max_norm))
        if any(was is None and p.grad is not None for was, p in zip(grads_before, params)):
            return failed(f"{name} gave a gradient to a parameter that had none ({case.label}). "
                          "A parameter whose `.grad` is None took no part in the loss: leave it "
                          "None, do not fill in zeros (the optimizer skips it; with a zero "
                          "gradient, momentum and weight decay would still move it).",
                          "gradient created for a parameter without one")
        if any(not torch.equal(p.detach(), b) for p, b in zip(params, before)):
            return failed(f"{name} changed the parameters themselves ({case.label}). Clipping "
                          "changes only the gradients, `p.grad`; the optimizer's step uses them "
                          "afterwards.", "parameters changed")
        results.append((case, ClipResult([p.grad for p in params], returned), expected))
        if any(was is not None and p.grad is not was for was, p in zip(grads_before, params)) \
                and same_grads(results[-1][1].grads, expected.grads):
            return failed(f"{name} replaced `p.grad` by a new tensor instead of scaling it in "
                          f"place ({case.label}). Anything that holds the gradient tensor (a "
                          "flat buffer of gradients, a hook) no longer sees the clipped values: "
                          "use `p.grad.mul_(factor)`.", "gradient replaced, not modified in place")
    problem = wrong_grads()
    if problem:
        return problem
    for case, got, expected in results:
        value, norm = number(got.returned), float(expected.returned)
        if got.returned is None:
            return failed(f"{name} returned None. It clips correctly; now return the total "
                          "norm before clipping, as torch does.", "returned None")
        if value is None:
            return failed(f"{name} returned {describe(got.returned)}; return the total norm, a "
                          "number (or a one-element tensor).", "wrong type")
        if not math.isclose(value, norm, rel_tol=1e-9 if expected.returned.dtype == torch.float64
                            else 1e-5):
            for mistake, advice, variant in CLIP_RETURN_MISTAKES:
                if all(math.isclose(number(g.returned) or math.nan,
                                    variant(float(e.returned), c.max_norm), rel_tol=1e-5)
                       for c, g, e in results):
                    return failed(f"{name}: {mistake}. {advice}", mistake)
            return failed(f"{name} clips correctly but returned {value:.10g}; the total norm "
                          f"before clipping is {norm:.10g} ({case.label}).", "unrecognized")
    return passed(f"{name} matches torch.nn.utils.clip_grad_norm_ on all {len(cases)} test "
                  "cases: the same clipped gradients, in place, and the same total norm.")


# ---------------------------------------------------------------------------
# 2. The range test's choice of α
# ---------------------------------------------------------------------------

SUGGEST_EQUATION = ("s_i = β s_{i−1} + (1 − β) ℓ_i, s_{−1} = 0, ℓ̄_i = s_i / (1 − β^{i+1}); the "
                    "index m of the smallest ℓ̄ and k = ⌈n / 10⌉ for n rates; the slopes "
                    "(ℓ̄_{i+1} − ℓ̄_i) / (ln α_{i+1} − ln α_i) for k ≤ i < m; return α_i at the "
                    "most negative slope")


def suggest_reference(lrs, losses, beta=0.98):
    from descent import tuning
    return tuning.RangeTest(list(lrs), list(losses), beta).suggestion()


def smoothed_variant(losses, beta, *, correct=True, swap=False, power_offset=1,
                     numpy_division=False):
    average, out = 0.0, []
    for i, loss in enumerate(losses):
        average = ((1 - beta) * average + beta * loss) if swap else \
            (beta * average + (1 - beta) * loss)
        weight = 1 - (1 - beta if swap else beta) ** (i + power_offset)
        if numpy_division and weight == 0:            # numpy divides by 0 into ±inf or NaN
            out.append(math.copysign(math.inf, average) if average else math.nan)
            continue
        out.append(average / weight if correct else average)
    return out


def suggest_variant(*, smoothing: str = "corrected", rule: str = "steepest",
                    slope_against: str = "log", at: str = "start", span: str = "minimum",
                    divide: float = 1.0, skip_start: float = 0.1,
                    skip: str = "smoothed") -> Callable:
    """The choice of α with one part changed. ``smoothing``: "corrected", "raw", "uncorrected",
    "swapped", "off by one"; ``rule``: "steepest", "rise", "minimum", "last"; ``span``:
    "minimum" (slopes up to the smallest loss) or "all"; ``skip_start``: the fraction of the
    points whose slopes are not read (0: the noisy start read too); ``skip``: "smoothed" (the
    first smoothed points skipped) or "losses" (the first losses dropped before smoothing)."""
    def wrong(lrs, losses, beta=0.98):
        lrs, losses = list(lrs), list(losses)
        if skip == "losses":
            k = math.ceil(skip_start * len(lrs))
            return suggest_variant(smoothing=smoothing, rule=rule, slope_against=slope_against,
                                   at=at, span=span, divide=divide,
                                   skip_start=0.0)(lrs[k:], losses[k:], beta)
        curve = {"corrected": lambda: smoothed_variant(losses, beta),
                 "raw": lambda: losses,
                 "uncorrected": lambda: smoothed_variant(losses, beta, correct=False),
                 "swapped": lambda: smoothed_variant(losses, beta, swap=True),
                 "off by one": lambda: smoothed_variant(losses, beta, power_offset=0),
                 "off by one, numpy": lambda: smoothed_variant(losses, beta, power_offset=0,
                                                               numpy_division=True),
                 }[smoothing]()
        finite = [i for i, s in enumerate(curve) if math.isfinite(s)]
        m = min(finite, key=lambda i: curve[i])
        if rule == "minimum":
            return lrs[m] / divide
        if rule == "last":
            return lrs[-1]
        start = math.ceil(skip_start * len(lrs))
        end = m if span == "minimum" else len(curve) - 1
        x = [math.log(a) if slope_against == "log" else a for a in lrs]
        slopes = {i: (curve[i + 1] - curve[i]) / (x[i + 1] - x[i]) for i in range(start, end)}
        if span == "all":  # what numpy's argmin does: the first NaN wins
            nan = [i for i in range(start, end) if math.isnan(slopes[i])]
            if nan:
                return lrs[nan[0] + (1 if at == "end" else 0)]
        pick = (max if rule == "rise" else min)(range(start, end), key=lambda i: slopes[i])
        return lrs[pick + 1] if at == "end" else lrs[pick]
    return wrong


NOISY_START = ("The first smoothed values average only a few losses (ℓ̄_0 is the loss of one "
               "mini-batch, ℓ̄_1 nearly the mean of two), so a chance difference between two "
               "batches there can look like the steepest descent, and the rule returns a rate near "
               "α_min. Skip the first k = ⌈n / 10⌉ points: read the slopes for k ≤ i < m only.")

# Each mistake as a learner who follows the rule but for that one part. The parts that read the
# slopes are tried a second time without the skip (a learner who made both mistakes is told about
# the other one first; once it is fixed, about the skip).
OFF_BY_ONE = ("bias correction off by one", "After i + 1 losses (i from 0) the weights sum to "
              "1 − β^{i+1}: divide by that, not by 1 − β^i (which is 0 at i = 0).")

SLOPE_MISTAKES = [  # (name, advice, the part changed)
    ("the raw losses, not the smoothed ones", "Each loss is one mini-batch: the raw "
     "curve is too noisy, and its steepest drop is a lucky batch. Smooth it first: "
     "s_i = β s_{i−1} + (1 − β) ℓ_i, ℓ̄_i = s_i / (1 − β^{i+1}) (with β and 1 − β "
     "swapped, the curve is hardly smoothed).", dict(smoothing="raw")),
    ("no bias correction in the smoothing", "s starts at 0, so the first averages are "
     "far too small and the curve seems to rise at the start: divide by 1 − β^{i+1}, "
     "ℓ̄_i = s_i / (1 − β^{i+1}).", dict(smoothing="uncorrected")),
    (*OFF_BY_ONE, dict(smoothing="off by one")),
    (*OFF_BY_ONE, dict(smoothing="off by one, numpy")),  # NumPy: ±inf or NaN at i = 0, no error
    ("slope against α instead of ln α", "The rates are spaced geometrically, so the "
     "curve is read against ln α: divide the change in loss by ln α_{i+1} − ln α_i. "
     "Against α itself, the slopes at small rates (tiny steps in α) dominate.",
     dict(slope_against="lr")),
    ("the rate at the end of the steepest segment", "The slope from i to i + 1 is the "
     "forward difference at α_i: return α_i, the start of the steepest segment.",
     dict(at="end")),
    ("the steepest rise instead of the steepest descent", "The loss falls fastest where "
     "its slope is most negative: take the minimum of the slopes, not the maximum.",
     dict(rule="rise")),
    ("slopes past the minimum, into the diverged end", "Look only up to the smallest "
     "smoothed loss: after it, the run diverges, and a NaN loss makes every later "
     "smoothed value NaN (np.argmin picks a NaN).", dict(span="all")),
]

SUGGEST_MISTAKES = [
    Mistake("α at the minimum itself", "At the smallest smoothed loss α is already close to "
            "diverging (the loss reacts late, the smoothing lags): it is too large to train "
            "with. Take the α where the smoothed loss falls fastest, before the minimum.",
            suggest_variant(rule="minimum")),
    Mistake("the minimum divided by 10, not the steepest slope", "Dividing the minimum's α by "
            "10 is the other rule of thumb; this exercise asks for the α where the smoothed loss "
            "falls fastest against ln α, up to the minimum.", suggest_variant(rule="minimum",
                                                                           divide=10.0)),
    Mistake("the noisy start is not skipped", NOISY_START, suggest_variant(skip_start=0.0)),
    Mistake("the first losses dropped before smoothing", "Smooth all the losses, then skip the "
            "first k = ⌈n / 10⌉ smoothed points. Dropping the first losses instead restarts the "
            "average: its first points are single batches again, as noisy as before.",
            suggest_variant(skip="losses")),
    *[Mistake(name, advice, suggest_variant(**part)) for name, advice, part in SLOPE_MISTAKES],
    Mistake("the raw losses, not the smoothed ones", "Each loss is one mini-batch: the raw "
            "curve is too noisy, and its lowest point is a lucky batch. Smooth it first: "
            "s_i = β s_{i−1} + (1 − β) ℓ_i, ℓ̄_i = s_i / (1 − β^{i+1}).",
            suggest_variant(smoothing="raw", rule="minimum")),
    Mistake("the last point, where the test diverged", "The range test stops where the loss "
            "blows up: its last rate is far too large. Take the α where the smoothed loss falls "
            "fastest, before its minimum.", suggest_variant(rule="last")),
    *[Mistake(name, advice, suggest_variant(**part, skip_start=0.0))
      for name, advice, part in SLOPE_MISTAKES],
]


def range_curve(seed: int, n: int, lr_min: float, lr_max: float, *, floor: float, start: float,
                noise: float, end: str) -> tuple[list[float], list[float]]:
    """A range test's (lrs, losses): the loss falls from ``start`` to ``floor`` as ln α grows,
    then blows up; multiplicative noise; the last loss NaN or above 4 × the best."""
    g = torch.Generator().manual_seed(seed)
    lrs = [lr_min * (lr_max / lr_min) ** (i / (n - 1)) for i in range(n)]
    losses = []
    for i, lr in enumerate(lrs):
        u = i / (n - 1)                                   # 0 … 1 along ln α
        level = floor + (start - floor) / (1 + math.exp(20 * (u - 0.5)))
        level *= 1 + 30 * max(0.0, u - 0.8) ** 2          # the blow-up
        draw = float(torch.randn((), generator=g, dtype=torch.float64))
        losses.append(level * (1 + noise * draw))
    best = min(losses[:-1])
    losses[-1] = math.nan if end == "nan" else max(losses[-1], 4.5 * best)
    return lrs, losses


SUGGEST_CASES = [  # (label, lrs, losses, beta)
    ("a range test of 100 steps ending above 4 × the best loss",
     *range_curve(0, 100, 1e-6, 10.0, floor=0.4, start=2.3, noise=0.01, end="high"), 0.98),
    ("a range test of 80 steps ending with NaN",
     *range_curve(1, 80, 1e-5, 1.0, floor=0.3, start=2.3, noise=0.02, end="nan"), 0.98),
    ("a range test of 200 steps down to a loss near 0",
     *range_curve(2, 200, 1e-7, 10.0, floor=0.004, start=2.3, noise=0.01, end="high"), 0.98),
    ("a range test of 30 steps, β = 0.9",
     *range_curve(3, 30, 1e-4, 3.0, floor=0.8, start=1.5, noise=0.01, end="nan"), 0.9),
    ("a range test of 60 steps, β = 0.7",
     *range_curve(4, 60, 1e-3, 10.0, floor=0.1, start=1.0, noise=0.05, end="high"), 0.7),
    ("a range test of 120 steps with 10 % noise per batch, as on real data",
     *range_curve(12, 120, 1e-5, 10.0, floor=0.3, start=2.3, noise=0.1, end="high"), 0.98),
]


def suggest_lr(learner: Callable) -> Feedback:
    """Check ``suggest_lr(lrs, losses, beta=0.98) -> α`` (the steepest descent of the smoothed
    curve, as ``descent.tuning.RangeTest.suggestion``)."""
    name = "suggest_lr"
    got: list[float | type | None] = []
    errors: list[LearnerError | None] = []
    for label, lrs, losses, beta in SUGGEST_CASES:
        try:
            value = call(name, learner, list(lrs), list(losses), beta)
        except LearnerError as error:
            if error.feedback.mistake in FINAL:
                return error.feedback
            got.append(raised(error))
            errors.append(error)
            continue
        if value is None:
            return failed(f"{name} returned None. Did you forget `return`?", "returned None")
        if number(value) is None:
            return failed(f"{name} returned {describe(value)}; return one learning rate, a "
                          "number.", "wrong type")
        got.append(number(value))
        errors.append(None)
    expected = [suggest_reference(lrs, losses, beta) for _, lrs, losses, beta in SUGGEST_CASES]

    def agrees(mine, theirs) -> bool:
        if isinstance(mine, float) and isinstance(theirs, float):
            return math.isclose(mine, theirs, rel_tol=1e-6)
        return mine == theirs  # the same exception type (or both None)

    wrong = [i for i, (g, e) in enumerate(zip(got, expected)) if not agrees(g, e)]
    if not wrong:
        return passed(f"{name} picks the same α as descent.tuning's RangeTest.suggestion() on "
                      f"all {len(SUGGEST_CASES)} range tests.")
    for mistake in SUGGEST_MISTAKES:
        outcomes = []
        for _, lrs, losses, beta in SUGGEST_CASES:
            try:
                outcomes.append(float(mistake.step(list(lrs), list(losses), beta)))
            except Exception as error:
                outcomes.append(type(error))
        if all(agrees(g, o) for g, o in zip(got, outcomes)):
            return failed(f"{name}: {mistake.name}. {mistake.advice}", mistake.name)
    first = wrong[0]
    label = SUGGEST_CASES[first][0]
    if errors[first] is not None:
        message = errors[first].feedback.message.removeprefix("❌ ")
        return failed(f"{message} ({label}). Check the rule: {SUGGEST_EQUATION}.", "exception")
    lrs = SUGGEST_CASES[first][1]
    where = min(range(len(lrs)), key=lambda i: abs(math.log(lrs[i]) - math.log(got[first]))) \
        if got[first] > 0 else None
    at = f" (the rate #{where} of {len(lrs)})" if where is not None and \
        math.isclose(lrs[where], got[first], rel_tol=1e-6) else ""
    return failed(f"{name} returns α = {got[first]:.6g}{at}, the reference {expected[first]:.6g} "
                  f"({label}). Check the rule: {SUGGEST_EQUATION}.", "unrecognized")


# ---------------------------------------------------------------------------
# 3. Debug: a loop with gradient accumulation, clipping and a per-step scheduler
# ---------------------------------------------------------------------------

@dataclass
class AccumulationRun:
    label: str
    model: torch.nn.Module
    optimizer: RecordingSGD
    scheduler: Any
    micro_batches: list[tuple[Tensor, Tensor]]
    accumulation_steps: int
    max_norm: float

    def weights(self) -> Tensor:
        return torch.cat([p.detach().flatten() for p in self.model.parameters()])

    def arguments(self) -> tuple:
        return (self.model, self.optimizer, self.scheduler, self.micro_batches,
                self.accumulation_steps, self.max_norm)


ACCUMULATION_SETTINGS = [  # (seed, micro-batches, size, k, max_norm, γ)
    (0, 12, 4, 3, 3.0, 0.7),
    (1, 8, 3, 2, 20.0, 0.8),
    (2, 10, 5, 5, 13.0, 0.5),
]


def accumulation_run(setting: int) -> AccumulationRun:
    """A small regression problem (float64): 3 inputs → 4 tanh units → 1 output, SGD α = 0.1,
    StepLR(step_size=1, gamma=γ) counting optimizer steps."""
    seed, count, size, k, max_norm, gamma = ACCUMULATION_SETTINGS[setting]
    g = torch.Generator().manual_seed(100 + seed)
    x = torch.randn(count * size, 3, generator=g, dtype=torch.float64)
    y = torch.sin(x @ torch.tensor([[1.0], [-2.0], [0.5]], dtype=torch.float64)) + 0.5
    model = torch.nn.Sequential(torch.nn.Linear(3, 4, dtype=torch.float64), torch.nn.Tanh(),
                                torch.nn.Linear(4, 1, dtype=torch.float64))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(2 * torch.randn(p.shape, generator=g, dtype=torch.float64))
    optimizer = RecordingSGD(model.parameters(), lr=0.1)
    scheduler = lr_scheduler.StepLR(optimizer, step_size=1, gamma=gamma)
    batches = [(x[i:i + size], y[i:i + size]) for i in range(0, count * size, size)]
    label = (f"{count} micro-batches of {size}, accumulation_steps = {k}, max_norm = {max_norm:g}, "
             f"StepLR(step_size=1, gamma={gamma:g})")
    return AccumulationRun(label, model, optimizer, scheduler, batches, k, max_norm)


def train_accumulated_reference(model, optimizer, scheduler, micro_batches, accumulation_steps,
                                max_norm):
    optimizer.zero_grad()
    for i, (x, y) in enumerate(micro_batches):
        loss = torch.nn.functional.mse_loss(model(x), y) / accumulation_steps
        loss.backward()
        if (i + 1) % accumulation_steps == 0:
            clipping.clip_grad_norm_(model.parameters(), max_norm)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()


def accumulation_loop(*, zero_grad_each: bool = False, clip: str = "after backward",
                      divide: bool = True, scheduler_per_micro: bool = False,
                      scheduler: bool = True, step_each: bool = False,
                      zero_grad: bool = True) -> Callable:
    """The loop with parts moved. ``clip``: "after backward" (right: once per optimizer step,
    after the last backward), "before backward" (before every backward, as in the buggy loop),
    "before last backward", "every backward" (after every backward), "none", "value"."""
    def loop(model, optimizer, scheduler_, micro_batches, accumulation_steps, max_norm):
        if zero_grad:
            optimizer.zero_grad()
        for i, (x, y) in enumerate(micro_batches):
            boundary = (i + 1) % accumulation_steps == 0 or step_each
            if zero_grad_each:
                optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), y)
            if divide:
                loss = loss / accumulation_steps
            if clip == "before backward" or (clip == "before last backward" and boundary):
                clipping.clip_grad_norm_(model.parameters(), max_norm)
            loss.backward()
            if clip == "every backward":
                clipping.clip_grad_norm_(model.parameters(), max_norm)
            if boundary:
                if clip == "after backward":
                    clipping.clip_grad_norm_(model.parameters(), max_norm)
                elif clip == "value":
                    clipping.clip_grad_value_(model.parameters(), max_norm)
                optimizer.step()
                if scheduler and not scheduler_per_micro:
                    scheduler_.step()
                if zero_grad:
                    optimizer.zero_grad()
            if scheduler and scheduler_per_micro:
                scheduler_.step()
    return loop


BUGS = {  # the four bugs of the loop in the sheet: (name, advice, the loop's setting)
    "zero_grad": ("zero_grad inside the accumulation loop",
                  "`optimizer.zero_grad()` before every micro-batch throws away the gradients "
                  "accumulated so far: the step uses the last micro-batch only. Clear the "
                  "gradients once per optimizer step, after `optimizer.step()`.",
                  {"zero_grad_each": True}),
    "clip": ("clipping before backward",
             "Before `loss.backward()` the gradients are not there yet (or only partly): clip "
             "once per optimizer step, after the last micro-batch's backward and just before "
             "`optimizer.step()`.", {"clip": "before backward"}),
    "divide": ("the loss not divided by the number of micro-batches",
               "Backward adds the gradients of the k micro-batches: their sum is k times the "
               "gradient of the big batch's mean loss. Divide each micro-batch's loss by "
               "`accumulation_steps` before `backward()`.", {"divide": False}),
    "scheduler": ("scheduler stepped per micro-batch",
                  "The schedule counts optimizer steps: call `scheduler.step()` right after "
                  "`optimizer.step()`, once every k micro-batches, not after every micro-batch.",
                  {"scheduler_per_micro": True}),
}


def bug_combinations() -> list[Mistake]:
    """Every non-empty set of the loop's four bugs, fewest first, named by the bugs left."""
    mistakes = []
    for size in range(1, len(BUGS) + 1):
        for keys in itertools.combinations(BUGS, size):
            settings: dict[str, Any] = {}
            for key in keys:
                settings.update(BUGS[key][2])
            names = "; ".join(BUGS[key][0] for key in keys)
            advice = " ".join(BUGS[key][1] for key in keys)
            mistakes.append(Mistake(names, advice, accumulation_loop(**settings)))
    return mistakes


ORIGINAL_BUGS = bug_combinations()
TRAIN_ACCUMULATED_MISTAKES = ORIGINAL_BUGS + [
    Mistake(BUGS["clip"][0], BUGS["clip"][1], accumulation_loop(clip="before last backward")),
    Mistake("clipping every micro-batch", "Clip the accumulated gradient once per optimizer "
            "step, after the last micro-batch's backward: clipping the partial sums after every "
            "backward shortens the early micro-batches' share.",
            accumulation_loop(clip="every backward")),
    Mistake("no clipping (or clipping after optimizer.step())", "Clip between the last "
            "`backward()` and `optimizer.step()`: after the step, the clipped gradients are "
            "only thrown away by zero_grad.", accumulation_loop(clip="none")),
    Mistake("clipped by value instead of by norm", "Use clip_grad_norm_(model.parameters(), "
            "max_norm): one factor for all gradients, which keeps the direction.",
            accumulation_loop(clip="value")),
    Mistake("optimizer.step() after every micro-batch", "Accumulate: step (and clip, and step "
            "the scheduler) only when (i + 1) % accumulation_steps == 0.",
            accumulation_loop(step_each=True)),
    Mistake("zero_grad never called", "After each `optimizer.step()`, clear the gradients with "
            "`optimizer.zero_grad()`, or the next step adds the old gradients again.",
            accumulation_loop(zero_grad=False)),
    Mistake("scheduler never stepped", "Call `scheduler.step()` after each `optimizer.step()`: "
            "the learning rate should fall at every optimizer step.",
            accumulation_loop(scheduler=False)),
]


def run_accumulation(loop: Callable, setting: int, name: str = "") -> AccumulationRun:
    run = accumulation_run(setting)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")            # step() order warnings
        if name:
            call(name, loop, *run.arguments())
        else:
            loop(*run.arguments())
    return run


def same_accumulation(a: AccumulationRun, b: AccumulationRun) -> bool:
    return (len(a.optimizer.rates) == len(b.optimizer.rates)
            and all(math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-15)
                    for u, v in zip(a.optimizer.rates, b.optimizer.rates))
            and torch.allclose(a.weights(), b.weights(), rtol=1e-9, atol=1e-12, equal_nan=True))


def train_accumulated(learner: Callable) -> Feedback:
    """Check ``train_accumulated(model, optimizer, scheduler, micro_batches, accumulation_steps,
    max_norm)`` (debug)."""
    name = "train_accumulated"
    settings = range(len(ACCUMULATION_SETTINGS))
    try:
        got = [run_accumulation(learner, s, name) for s in settings]
    except LearnerError as error:
        return error.feedback
    expected = [run_accumulation(train_accumulated_reference, s) for s in settings]
    failing = [s for s in settings if not same_accumulation(got[s], expected[s])]
    if not failing:
        return passed(f"{name} trains like the correct loop on all {len(got)} problems: one "
                      "optimizer step per accumulation_steps micro-batches, on the big batch's "
                      "mean loss, its gradient clipped, and the schedule stepped once per "
                      "optimizer step.")
    for mistake in TRAIN_ACCUMULATED_MISTAKES:
        if all(same_accumulation(got[s], run_accumulation(mistake.step, s)) for s in settings):
            bugs = mistake.name.count(";") + 1
            which = ("" if mistake not in ORIGINAL_BUGS else
                     "a bug of the loop is still there: " if bugs == 1 else
                     f"{bugs} bugs of the loop are still there: ")
            return failed(f"{name}: {which}{mistake.name}. {mistake.advice}", mistake.name)
    s = failing[0]
    mine, right = got[s], expected[s]
    if mine.optimizer.rates != right.optimizer.rates:
        detail = (f"the optimizer took {len(mine.optimizer.rates)} steps with learning rates "
                  f"{', '.join(f'{r:.4g}' for r in mine.optimizer.rates[:6])}; expected "
                  f"{len(right.optimizer.rates)} steps with "
                  f"{', '.join(f'{r:.4g}' for r in right.optimizer.rates[:6])}")
    else:
        detail = ("the learning rates are right but the final weights differ, "
                  f"{largest_difference(mine.weights(), right.weights())}")
    return failed(f"{name} does not train like the correct loop ({right.label}): {detail}. "
                  "For each micro-batch: loss / accumulation_steps, backward; every "
                  "accumulation_steps micro-batches: clip_grad_norm_, optimizer.step(), "
                  "scheduler.step(), zero_grad.", "unrecognized")
