"""Checks for the exercises of the chapter "The training toolkit": an EMA of the weights,
gradient accumulation with micro-batches of any size, and a prediction about loss scaling in
float16."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor

from descent import averaging
from descent.check.feedback import (Feedback, LearnerError, call, close, describe, devices,
                                    failed, largest_difference, passed)
from descent.check.kinds import check_prediction
from descent.check.mistakes import Mistake

__all__ = ["ema_update", "accumulate_gradients", "predict_scaled_gradients"]


def storage(t: Tensor) -> int:
    return t.untyped_storage().data_ptr()


# ---------------------------------------------------------------------------
# 4. An exponential moving average of the weights
# ---------------------------------------------------------------------------

EMA_EQUATION = ("first update: θ̄ ← a copy of θ; then θ̄ ← β θ̄ + (1 − β) θ, with β = decay, "
                "for every parameter; the model's weights untouched")


def ema_reference(state, params, decay):
    """What descent.averaging.AveragedModel(model, avg_fn=ema_average(decay)) does."""
    params = [p.detach() for p in params]
    if "averaged" not in state:
        state["averaged"] = [p.clone() for p in params]
        return
    average = averaging.ema_average(decay)
    state["averaged"] = [average(a, p, 1) for a, p in zip(state["averaged"], params)]


def ema_variant(*, start: str = "copy", swap: bool = False, source: str = "weights",
                mean: bool = False) -> Callable:
    """The EMA with one part changed. ``start``: "copy" or "zeros"; ``source``: "weights" or
    "gradients"; ``mean``: SWA's running mean instead of the EMA."""
    def wrong(state, params, decay):
        current = [(p.grad if source == "gradients" else p).detach() for p in params]
        if "averaged" not in state:
            if start == "copy":
                state["averaged"], state["n"] = [c.clone() for c in current], 1
                return
            state["averaged"], state["n"] = [torch.zeros_like(c) for c in current], 0
        beta = 1 - decay if swap else decay
        n = state["n"]
        state["averaged"] = [a + (c - a) / (n + 1) if mean else beta * a + (1 - beta) * c
                             for a, c in zip(state["averaged"], current)]
        state["n"] = n + 1
    return wrong


EMA_MISTAKES = [
    Mistake("β and 1 − β swapped", "The average keeps most of itself: θ̄ ← β θ̄ + (1 − β) θ with "
            "β = decay close to 1. Swapped, it follows the last weights almost exactly.",
            ema_variant(swap=True)),
    Mistake("the average starts at zero", "Before the first update there is nothing to "
            "average: copy the weights, θ̄ ← θ. Started at 0, the average is pulled towards 0 "
            "for about 1 / (1 − β) updates (the bias Adam corrects in m and v).",
            ema_variant(start="zeros")),
    Mistake("the average starts at zero", "Before the first update there is nothing to "
            "average: copy the weights, θ̄ ← θ. Started at 0, the average is pulled towards 0 "
            "for about 1 / (1 − β) updates.", ema_variant(start="zeros", swap=True)),
    Mistake("the gradients averaged instead of the weights", "The EMA of the weights averages "
            "`p` itself (its values), not `p.grad`: that would be a momentum buffer.",
            ema_variant(source="gradients")),
    Mistake("the gradients averaged instead of the weights", "The EMA of the weights averages "
            "`p` itself (its values), not `p.grad`: that would be a momentum buffer.",
            ema_variant(source="gradients", start="zeros")),
    Mistake("SWA's mean instead of the EMA", "The running mean θ̄ + (θ − θ̄)/(n + 1) gives every "
            "weight the same share (that is SWA); the EMA forgets old weights geometrically: "
            "θ̄ ← β θ̄ + (1 − β) θ.", ema_variant(mean=True)),
]


def ema_trajectory(seed: int, dtype: torch.dtype, device: str, steps: int = 6):
    """Parameters of three shapes, and for each step a gradient and the step θ ← θ − 0.3 g."""
    g = torch.Generator().manual_seed(seed)
    shapes = [(3,), (2, 4), ()]
    params = [torch.randn(s, generator=g, dtype=dtype).to(device).requires_grad_(True)
              for s in shapes]
    grads = [[torch.randn(s, generator=g, dtype=dtype).to(device) for s in shapes]
             for _ in range(steps)]
    return params, grads


@dataclass
class EmaCase:
    label: str
    seed: int
    dtype: torch.dtype
    device: str
    decay: float


EMA_CASES = [EmaCase(f"decay = {decay}, {dtype}, {device}", seed, dtype, device, decay)
             for device in devices() for dtype in (torch.float64, torch.float32)
             for seed, decay in enumerate((0.9, 0.5, 0.99))]


def run_ema(function: Callable, case: EmaCase, name: str = "") -> list[list[Tensor]]:
    """The averaged tensors after each update, for a short training trajectory; with ``name``
    (the learner's function), also watch for the mistakes that show in how tensors are held."""
    params, grads = ema_trajectory(case.seed, case.dtype, case.device)
    state: dict = {}
    path = []
    for t, step_grads in enumerate(grads, start=1):
        with torch.no_grad():
            for p, g in zip(params, step_grads):
                p.grad = g.clone()
                p.sub_(0.3 * g)
        if not name:
            function(state, iter(params), case.decay)
            path.append([a.detach().clone() for a in state["averaged"]])
            continue
        before = [p.detach().clone() for p in params]
        try:
            call(name, function, state, iter(params), case.decay)
        except LearnerError as error:
            if "leaf Variable" in error.feedback.message or "in-place" in error.feedback.message:
                raise LearnerError(weights_changed(name)) from None
            raise
        if any(not torch.equal(p.detach(), b) for p, b in zip(params, before)):
            raise LearnerError(weights_changed(name))
        averaged = state.get("averaged") if isinstance(state, dict) else None
        problem = check_averaged(name, averaged, params, t)
        if problem:
            raise LearnerError(problem)
        path.append([a.detach().clone() for a in averaged])
    return path


def weights_changed(name: str) -> Feedback:
    return failed(f"{name} changed the model's weights. The average is a separate copy: update "
                  "the tensors in `state['averaged']` and leave `params` as they are (the "
                  "model goes on training from its own weights).", "the model's weights changed")


def check_averaged(name: str, averaged: Any, params: Sequence[Tensor], t: int) -> Feedback | None:
    where = "after the first update" if t == 1 else f"after update {t}"
    if averaged is None:
        return failed(f"{name}: `state['averaged']` is missing {where}. Keep the average there, "
                      "a list with one tensor per parameter.", "average not kept in state")
    if not isinstance(averaged, (list, tuple)) or len(averaged) != len(params) \
            or not all(isinstance(a, Tensor) for a in averaged):
        return failed(f"{name}: `state['averaged']` is {describe(averaged)} {where}; it should "
                      f"be a list of {len(params)} tensors, one per parameter, in order.",
                      "wrong type")
    for a, p in zip(averaged, params):
        if a.shape != p.shape or a.dtype != p.dtype or a.device != p.device:
            return failed(f"{name}: the average of a parameter of shape {tuple(p.shape)} and dtype "
                          f"{p.dtype} is {describe(a)}; keep the parameter's shape, dtype and "
                          "device (p.detach().clone()).", "wrong shape")
        if a.numel() and storage(a) == storage(p):
            return failed(f"{name}: the average is the model's weights themselves, not a copy "
                          f"({where}): `state['averaged']` shares their memory, so every "
                          "optimizer step changes the \"average\" too. Store copies: "
                          "`[p.detach().clone() for p in params]`.", "no copy of the weights")
        if a.requires_grad:
            return failed(f"{name}: the average keeps the autograd graph ({where}): each update "
                          "links it to every earlier one, and memory grows at every step. "
                          "Compute it from `p.detach()` or under `torch.no_grad()`.",
                          "keeps the autograd graph")
    return None


def ema_update(learner: Callable) -> Feedback:
    """Check ``ema_update(state, params, decay)``: the EMA of the weights, as torch's
    ``AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay))``."""
    name = "ema_update"
    runs = []
    try:
        for case in EMA_CASES:
            got = run_ema(learner, case, name)
            runs.append((case, got, run_ema(ema_reference, case)))
    except LearnerError as error:
        return error.feedback

    def same_path(a: list[list[Tensor]], b: list[list[Tensor]]) -> bool:
        return all(close(x, y) for xs, ys in zip(a, b) for x, y in zip(xs, ys))

    failing = [r for r in runs if not same_path(r[1], r[2])]
    if not failing:
        return passed(f"{name} matches descent.averaging.AveragedModel with ema_average(decay) "
                      f"on all {len(runs)} training trajectories, update after update.")
    for mistake in EMA_MISTAKES:
        if all(same_path(got, run_ema(mistake.step, case)) for case, got, _ in runs):
            return failed(f"{name}: {mistake.name}. {mistake.advice}", mistake.name)
    case, got, expected = failing[0]
    t = next(t for t, (xs, ys) in enumerate(zip(got, expected))
             if not all(close(x, y) for x, y in zip(xs, ys)))
    index = next(i for i, (x, y) in enumerate(zip(got[t], expected[t])) if not close(x, y))
    return failed(f"{name}: after update {t + 1}, the average of parameter {index} differs "
                  f"({case.label}): {largest_difference(got[t][index], expected[t][index])}. "
                  f"Check the rule: {EMA_EQUATION}.", "unrecognized")


# ---------------------------------------------------------------------------
# 5. Gradient accumulation with micro-batches of any size
# ---------------------------------------------------------------------------

ACCUMULATE_EQUATION = ("with n_j examples in micro-batch j and N = Σ n_j, backward on "
                       "loss_fn(model(x_j), y_j) · n_j / N for each j; return the mean loss over "
                       "all N examples")


@dataclass
class AccumulateCase:
    label: str
    seed: int
    sizes: tuple[int, ...]
    loss: str  # "cross_entropy" or "mse"


ACCUMULATE_CASES = [
    AccumulateCase("3 micro-batches of 4, cross-entropy", 0, (4, 4, 4), "cross_entropy"),
    AccumulateCase("micro-batches of 5, 5 and 2, cross-entropy", 1, (5, 5, 2), "cross_entropy"),
    AccumulateCase("micro-batches of 3, 6, 1 and 2, mean squared error", 2, (3, 6, 1, 2), "mse"),
    AccumulateCase("one micro-batch of 7, cross-entropy", 3, (7,), "cross_entropy"),
    AccumulateCase("micro-batches of 8 and 3, mean squared error", 4, (8, 3), "mse"),
]


def accumulate_problem(case: AccumulateCase):
    """A small network (4 → 5 tanh → 3, float64) and micro-batches of ``case.sizes``."""
    g = torch.Generator().manual_seed(case.seed)
    model = torch.nn.Sequential(torch.nn.Linear(4, 5, dtype=torch.float64), torch.nn.Tanh(),
                                torch.nn.Linear(5, 3, dtype=torch.float64))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64))
    batches = []
    for n in case.sizes:
        x = torch.randn(n, 4, generator=g, dtype=torch.float64)
        y = torch.randint(0, 3, (n,), generator=g) if case.loss == "cross_entropy" else \
            torch.randn(n, 3, generator=g, dtype=torch.float64)
        batches.append((x, y))
    loss_fn = torch.nn.functional.cross_entropy if case.loss == "cross_entropy" else \
        torch.nn.functional.mse_loss
    return model, loss_fn, batches


def accumulate_reference(model, loss_fn, micro_batches):
    """The big batch in one piece: the gradient accumulation must reproduce this."""
    x = torch.cat([x for x, _ in micro_batches])
    y = torch.cat([y for _, y in micro_batches])
    loss = loss_fn(model(x), y)
    loss.backward()
    return loss.item()


def accumulate_variant(*, weight: str = "size", zero_between: bool = False,
                       returned: str = "mean") -> Callable:
    """Accumulation with one part changed. ``weight``: "size" (n_j / N, right), "none",
    "count" (1 / k), "sum" (n_j, a sum over the examples); ``returned``: "mean" (right),
    "last", "sum" (of the micro-batches' losses), "mean of means"."""
    def wrong(model, loss_fn, micro_batches):
        total, k = sum(len(x) for x, _ in micro_batches), len(micro_batches)
        losses = []
        for x, y in micro_batches:
            if zero_between:
                model.zero_grad()
            loss = loss_fn(model(x), y)
            losses.append((loss.item(), len(x)))
            factor = {"size": len(x) / total, "none": 1.0, "count": 1 / k, "sum": len(x)}[weight]
            (loss * factor).backward()
        return {"mean": sum(v * n for v, n in losses) / total, "last": losses[-1][0],
                "sum": sum(v for v, _ in losses),
                "mean of means": sum(v for v, _ in losses) / k}[returned]
    return wrong


ACCUMULATE_MISTAKES = [
    Mistake("the micro-batch losses not divided", "backward() adds up: k micro-batch means "
            "give k times the gradient. Weight each micro-batch's loss by n_j / N.",
            accumulate_variant(weight="none")),
    Mistake("divided by k with an uneven last batch", "Dividing each mean by the number of "
            "micro-batches k is right only when they are all the same size. With n_j examples "
            "in micro-batch j and N in all, weight its mean loss by n_j / N: then every example "
            "counts the same, as in the big batch.", accumulate_variant(weight="count")),
    Mistake("gradients cleared between micro-batches", "zero_grad before each micro-batch "
            "throws away the gradients accumulated so far: only the last one is left. Clear "
            "them once, before accumulating (here they start at None).",
            accumulate_variant(zero_between=True)),
    Mistake("gradients cleared between micro-batches", "zero_grad before each micro-batch "
            "throws away the gradients accumulated so far: only the last one is left. Clear "
            "them once, before accumulating (here they start at None).",
            accumulate_variant(zero_between=True, weight="count")),
    Mistake("gradients cleared between micro-batches", "zero_grad before each micro-batch "
            "throws away the gradients accumulated so far: only the last one is left. Clear "
            "them once, before accumulating (here they start at None).",
            accumulate_variant(zero_between=True, weight="none")),
    Mistake("multiplied by n_j but not divided by N", "loss · n_j is the micro-batch's sum "
            "of losses: the total is the big batch's sum, N times its mean. Divide by N too.",
            accumulate_variant(weight="sum")),
]

ACCUMULATE_RETURN_MISTAKES = [
    ("returns the last micro-batch's loss", "Return the mean loss over all N examples, "
     "Σ_j n_j · loss_j / N.", accumulate_variant(returned="last")),
    ("returns the sum of the micro-batch losses", "Return the mean loss over all N examples, "
     "Σ_j n_j · loss_j / N.", accumulate_variant(returned="sum")),
    ("returns the mean of the micro-batch means", "With micro-batches of different sizes the "
     "mean of their means is not the mean over the examples: return Σ_j n_j · loss_j / N.",
     accumulate_variant(returned="mean of means")),
]


@dataclass
class Accumulated:
    grads: list[Tensor | None]
    returned: Any


def run_accumulate(function: Callable, case: AccumulateCase, name: str = "") -> Accumulated:
    model, loss_fn, batches = accumulate_problem(case)
    if not name:
        returned = function(model, loss_fn, batches)
        return Accumulated([p.grad for p in model.parameters()], returned)
    before = [p.detach().clone() for p in model.parameters()]
    returned = call(name, function, model, loss_fn, batches)
    if any(not torch.equal(p.detach(), b) for p, b in zip(model.parameters(), before)):
        raise LearnerError(failed(f"{name} changed the model's weights. It only computes the "
                                  "gradients; the optimizer steps afterwards.",
                                  "parameters changed"))
    return Accumulated([p.grad for p in model.parameters()], returned)


def same_gradients(a: Sequence[Tensor | None], b: Sequence[Tensor | None]) -> bool:
    return all((x is None) == (y is None) and (x is None or close(x, y)) for x, y in zip(a, b))


def accumulate_gradients(learner: Callable) -> Feedback:
    """Check ``accumulate_gradients(model, loss_fn, micro_batches) -> mean loss``."""
    name = "accumulate_gradients"
    runs = []
    for case in ACCUMULATE_CASES:
        try:
            got = run_accumulate(learner, case, name)
        except LearnerError as error:
            if runs and any(not same_gradients(g.grads, e.grads) for _, g, e in runs):
                break  # a wrong gradient on an earlier case says more
            return error.feedback
        runs.append((case, got, run_accumulate(accumulate_reference, case)))
    for case, got, _ in runs:
        if all(g is None for g in got.grads):
            return failed(f"{name} left every `.grad` None ({case.label}): call `backward()` on "
                          "each micro-batch's (weighted) loss.", "no gradients")
    failing = [r for r in runs if not same_gradients(r[1].grads, r[2].grads)]
    if failing:
        for mistake in ACCUMULATE_MISTAKES:
            if all(same_gradients(got.grads, run_accumulate(mistake.step, case).grads)
                   for case, got, _ in runs):
                return failed(f"{name}: {mistake.name}. {mistake.advice}", mistake.name)
        case, got, expected = failing[0]
        index = next(i for i, (g, e) in enumerate(zip(got.grads, expected.grads))
                     if not same_gradients([g], [e]))
        detail = "is None" if got.grads[index] is None else \
            f"differs: {largest_difference(got.grads[index], expected.grads[index])}"
        return failed(f"{name}: the gradient of parameter {index} {detail} ({case.label}). "
                      f"Check: {ACCUMULATE_EQUATION}.", "unrecognized")
    for case, got, expected in runs:
        if got.returned is None:
            return failed(f"{name} returned None. The gradients are right; now return the mean "
                          "loss over all the examples, a Python float.", "returned None")
        value = got.returned.detach().item() if isinstance(got.returned, Tensor) and \
            got.returned.numel() == 1 else got.returned
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return failed(f"{name} returned {describe(got.returned)}; return the mean loss, a "
                          "number (`loss.item()`).", "wrong type")
        if not math.isclose(value, expected.returned, rel_tol=1e-9, abs_tol=1e-12):
            for mistake, advice, variant in ACCUMULATE_RETURN_MISTAKES:
                if all(math.isclose(float(g.returned), run_accumulate(variant, c).returned,
                                    rel_tol=1e-9) for c, g, _ in runs):
                    return failed(f"{name}: {mistake}. {advice}", mistake)
            return failed(f"{name} computes the right gradients but returned {value:.10g}; the "
                          f"mean loss over all the examples is {expected.returned:.10g} "
                          f"({case.label}).", "unrecognized")
    return passed(f"{name} gives the gradient of the big batch's mean loss, and that loss, on "
                  f"all {len(runs)} cases, uneven micro-batches included.")


# ---------------------------------------------------------------------------
# 6. Predict, then run: float16 gradients with the loss scaled by 2^16
# ---------------------------------------------------------------------------

SCALED_CHOICES = {
    "small": "that the smallest gradients are lost (they underflow to 0)",
    "large": "that the largest gradients are lost (they overflow to infinity)",
    "both": "that both ends are lost",
    "none": "that every gradient survives",
}

SCALED_WHY_NOT = {
    "small": "Without scaling they would be: float16's smallest positive number is 2⁻²⁴ ≈ 6e−8. "
             "Multiplied by 2¹⁶, 1e−9 becomes 6.6e−5, inside float16's range.",
    "both": "The scale moves the whole range up by 2¹⁶: the small ones are saved, and only the "
            "large ones fall off the top, past 65504.",
    "none": "float16's largest number is 65504: a gradient of 4 times 2¹⁶ = 262144 does not "
            "fit. That is why GradScaler checks for infinities, skips that step and halves the "
            "scale.",
}

TRUE_GRADIENTS = (1e-9, 1e-7, 1e-5, 1e-2, 4.0)


def float16_gradients(scale: float) -> list[float]:
    """The gradients TRUE_GRADIENTS of float16 weights, from a float32 loss multiplied by
    ``scale``, divided by ``scale`` afterwards in float32 (as GradScaler unscales)."""
    weights = torch.ones(len(TRUE_GRADIENTS), dtype=torch.float16, requires_grad=True)
    coefficients = torch.tensor(TRUE_GRADIENTS, dtype=torch.float32)
    loss = (coefficients * weights.float()).sum()      # ∂loss/∂wᵢ = coefficientᵢ
    (loss * scale).backward()                           # the gradient is stored in float16
    return (weights.grad.float() / scale).tolist()


def scaled_experiment() -> tuple[str, str]:
    plain, scaled = float16_gradients(1.0), float16_gradients(2.0**16)

    def show(values: list[float]) -> str:
        return "[" + ", ".join("0" if v == 0 else "inf" if math.isinf(v) else f"{v:.2g}"
                               for v in values) + "]"
    small_lost = scaled[0] == 0.0
    large_lost = math.isinf(scaled[-1])
    outcome = {(True, True): "both", (True, False): "small", (False, True): "large",
               (False, False): "none"}[(small_lost, large_lost)]
    evidence = (f"True gradients {show(list(TRUE_GRADIENTS))}; float16 without scaling: "
                f"{show(plain)}; float16 with the loss × 2¹⁶, divided by 2¹⁶ afterwards: "
                f"{show(scaled)}. GradScaler sees the infinity, skips the step and halves the "
                "scale, until the largest gradient fits.")
    return outcome, evidence


def predict_scaled_gradients(learner: Callable) -> Feedback:
    """Check the prediction for float16 gradients with the loss scaled by 2^16, then run it."""
    return check_prediction(learner, name="predict_scaled_gradients", choices=SCALED_CHOICES,
                            experiment=scaled_experiment, why_not=SCALED_WHY_NOT)
