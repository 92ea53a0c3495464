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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor

from descent import optim
from descent.check.feedback import (Feedback, LearnerError, call, close, describe, devices,
                                    failed, passed)

Step = Callable[..., Any]


@dataclass
class Mistake:
    """A known wrong way to write a step, and what to tell the learner who made it."""

    name: str
    advice: str
    step: Step


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


# ---------------------------------------------------------------------------
# Mistakes that any step function can make
# ---------------------------------------------------------------------------

def sign_flipped(step: Step) -> Mistake:
    def wrong(param, grad, state, **hyper):
        step(param, -grad, state, **hyper)
    return Mistake("gradient sign flipped", "Every step goes uphill: the update subtracts the "
                   "step direction, θ ← θ − α·(direction), and the direction follows +g.", wrong)


def state_not_kept(step: Step) -> Mistake:
    def wrong(param, grad, state, **hyper):
        step(param, grad, {}, **hyper)
    return Mistake("state not kept between steps", "The running averages (or the velocity) "
                   "start again from zero at every call. Store them in the `state` dict, e.g. "
                   "`state['momentum_buffer']`, and read them back on the next call.", wrong)


# ---------------------------------------------------------------------------
# Momentum and Nesterov (PyTorch's form)
# ---------------------------------------------------------------------------

def momentum_reference(param, grad, state, *, lr, momentum, dampening):
    optim.sgd_step(param, grad, state, lr=lr, momentum=momentum, dampening=dampening)


def momentum_dampened_first_step(param, grad, state, *, lr, momentum, dampening):
    b = state.setdefault("momentum_buffer", torch.zeros_like(param))
    b.mul_(momentum).add_((1 - dampening) * grad)
    param.sub_(lr * b)


def momentum_dampening_as_weight(param, grad, state, *, lr, momentum, dampening):
    if "momentum_buffer" not in state:
        state["momentum_buffer"] = grad.clone()
    else:
        state["momentum_buffer"].mul_(momentum).add_(dampening * grad)
    param.sub_(lr * state["momentum_buffer"])


def article_momentum(param, grad, state, *, lr, momentum, dampening=0.0):
    previous = state.get("previous_grad", torch.zeros_like(grad))
    param.sub_(lr * grad - momentum * previous)
    state["previous_grad"] = grad.clone()


MOMENTUM_MISTAKES = [
    Mistake("dampening misapplied", "On the first step the buffer is the gradient itself, "
            "b₁ = g₁; dampening τ only scales the new gradient from the second step on: "
            "b_t = β·b_{t−1} + (1 − τ)·g_t.", momentum_dampened_first_step),
    Mistake("dampening misapplied", "The new gradient is weighted by (1 − τ), not by τ: "
            "b_t = β·b_{t−1} + (1 − τ)·g_t.", momentum_dampening_as_weight),
    Mistake("this is the source article's \"momentum\"", "Adding β times the previous "
            "gradient is not momentum. Keep a velocity: b_t = β·b_{t−1} + g_t, "
            "θ_t = θ_{t−1} − α·b_t.", article_momentum),
    sign_flipped(momentum_reference),
    Mistake("state not kept between steps: this is plain SGD", "Keep the velocity in "
            "`state` (e.g. `state['momentum_buffer']`) so that it carries over to the next "
            "call, and step along it: θ_t = θ_{t−1} − α·b_t.",
            state_not_kept(momentum_reference).step),
]


def nesterov_reference(param, grad, state, *, lr, momentum):
    optim.sgd_step(param, grad, state, lr=lr, momentum=momentum, nesterov=True)


def plain_momentum(param, grad, state, *, lr, momentum):
    optim.sgd_step(param, grad, state, lr=lr, momentum=momentum)


def nesterov_with_old_buffer(param, grad, state, *, lr, momentum):
    old = state.get("momentum_buffer", torch.zeros_like(param)).clone()
    optim.sgd_step(param, grad, state, lr=lr, momentum=momentum)  # θ −= α b_t
    param.add_(lr * state["momentum_buffer"])                       # undo it
    param.sub_(lr * (grad + momentum * old))                        # θ −= α (g + β b_{t−1})


NESTEROV_MISTAKES = [
    Mistake("this is plain momentum, not Nesterov", "Nesterov steps along the look-ahead "
            "direction g_t + β·b_t, not along b_t.", plain_momentum),
    Mistake("look-ahead uses the old buffer", "Update the buffer first, b_t = β·b_{t−1} + g_t, "
            "then step along g_t + β·b_t (the new buffer).", nesterov_with_old_buffer),
    sign_flipped(nesterov_reference),
    state_not_kept(nesterov_reference),
]


# ---------------------------------------------------------------------------
# RMSprop
# ---------------------------------------------------------------------------

def rmsprop_reference(param, grad, state, *, lr, alpha, eps):
    optim.rmsprop_step(param, grad, state, lr=lr, alpha=alpha, eps=eps)


def rmsprop_eps_inside(param, grad, state, *, lr, alpha, eps):
    v = state.setdefault("square_avg", torch.zeros_like(param))
    v.mul_(alpha).add_((1 - alpha) * grad * grad)
    param.sub_(lr * grad / (v + eps).sqrt())


def rmsprop_weights_swapped(param, grad, state, *, lr, alpha, eps):
    v = state.setdefault("square_avg", torch.zeros_like(param))
    v.mul_(1 - alpha).add_(alpha * grad * grad)
    param.sub_(lr * grad / (v.sqrt() + eps))


def rmsprop_without_root(param, grad, state, *, lr, alpha, eps):
    v = state.setdefault("square_avg", torch.zeros_like(param))
    v.mul_(alpha).add_((1 - alpha) * grad * grad)
    param.sub_(lr * grad / (v + eps))


def article_rmsprop(param, grad, state, *, lr, alpha, eps):
    param.sub_(lr * grad / (1 + alpha * grad * grad).sqrt())


EPS_INSIDE = ("ε inside the square root", "PyTorch's RMSprop and Adam add ε outside the root: "
              "divide by (√v + ε), not by √(v + ε).")

RMSPROP_MISTAKES = [
    Mistake(*EPS_INSIDE, rmsprop_eps_inside),
    Mistake("ρ and 1 − ρ swapped", "The running average keeps ρ of the old value and adds "
            "(1 − ρ) of the new: v_t = ρ·v_{t−1} + (1 − ρ)·g_t².", rmsprop_weights_swapped),
    Mistake("square root missing", "Divide by the root mean square, √v_t + ε, not by v_t.",
            rmsprop_without_root),
    Mistake("this is the source article's formula", "g/√(1 + β·g²) keeps no running average. "
            "RMSprop divides by the root of v_t = ρ·v_{t−1} + (1 − ρ)·g_t².", article_rmsprop),
    sign_flipped(rmsprop_reference),
    state_not_kept(rmsprop_reference),
]


# ---------------------------------------------------------------------------
# Adam and AdamW
# ---------------------------------------------------------------------------

def adam_reference(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    optim.adam_step(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                    weight_decay=weight_decay)


def adamw_reference(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    optim.adamw_step(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                     weight_decay=weight_decay)


def adam_variant(*, correct_m: bool = True, correct_v: bool = True, eps_inside: bool = False,
                 reset_step: bool = False) -> Step:
    """Adam with one part changed, for the catalogue of mistakes (L2 weight decay inside)."""
    def step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
        if weight_decay:
            grad = grad + weight_decay * param
        adam_core(param, grad, state, lr, beta1, beta2, eps, correct_m, correct_v, eps_inside,
                  reset_step)
    return step


def adamw_variant(**changes: bool) -> Step:
    """AdamW with one part of the Adam step changed."""
    def step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
        param.mul_(1 - lr * weight_decay)
        adam_variant(**changes)(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                                weight_decay=0.0)
    return step


def adam_core(param, grad, state, lr, beta1, beta2, eps, correct_m, correct_v, eps_inside,
              reset_step):
    m = state.setdefault("m", torch.zeros_like(param))
    v = state.setdefault("v", torch.zeros_like(param))
    t = 1 if reset_step else state.get("t", 0) + 1
    state["t"] = t
    m.mul_(beta1).add_((1 - beta1) * grad)
    v.mul_(beta2).add_((1 - beta2) * grad * grad)
    m_hat = m / (1 - beta1**t) if correct_m else m
    v_hat = v / (1 - beta2**t) if correct_v else v
    denominator = (v_hat + eps).sqrt() if eps_inside else v_hat.sqrt() + eps
    param.sub_(lr * m_hat / denominator)


def adamw_decay_without_lr(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param.mul_(1 - weight_decay)
    optim.adam_step(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def adamw_decay_after_step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    optim.adam_step(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    param.mul_(1 - lr * weight_decay)


BIAS_CORRECTION = ("bias correction missing", "m and v start at 0, so early on they are too "
                   "small. Divide them by (1 − β₁ᵗ) and (1 − β₂ᵗ) before the update: "
                   "m̂_t = m_t/(1 − β₁ᵗ), v̂_t = v_t/(1 − β₂ᵗ).")
HALF_CORRECTION = ("bias correction applied to only one average", "Correct both: "
                   "m̂_t = m_t/(1 − β₁ᵗ) and v̂_t = v_t/(1 − β₂ᵗ).")
ARTICLE_ADAM = ("this is the source article's Adam: bias correction missing and ε inside the "
                "square root", "Use θ ← θ − α·m̂_t/(√v̂_t + ε) with m̂_t = m_t/(1 − β₁ᵗ), "
                "v̂_t = v_t/(1 − β₂ᵗ).")
STEP_COUNT = ("step count t not kept between steps", "The bias correction needs the number of "
              "steps so far; keep it in `state`, e.g. `state['step'] += 1`.")


def adam_family_mistakes(variant: Callable[..., Step], reference: Step) -> list[Mistake]:
    return [
        Mistake(*BIAS_CORRECTION, variant(correct_m=False, correct_v=False)),
        Mistake(*ARTICLE_ADAM, variant(correct_m=False, correct_v=False, eps_inside=True)),
        Mistake(*HALF_CORRECTION, variant(correct_m=False)),
        Mistake(*HALF_CORRECTION, variant(correct_v=False)),
        Mistake(*EPS_INSIDE, variant(eps_inside=True)),
        Mistake(*STEP_COUNT, variant(reset_step=True)),
        sign_flipped(reference),
        state_not_kept(reference),
    ]


ADAM_MISTAKES = [
    Mistake("weight decay decoupled, but Adam couples it", "Adam's weight decay is an L2 "
            "penalty: add λθ to the gradient before the averages, g ← g + λθ. Shrinking θ "
            "directly is AdamW.", adamw_reference),
    *adam_family_mistakes(adam_variant, adam_reference),
]

ADAMW_MISTAKES = [
    Mistake("weight decay coupled where it should be decoupled", "Adding λθ to the gradient "
            "is Adam with L2. AdamW shrinks the weights directly, θ ← (1 − αλ)·θ, and runs the "
            "Adam step on the raw gradient.", adam_reference),
    Mistake("weight decay not scaled by the learning rate", "Decay by (1 − αλ), not (1 − λ): "
            "θ ← (1 − αλ)·θ.", adamw_decay_without_lr),
    Mistake("weight decay applied after the Adam step", "Decay θ first, θ ← (1 − αλ)·θ, then "
            "take the Adam step.", adamw_decay_after_step),
    *adam_family_mistakes(adamw_variant, adamw_reference),
]
