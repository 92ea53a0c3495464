"""Checks for optimizer step functions, and the catalogue of their common mistakes.

A learner's step function has the signature of :mod:`descent.optim`'s:
``step(param, grad, state, **hyperparameters)``; it updates ``param`` in
place and keeps what it needs between steps in the dict ``state``.

:func:`check_step_function` runs it beside the reference for several steps,
on several shapes, dtypes, devices and hyperparameter settings, then in a
short training run. When the results differ, it replays each known
:class:`Mistake` on the same inputs; if one reproduces the learner's numbers,
the feedback names it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import torch
from torch import Tensor

from descent import optim
from descent.check.feedback import (Feedback, LearnerError, call, close, describe, devices, failed, passed)

from descent.check.mistakes import Mistake, Step


def check_step_function(learner: Step, *, name: str, reference: Step,
                        settings: Sequence[dict[str, Any]], mistakes: Sequence[Mistake],
                        equation: str, steps: int = 6) -> Feedback:
    """Compare ``learner`` with ``reference`` step by step; name the mistake when one matches."""
    shapes, dtypes = [(3,), (4, 5)], [torch.float64, torch.float32]
    cases = itertools.product(devices(), dtypes, shapes, settings)
    try:
        for case, (device, dtype, shape, hyper) in enumerate(cases):
            generator = torch.Generator().manual_seed(case)
            param0 = torch.randn(shape, generator=generator, dtype=dtype).to(device)
            grads = [torch.randn(shape, generator=generator, dtype=dtype).to(device)
                     for _ in range(steps)]
            expected = run(reference, param0, grads, hyper)
            got = run_learner(learner, name, param0, grads, hyper, expected)
            for t, (g, e) in enumerate(zip(got, expected), start=1):
                if not close(g, e):
                    where = f"(shape {shape}, {dtype}, {device}, {format_settings(hyper)})"
                    return diagnose(name, mistakes, param0, grads, hyper, got, t, e, where,
                                    equation)
        return check_training_run(learner, name, reference, settings[0])
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
    param, state, path = param0.clone(), {}, []
    for t, grad in enumerate(grads, start=1):
        grad_given, before = grad.clone(), param.clone()
        result = call(name, learner, param, grad_given, state, **hyper)
        if not torch.equal(grad_given, grad):
            raise LearnerError(failed(
                f"{name} changed `grad` in place (for example `grad += weight_decay * param` "
                "or `grad.add_(...)`). The gradient belongs to the caller: compute a new "
                "tensor instead, `grad = grad + weight_decay * param`.", "input modified"))
        if not isinstance(param, Tensor) or param.shape != param0.shape:
            raise LearnerError(failed(f"{name} changed the shape of `param`.", "wrong shape"))
        previous = expected[t - 2] if t > 1 else param0
        if torch.equal(param, before) and not torch.equal(expected[t - 1], previous):
            hint = (f" It returned {describe(result)}: the step must change `param` itself, "
                    "not return a new tensor." if result is not None else "")
            raise LearnerError(failed(
                f"{name} did not change `param`: it is updated out of place, so the model "
                "never changes. `param = param - lr * g` only rebinds a local name; update "
                f"the tensor itself with `param -= lr * g` or `param.sub_(lr * g)`.{hint}",
                "out of place"))
        path.append(param.clone())
    return path


def diagnose(name: str, mistakes: Sequence[Mistake], param0: Tensor, grads: Sequence[Tensor],
             hyper: dict[str, Any], got: Sequence[Tensor], t: int, expected: Tensor, where: str,
             equation: str) -> Feedback:
    """Name the first known mistake that reproduces the learner's first ``t`` steps."""
    for mistake in mistakes:
        try:
            wrong = run(mistake.step, param0, grads[:t], hyper)
        except Exception:  # a mistake that does not apply to these settings
            continue
        if all(close(g, w) for g, w in zip(got, wrong)):
            return failed(f"{name}: {mistake.name}. {mistake.advice}", mistake.name)
    if not torch.isfinite(got[t - 1]).all():
        return failed(f"{name}: the parameter became NaN or infinite at step {t} {where}. "
                      f"Check the equation: {equation}", "not finite")
    return failed(f"{name}: after step {t} the parameter differs from the reference {where}: "
                  f"expected {preview(expected)}, got {preview(got[t - 1])}. "
                  f"Check the equation: {equation}", "unrecognized")


def check_training_run(learner: Step, name: str, reference: Step,
                       hyper: dict[str, Any], steps: int = 30) -> Feedback:
    """Train a small linear model with the learner's step inside a torch optimizer."""
    losses = {}
    for label, step in (("learner", learner), ("reference", reference)):
        torch.manual_seed(0)
        x, y = torch.randn(64, 3, dtype=torch.float64), torch.randn(64, dtype=torch.float64)
        model = torch.nn.Linear(3, 1, dtype=torch.float64)
        optimizer = optimizer_from(step, model.parameters(), hyper)
        for _ in range(steps):
            optimizer.zero_grad()
            ((model(x).squeeze(1) - y) ** 2).mean().backward()
            call(name, optimizer.step)
        losses[label] = ((model(x).squeeze(1) - y) ** 2).mean().detach()
    if not close(losses["learner"], losses["reference"]):
        return failed(f"{name} matches the reference on single tensors but not inside a "
                      f"training run (loss {losses['learner'].item():.6g} instead of "
                      f"{losses['reference'].item():.6g}). Does it keep anything outside "
                      "`state`, such as a global variable?", "training run")
    return passed(f"{name} matches the reference: every step on every test case, and a "
                  f"{steps}-step training run.")


def optimizer_from(step: Step, params: Any, hyper: dict[str, Any]) -> torch.optim.Optimizer:
    """A torch optimizer that applies ``step`` with ``hyper`` to every parameter."""
    learner_step = step

    class StepOptimizer(optim.ReferenceOptimizer):
        step_function = staticmethod(learner_step)
        hyperparameters = tuple(hyper)

    return StepOptimizer(params, dict(hyper))


def format_settings(hyper: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in hyper.items())


def preview(tensor: Tensor) -> str:
    values = tensor.flatten()[:3].tolist()
    more = ", ..." if tensor.numel() > 3 else ""
    return "[" + ", ".join(f"{v:.6g}" for v in values) + more + "]"
