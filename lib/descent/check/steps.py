"""Checks for optimizer step functions, and the catalogue of their common mistakes.

A learner's step function has the signature of :mod:`descent.optim`'s:
``step(param, grad, state, **hyperparameters)``; it updates ``param`` in
place and keeps what it needs between steps in the dict ``state``.

:func:`check_step_function` runs it beside the reference for several steps,
on several shapes, dtypes, devices and hyperparameter settings, then in a
short training runs (gradients cleared both ways PyTorch does it). When the
results differ, it replays each known :class:`Mistake` over the whole path of
every case; if one reproduces the learner's numbers (NaN included), the
feedback names it. Otherwise it reports where the paths part, with the largest
difference, and a hint when the difference is at float32 precision.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor

from descent import optim
from descent.check.feedback import (Feedback, Forbidden, LearnerError, call, close, describe,
                                    devices, failed, forbidden_module_use, forbidding,
                                    largest_difference, passed, precision_hint)
from descent.check.mistakes import Mistake, Step

# A step exercise is written from tensor operations, not by calling an optimizer.
STEP_FORBIDDEN = Forbidden(modules=("torch.optim", "descent.optim", "descent.fast"))


@dataclass
class Run:
    """One test case: the start, the gradients, the settings, and both paths of θ."""

    where: str
    param0: Tensor
    grads: list[Tensor]
    hyper: dict[str, Any]
    expected: list[Tensor]
    got: list[Tensor]

    def first_difference(self) -> int | None:
        """The first step (from 1) where the learner's θ differs from the reference's."""
        return next((t for t, (g, e) in enumerate(zip(self.got, self.expected), start=1)
                     if not close(g, e)), None)


def check_step_function(learner: Step, *, name: str, reference: Step,
                        settings: Sequence[dict[str, Any]], mistakes: Sequence[Mistake],
                        equation: str, steps: int = 6,
                        forbidden: Forbidden = STEP_FORBIDDEN) -> Feedback:
    """Compare ``learner`` with ``reference`` step by step on every case; when they differ,
    name the known mistake that reproduces the learner's whole path on every case."""
    shapes, dtypes = [(3,), (4, 5)], [torch.float64, torch.float32]
    cases = itertools.product(devices(), dtypes, shapes, settings)
    problem = forbidden_module_use(name, learner, forbidden)
    if problem:
        return problem
    try:
        with forbidding(forbidden):
            runs = []
            for case, (device, dtype, shape, hyper) in enumerate(cases):
                generator = torch.Generator().manual_seed(case)
                param0 = torch.randn(shape, generator=generator, dtype=dtype).to(device)
                grads = [torch.randn(shape, generator=generator, dtype=dtype).to(device)
                         for _ in range(steps)]
                expected = run(reference, param0, grads, hyper)
                got = run_learner(learner, name, param0, grads, hyper, expected)
                where = f"(shape {shape}, {dtype}, {device}, {format_settings(hyper)})"
                runs.append(Run(where, param0, grads, hyper, expected, got))
            failing = [r for r in runs if r.first_difference() is not None]
            if failing:
                return diagnose(name, mistakes, runs, failing[0], equation)
            return check_training_runs(learner, name, reference, settings[-1])
    except LearnerError as error:
        return error.feedback


def run(step: Step, param0: Tensor, grads: Sequence[Tensor], hyper: dict[str, Any]) -> list[Tensor]:
    """The parameter after each step of a trusted step function."""
    param, state, path = param0.clone(), {}, []
    for grad in grads:
        step(param, grad.clone(), state, **hyper)
        path.append(param.clone())
    return path


def run_learner(learner: Step, name: str, param0: Tensor, grads: Sequence[Tensor],
                hyper: dict[str, Any], expected: Sequence[Tensor]) -> list[Tensor]:
    """Like :func:`run`, watching for the mistakes that only show in how tensors are handled."""
    param, state, path, given = param0.clone(), {}, [], []
    for t, grad in enumerate(grads, start=1):
        grad_given = grad.clone()
        given.append((grad_given, grad))
        memory = param.data_ptr()
        result = call(name, learner, param, grad_given, state, **hyper)
        if param.data_ptr() != memory:
            raise LearnerError(failed(
                f"{name} gave `param` new memory (`param.data = ...` or `param.set_(...)`) "
                "instead of updating its values in place. Anything that shares the old memory, "
                "such as a flat buffer of all parameters (`descent.fast`), no longer sees the "
                "update: use `param -= ...`, `param.copy_(...)` or `param.sub_(...)`.",
                "param.data replaced"))
        if any(not torch.equal(mine, original) for mine, original in given):
            raise LearnerError(failed(
                f"{name} changed `grad` in place (for example `grad += weight_decay * param` "
                "or `grad.add_(...)`). The gradient belongs to the caller: compute a new "
                "tensor instead, `grad = grad + weight_decay * param`.", "input modified"))
        alias = aliased_state(state, param, grad_given)
        if alias:
            how = ("PyTorch zeroes `grad` in place with `zero_grad(set_to_none=False)`"
                   if alias == "grad" else "`param` changes at every step")
            raise LearnerError(failed(
                f"{name} keeps `{alias}` itself in `state` (state[...] = {alias}), not a copy. "
                f"The caller changes that tensor ({how}), so your stored value changes with "
                f"it. Store `{alias}.clone()`.", "state aliases " + alias))
        if not isinstance(param, Tensor) or param.shape != param0.shape:
            raise LearnerError(failed(f"{name} changed the shape of `param`.", "wrong shape"))
        if param.dtype != param0.dtype:
            raise LearnerError(failed(f"{name} changed the dtype of `param` to {param.dtype}.",
                                      "wrong dtype"))
        path.append(param.clone())
    if all(torch.equal(p, param0) for p in path) and not all(torch.equal(e, param0)
                                                             for e in expected):
        hint = (f" It returned {describe(result)}: the step must change `param` itself, "
                "not return a new tensor." if result is not None else "")
        raise LearnerError(failed(
            f"{name} never changed `param`: it is updated out of place, so the model "
            "never changes. `param = param - lr * g` only rebinds a local name; update "
            f"the tensor itself with `param -= lr * g` or `param.sub_(lr * g)`.{hint}",
            "out of place"))
    return path


def tensors_in(value: Any) -> Iterator[Tensor]:
    if isinstance(value, Tensor):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from tensors_in(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from tensors_in(v)


def aliased_state(state: dict, param: Tensor, grad: Tensor) -> str | None:
    """"grad" or "param" if a tensor kept in ``state`` shares its memory with it."""
    def storage(t: Tensor) -> int:
        return t.untyped_storage().data_ptr()
    for kept in tensors_in(state):
        if kept.numel() and storage(kept) == storage(grad):
            return "grad"
        if kept.numel() and storage(kept) == storage(param):
            return "param"
    return None


def diagnose(name: str, mistakes: Sequence[Mistake], runs: Sequence[Run], first: Run,
             equation: str) -> Feedback:
    """Name the first known mistake that reproduces the learner's whole path on every case
    it applies to (NaN where the learner has NaN); otherwise say where the paths part."""
    for mistake in mistakes:
        if reproduces(mistake, runs, first):
            return failed(f"{name}: {mistake.name}. {mistake.advice}", mistake.name)
    t = first.first_difference()
    got, expected = first.got[t - 1], first.expected[t - 1]
    if torch.isfinite(expected).all() and not torch.isfinite(got).all():
        return failed(f"{name}: the parameter became NaN or infinite at step {t} "
                      f"{first.where}. Check the equation: {equation}.", "not finite")
    float32_right = all(r.first_difference() is None for r in runs
                        if r.param0.dtype == torch.float32)
    hint = precision_hint(got, expected) if float32_right else ""
    mistake = "float32 precision" if hint else "unrecognized"
    return failed(f"{name}: after step {t} the parameter differs from the reference "
                  f"{first.where}: {largest_difference(got, expected)}.{hint} "
                  f"Check the equation: {equation}.", mistake)


def reproduces(mistake: Mistake, runs: Sequence[Run], first: Run) -> bool:
    """Does ``mistake`` give the learner's path on the first failing case and on every other
    case where it can run?"""
    for r in runs:
        try:
            wrong = run(mistake.step, r.param0, r.grads, r.hyper)
        except Exception:  # a mistake that does not apply to these settings
            if r is first:
                return False
            continue
        if not all(same_values(g, w) for g, w in zip(r.got, wrong)):
            return False
    return True


def same_values(got: Tensor, wrong: Tensor) -> bool:
    """Equal up to rounding, NaN and infinity included."""
    tolerance = 1e-9 if got.dtype == torch.float64 else 1e-4
    return torch.allclose(got, wrong, rtol=tolerance, atol=tolerance, equal_nan=True)


def check_training_runs(learner: Step, name: str, reference: Step,
                        hyper: dict[str, Any], steps: int = 30) -> Feedback:
    """Train a small linear model with the learner's step inside a torch optimizer, with
    both of PyTorch's ways to clear gradients (new tensors, or the same ones zeroed)."""
    for set_to_none in (True, False):
        # The reference first, outside any time limit: torch.optim imports parts of torch on
        # its first step, and an import interrupted by the learner's time limit breaks torch.
        losses = {label: train_linear_model(step, name, hyper, steps, set_to_none)
                  for label, step in (("reference", reference), ("learner", learner))}
        if not close(losses["learner"], losses["reference"]):
            how = "`zero_grad()`" if set_to_none else "`zero_grad(set_to_none=False)`"
            return failed(f"{name} matches the reference on single tensors but not inside a "
                          f"training run that clears gradients with {how} (loss "
                          f"{losses['learner'].item():.6g} instead of "
                          f"{losses['reference'].item():.6g}). Does it keep anything outside "
                          "`state`, such as a global variable, or a reference to `grad` or "
                          "`param` instead of a copy?", "training run")
    return passed(f"{name} matches the reference: every step on every test case, and "
                  f"{steps}-step training runs.")


def train_linear_model(step: Step, name: str, hyper: dict[str, Any], steps: int,
                       set_to_none: bool) -> Tensor:
    torch.manual_seed(0)
    x, y = torch.randn(64, 3, dtype=torch.float64), torch.randn(64, dtype=torch.float64)
    model = torch.nn.Linear(3, 1, dtype=torch.float64)
    optimizer = optimizer_from(step, model.parameters(), hyper)
    for _ in range(steps):
        optimizer.zero_grad(set_to_none=set_to_none)
        ((model(x).squeeze(1) - y) ** 2).mean().backward()
        call(name, optimizer.step)
    return ((model(x).squeeze(1) - y) ** 2).mean().detach()


def optimizer_from(step: Step, params: Any, hyper: dict[str, Any]) -> torch.optim.Optimizer:
    """A torch optimizer that applies ``step`` with ``hyper`` to every parameter."""
    learner_step = step

    class StepOptimizer(optim.ReferenceOptimizer):
        step_function = staticmethod(learner_step)
        hyperparameters = tuple(hyper)

    return StepOptimizer(params, dict(hyper))


def format_settings(hyper: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in hyper.items())
