"""Checks for the optimizer exercises (chapter: Optimizers): step functions and their mistakes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from descent import optim
from descent.check.feedback import Feedback
from descent.check.mistakes import Mistake, sign_flipped, state_not_kept
from descent.check.steps import Step, check_step_function

__all__ = ["momentum_step", "nesterov_step", "rmsprop_step", "adam_step", "adamw_step"]


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


def momentum_without_dampening(param, grad, state, *, lr, momentum, dampening):
    optim.sgd_step(param, grad, state, lr=lr, momentum=momentum)


def momentum_weights_swapped(param, grad, state, *, lr, momentum, dampening):
    if "momentum_buffer" not in state:
        state["momentum_buffer"] = grad.clone()
    else:
        state["momentum_buffer"] = (1 - dampening) * state["momentum_buffer"] + momentum * grad
    param.sub_(lr * state["momentum_buffer"])


def momentum_as_nesterov(param, grad, state, *, lr, momentum, dampening):
    momentum_reference(param, grad, state, lr=0.0, momentum=momentum, dampening=dampening)
    param.sub_(lr * (grad + momentum * state["momentum_buffer"]))


MOMENTUM_MISTAKES = [
    Mistake("β and (1 − τ) swapped", "β keeps the old buffer and (1 − τ) scales the new "
            "gradient: b_t = β·b_{t−1} + (1 − τ)·g_t.", momentum_weights_swapped),
    Mistake("this is Nesterov's step, not plain momentum", "Plain momentum steps along the "
            "buffer itself, θ_t = θ_{t−1} − α·b_t, not along g_t + β·b_t.",
            momentum_as_nesterov),
    Mistake("dampening ignored", "From the second step on, the new gradient is scaled by "
            "(1 − τ): b_t = β·b_{t−1} + (1 − τ)·g_t.", momentum_without_dampening),
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


def nesterov_variant(*, average: bool = False, gradient_weight: float = 1.0,
                     buffer_weight: float | None = None, gradient_term: bool = True) -> Step:
    """Nesterov with one part changed: the buffer as an average, or the look-ahead's terms."""
    def step(param, grad, state, *, lr, momentum):
        if "momentum_buffer" not in state:
            state["momentum_buffer"] = grad.clone()
        else:
            new = (1 - momentum) * grad if average else grad
            state["momentum_buffer"] = momentum * state["momentum_buffer"] + new
        beta_b = (momentum if buffer_weight is None else buffer_weight) * state["momentum_buffer"]
        g = gradient_weight * grad if gradient_term else 0
        param.sub_(lr * (g + beta_b))
    return step


def nesterov_beta_on_gradient(param, grad, state, *, lr, momentum):
    nesterov_variant(gradient_weight=momentum, buffer_weight=1.0)(param, grad, state, lr=lr,
                                                                  momentum=momentum)


NESTEROV_MISTAKES = [
    Mistake("the buffer is averaged with (1 − β)", "PyTorch's buffer adds the whole gradient: "
            "b_t = β·b_{t−1} + g_t, not β·b_{t−1} + (1 − β)·g_t.", nesterov_variant(average=True)),
    Mistake("g_t is missing from the look-ahead", "Nesterov steps along g_t + β·b_t, not β·b_t.",
            nesterov_variant(gradient_term=False)),
    Mistake("β is missing from the look-ahead", "Nesterov steps along g_t + β·b_t, not "
            "g_t + b_t.", nesterov_variant(buffer_weight=1.0)),
    Mistake("β multiplies the gradient instead of the buffer", "Nesterov steps along "
            "g_t + β·b_t, not β·g_t + b_t.", nesterov_beta_on_gradient),
    Mistake("this is plain momentum, not Nesterov", "Nesterov steps along the look-ahead "
            "direction g_t + β·b_t, not along b_t.", plain_momentum),
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

def rmsprop_variant(*, bias_correction: bool = False, first_square: bool = False,
                    square: bool = True, eps_on_step: bool = False,
                    swap_rates: bool = False, alpha_as_rate: bool = False) -> Step:
    """RMSprop with one part changed, for the catalogue of mistakes."""
    def step(param, grad, state, *, lr, alpha, eps):
        rate, decay = (alpha, lr) if swap_rates else (lr, alpha)
        rate = alpha if alpha_as_rate else rate
        g2 = grad * grad if square else grad
        t = state["t"] = state.get("t", 0) + 1
        if first_square and "square_avg" not in state:
            state["square_avg"] = g2.clone()
        else:
            v = state.get("square_avg", torch.zeros_like(param))
            state["square_avg"] = decay * v + (1 - decay) * g2
        v = state["square_avg"] / (1 - decay**t) if bias_correction else state["square_avg"]
        if eps_on_step:
            param.sub_(rate * grad / v.sqrt() + eps)
        else:
            param.sub_(rate * grad / (v.sqrt() + eps))
    return step


EPS_ON_STEP = ("ε added to the step instead of the denominator", "Mind the parentheses: "
               "α·g/(√v + ε), not α·g/√v + ε.")

RMSPROP_MISTAKES = [
    Mistake("bias correction added (RMSprop has none)", "PyTorch's RMSprop divides by √v_t + ε "
            "with v_t = ρ·v_{t−1} + (1 − ρ)·g_t², without Adam's 1/(1 − ρᵗ).",
            rmsprop_variant(bias_correction=True)),
    Mistake("v starts at g₁² instead of 0", "v₀ = 0, so v₁ = (1 − ρ)·g₁².",
            rmsprop_variant(first_square=True)),
    Mistake("the gradient is not squared", "The running average is of g², "
            "v_t = ρ·v_{t−1} + (1 − ρ)·g_t²; a negative average has no square root (NaN).",
            rmsprop_variant(square=False)),
    Mistake("`alpha` (ρ, a decay rate) used as the learning rate", "In PyTorch's names the step "
            "size α is `lr`; `alpha` is ρ, the decay of the running average: "
            "θ ← θ − lr·g/(√v + ε).", rmsprop_variant(alpha_as_rate=True)),
    Mistake("learning rate and decay rate swapped", "`lr` is α, the step size; `alpha` is ρ, the "
            "decay of the running average (PyTorch's names).", rmsprop_variant(swap_rates=True)),
    Mistake(*EPS_ON_STEP, rmsprop_variant(eps_on_step=True)),
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


def adam_variant(*, correct_m: bool = True, correct_v: bool = True, eps_at: str = "denominator",
                 reset_step: bool = False, count_from_zero: bool = False,
                 swap_betas: bool = False, l2_in_m_only: bool = False) -> Step:
    """Adam with one part changed, for the catalogue of mistakes (L2 weight decay inside).

    ``eps_at`` says where ε goes: "denominator" (right, √v̂ + ε), "inside" (√(v̂ + ε)),
    "after_ratio" (α·(m̂/√v̂ + ε)) or "on_step" (α·m̂/√v̂ + ε).
    """
    def step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
        decayed = grad + weight_decay * param if weight_decay else grad
        if swap_betas:
            beta1, beta2 = beta2, beta1
        m = state.setdefault("m", torch.zeros_like(param))
        v = state.setdefault("v", torch.zeros_like(param))
        t = 1 if reset_step else state.get("t", -1 if count_from_zero else 0) + 1
        state["t"] = t
        m.mul_(beta1).add_((1 - beta1) * decayed)
        v.mul_(beta2).add_((1 - beta2) * (grad if l2_in_m_only else decayed) ** 2)
        m_hat = m / (1 - beta1**t) if correct_m else m
        v_hat = v / (1 - beta2**t) if correct_v else v
        param.sub_(adam_update(m_hat, v_hat, lr, eps, eps_at))
    return step


def adam_update(m_hat: Tensor, v_hat: Tensor, lr: float, eps: float, placement: str) -> Tensor:
    if placement == "inside":
        return lr * m_hat / (v_hat + eps).sqrt()
    if placement == "after_ratio":
        return lr * (m_hat / v_hat.sqrt() + eps)
    if placement == "on_step":
        return lr * m_hat / v_hat.sqrt() + eps
    return lr * m_hat / (v_hat.sqrt() + eps)


def adamw_variant(**changes: Any) -> Step:
    """AdamW with one part of the Adam step changed."""
    def step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
        param.mul_(1 - lr * weight_decay)
        adam_variant(**changes)(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                                weight_decay=0.0)
    return step


def adamw_with_l2_too(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param.mul_(1 - lr * weight_decay)
    adam_reference(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                   weight_decay=weight_decay)


def adamw_decay_grows(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param.mul_(1 + lr * weight_decay)
    adam_reference(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                   weight_decay=0.0)


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
COUNT_FROM_ZERO = ("step count t starts at 0", "On the first step t = 1: with t = 0 the bias "
                   "correction divides by 1 − β⁰ = 0. Increase t before using it.")


def adam_family_mistakes(variant: Callable[..., Step], reference: Step) -> list[Mistake]:
    return [
        Mistake(*BIAS_CORRECTION, variant(correct_m=False, correct_v=False)),
        Mistake(*ARTICLE_ADAM, variant(correct_m=False, correct_v=False, eps_at="inside")),
        Mistake(*HALF_CORRECTION, variant(correct_m=False)),
        Mistake(*HALF_CORRECTION, variant(correct_v=False)),
        Mistake(*EPS_INSIDE, variant(eps_at="inside")),
        Mistake(*EPS_ON_STEP, variant(eps_at="on_step")),
        Mistake("ε added to the ratio instead of the denominator", "ε belongs in the "
                "denominator: α·m̂/(√v̂ + ε), not α·(m̂/√v̂ + ε).", variant(eps_at="after_ratio")),
        Mistake("β₁ and β₂ swapped", "β₁ (0.9 by default) averages the gradient in m; β₂ "
                "(0.999) averages its square in v.", variant(swap_betas=True)),
        Mistake(*STEP_COUNT, variant(reset_step=True)),
        Mistake(*COUNT_FROM_ZERO, variant(count_from_zero=True)),
        sign_flipped(reference),
        state_not_kept(reference),
    ]


def without_weight_decay(step: Step) -> Step:
    def wrong(param, grad, state, **hyper):
        step(param, grad, state, **{**hyper, "weight_decay": 0.0})
    return wrong


ADAM_MISTAKES = [
    Mistake("the L2 term is added for m but not for v", "Add λθ to the gradient once, before "
            "both averages: g ← g + λθ, then m and v from that g.",
            adam_variant(l2_in_m_only=True)),
    Mistake("weight decay missing", "With λ ≠ 0, add the L2 term to the gradient first: "
            "g ← g + λθ.", without_weight_decay(adam_reference)),
    Mistake("weight decay decoupled, but Adam couples it", "Adam's weight decay is an L2 "
            "penalty: add λθ to the gradient before the averages, g ← g + λθ. Shrinking θ "
            "directly is AdamW.", adamw_reference),
    *adam_family_mistakes(adam_variant, adam_reference),
]

ADAMW_MISTAKES = [
    Mistake("both decoupled decay and L2 applied", "AdamW only shrinks the weights, "
            "θ ← (1 − αλ)·θ; do not also add λθ to the gradient.", adamw_with_l2_too),
    Mistake("the weights grow instead of decaying", "Multiply by (1 − αλ), not (1 + αλ).",
            adamw_decay_grows),
    Mistake("weight decay missing", "AdamW first shrinks the weights, θ ← (1 − αλ)·θ, then "
            "takes the Adam step.", without_weight_decay(adamw_reference)),
    Mistake("weight decay coupled where it should be decoupled", "Adding λθ to the gradient "
            "is Adam with L2. AdamW shrinks the weights directly, θ ← (1 − αλ)·θ, and runs the "
            "Adam step on the raw gradient.", adam_reference),
    Mistake("weight decay not scaled by the learning rate", "Decay by (1 − αλ), not (1 − λ): "
            "θ ← (1 − αλ)·θ.", adamw_decay_without_lr),
    Mistake("weight decay applied after the Adam step", "Decay θ first, θ ← (1 − αλ)·θ, then "
            "take the Adam step.", adamw_decay_after_step),
    *adam_family_mistakes(adamw_variant, adamw_reference),
]


def momentum_step(learner: Callable) -> Feedback:
    """Check ``momentum_step(param, grad, state, *, lr, momentum, dampening)`` (PyTorch's form)."""
    return check_step_function(
        learner, name="momentum_step", reference=momentum_reference, mistakes=MOMENTUM_MISTAKES,
        settings=[dict(lr=0.1, momentum=0.9, dampening=0.0),
                  dict(lr=0.05, momentum=0.8, dampening=0.3)],
        equation="b₁ = g₁, b_t = β·b_{t−1} + (1 − τ)·g_t, θ_t = θ_{t−1} − α·b_t")


def nesterov_step(learner: Callable) -> Feedback:
    """Check ``nesterov_step(param, grad, state, *, lr, momentum)``."""
    return check_step_function(
        learner, name="nesterov_step", reference=nesterov_reference, mistakes=NESTEROV_MISTAKES,
        settings=[dict(lr=0.1, momentum=0.9), dict(lr=0.02, momentum=0.5)],
        equation="b_t = β·b_{t−1} + g_t (b₁ = g₁), θ_t = θ_{t−1} − α·(g_t + β·b_t)")


def rmsprop_step(learner: Callable) -> Feedback:
    """Check ``rmsprop_step(param, grad, state, *, lr, alpha, eps)`` (ρ is ``alpha``)."""
    return check_step_function(
        learner, name="rmsprop_step", reference=rmsprop_reference, mistakes=RMSPROP_MISTAKES,
        settings=[dict(lr=0.01, alpha=0.99, eps=1e-8), dict(lr=0.1, alpha=0.9, eps=1e-3)],
        equation="v_t = ρ·v_{t−1} + (1 − ρ)·g_t², θ_t = θ_{t−1} − α·g_t/(√v_t + ε)")


def adam_step(learner: Callable) -> Feedback:
    """Check ``adam_step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay)``."""
    return check_step_function(
        learner, name="adam_step", reference=adam_reference, mistakes=ADAM_MISTAKES,
        settings=[dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0),
                  dict(lr=0.1, beta1=0.5, beta2=0.9, eps=1e-3, weight_decay=0.1)],
        equation="g ← g + λθ; m_t = β₁m + (1 − β₁)g; v_t = β₂v + (1 − β₂)g²; "
                 "m̂ = m_t/(1 − β₁ᵗ); v̂ = v_t/(1 − β₂ᵗ); θ ← θ − α·m̂/(√v̂ + ε)")


def adamw_step(learner: Callable) -> Feedback:
    """Check ``adamw_step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay)``."""
    return check_step_function(
        learner, name="adamw_step", reference=adamw_reference, mistakes=ADAMW_MISTAKES,
        settings=[dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1),
                  dict(lr=0.1, beta1=0.5, beta2=0.9, eps=1e-3, weight_decay=0.5)],
        equation="θ ← (1 − αλ)·θ; then Adam on the raw gradient: m̂/(√v̂ + ε)")


# ---------------------------------------------------------------------------
# Adagrad, the heavy ball, and the size of Adam's first step
# ---------------------------------------------------------------------------

import math  # noqa: E402

from descent.check.feedback import (LearnerError, call, close, devices, failed,  # noqa: E402
                                    forbidding, largest_difference, passed)
from descent.check.functions import Case  # noqa: E402
from descent.check.kinds import check_formula  # noqa: E402
from descent.check.steps import STEP_FORBIDDEN  # noqa: E402

__all__ += ["adagrad_step", "heavy_ball_step", "adam_first_step"]


def adagrad_reference(param, grad, state, *, lr, eps):
    optim.adagrad_step(param, grad, state, lr=lr, eps=eps)


def adagrad_variant(*, accumulate: Callable | None = None, denominator: Callable | None = None,
                    start: float = 0.0, before_update: bool = False,
                    eps_added_to_step: bool = False) -> Step:
    """Adagrad with one part changed, for the catalogue of mistakes.

    ``accumulate(s, g, t)`` returns the new sum (default s + g²), ``denominator(s, eps)``
    what the gradient is divided by (default √s + ε)."""
    def step(param, grad, state, *, lr, eps):
        s = state.get("sum", torch.full_like(param, start))
        t = state["t"] = state.get("t", 0) + 1
        new = accumulate(s, grad, t) if accumulate else s + grad * grad
        state["sum"] = new
        used = s if before_update else new
        if eps_added_to_step:
            param.sub_(lr * grad / used.sqrt() + eps)
        else:
            param.sub_(lr * grad / (denominator(used, eps) if denominator else used.sqrt() + eps))
    return step


def adagrad_first_counted_twice(param, grad, state, *, lr, eps):
    s = state.setdefault("sum", grad * grad)
    s.add_(grad * grad)
    param.sub_(lr * grad / (s.sqrt() + eps))


def adagrad_as_rmsprop(rho: float) -> Step:
    return adagrad_variant(accumulate=lambda s, g, t: rho * s + (1 - rho) * g * g)


def adagrad_mean_of_squares(param, grad, state, *, lr, eps):
    s = state["sum"] = state.get("sum", torch.zeros_like(param)) + grad * grad
    t = state["t"] = state.get("t", 0) + 1
    param.sub_(lr * grad / ((s / t).sqrt() + eps))


AS_RMSPROP = ("running average instead of sum (this is RMSprop)", "Adagrad never forgets: "
              "it adds every squared gradient to the sum, s_t = s_{t−1} + g_t², without "
              "decay factors.")

ADAGRAD_MISTAKES = [
    Mistake(*EPS_INSIDE[:1], "PyTorch's Adagrad adds ε outside the root: divide by "
            "(√s_t + ε), not by √(s_t + ε).",
            adagrad_variant(denominator=lambda s, eps: (s + eps).sqrt())),
    *[Mistake(*AS_RMSPROP, adagrad_as_rmsprop(rho)) for rho in (0.9, 0.99, 0.999, 0.95, 0.5)],
    Mistake("mean instead of sum", "s_t is the sum of all squared gradients so far, not their "
            "mean: do not divide by t.", adagrad_mean_of_squares),
    Mistake("square root missing", "Divide by the root of the sum, √s_t + ε, not by s_t.",
            adagrad_variant(denominator=lambda s, eps: s + eps)),
    Mistake("the sum is updated after the step", "Add g_t² to the sum first, then divide by "
            "√s_t + ε: the current gradient counts in its own step (on the first step "
            "s_1 = g_1², and the step is about α in every coordinate).",
            adagrad_variant(before_update=True)),
    Mistake("the sum adds g, not g²", "Accumulate squared gradients, s_t = s_{t−1} + g_t²; a "
            "sum of signed gradients can turn negative, and its root is NaN.",
            adagrad_variant(accumulate=lambda s, g, t: s + g)),
    Mistake("the first gradient counted twice", "Start the sum at 0 and add g_t² once per "
            "call: s_1 = g_1², not 2g_1² (initializing the sum with g² and then adding g² "
            "again).", adagrad_first_counted_twice),
    Mistake("the sum adds |g|, not g²", "Accumulate squared gradients, s_t = s_{t−1} + g_t², "
            "then divide by √s_t + ε.", adagrad_variant(accumulate=lambda s, g, t: s + g.abs())),
    Mistake("the sum adds |g|, not g²", "Accumulate squared gradients, s_t = s_{t−1} + g_t², "
            "then divide by √s_t + ε.", adagrad_variant(accumulate=lambda s, g, t: s + g.abs(),
                                                         denominator=lambda s, eps: s + eps)),
    Mistake("one sum for the whole tensor", "Adagrad keeps one sum per coordinate: "
            "s_t = s_{t−1} + g_t² element-wise, not the squared norm Σ g².",
            adagrad_variant(accumulate=lambda s, g, t: s + (g * g).sum())),
    Mistake("ε added to the step, not to the denominator", "Mind the parentheses: "
            "θ −= α·g/(√s_t + ε), not α·g/√s_t + ε.", adagrad_variant(eps_added_to_step=True)),
    Mistake("the sum does not start at 0", "PyTorch's default initial_accumulator_value is 0: "
            "start with s_0 = 0 (Keras starts at 0.1).", adagrad_variant(start=0.1)),
    sign_flipped(adagrad_reference),
    Mistake("state not kept between steps", "The sum starts again from zero at every call, so "
            "every step is α·g/(|g| + ε). Keep s in `state` and add to it.",
            state_not_kept(adagrad_reference).step),
]



def adagrad_step(learner: Callable) -> Feedback:
    """Check ``adagrad_step(param, grad, state, *, lr, eps)`` (PyTorch's Adagrad, no decay)."""
    return check_step_function(
        learner, name="adagrad_step", reference=adagrad_reference, mistakes=ADAGRAD_MISTAKES,
        settings=[dict(lr=0.1, eps=1e-3), dict(lr=0.5, eps=0.1)],
        equation="s_t = s_{t−1} + g_t² (s_0 = 0), θ_t = θ_{t−1} − α·g_t/(√s_t + ε)")


# The heavy ball: θ_{t+1} = θ_t − α∇J(θ_t) + β(θ_t − θ_{t−1}), θ_{−1} = θ_0.

def heavy_ball_reference(param, grad, state, *, lr, momentum):
    previous = state.get("previous_param", param)                  # θ_{t−1} (θ_0 at first)
    step = -lr * grad + momentum * (param - previous)
    state["previous_param"] = param.clone()                        # remember θ_t
    param.add_(step)                                               # θ_{t+1}


def heavy_ball_variant(*, beta_sign: float = 1.0, start_at_zero: bool = False,
                       after_gradient_step: bool = False) -> Step:
    def step(param, grad, state, *, lr, momentum):
        previous = state.get("previous_param", torch.zeros_like(param) if start_at_zero
                             else param.clone())
        state["previous_param"] = param.clone()
        if after_gradient_step:
            param.sub_(lr * grad)
            param.add_(momentum * (param - previous))
        else:
            param.add_(-lr * grad + beta_sign * momentum * (param - previous))
    return step


def heavy_ball_frozen_previous(param, grad, state, *, lr, momentum):
    previous = state.setdefault("previous_param", param.clone())
    param.add_(-lr * grad + momentum * (param - previous))


def plain_gradient_descent(param, grad, state, *, lr, momentum):
    param.sub_(lr * grad)


def heavy_ball_with_previous_gradient(param, grad, state, *, lr, momentum):
    previous = state.get("previous_grad", torch.zeros_like(grad))
    param.add_(-lr * grad + momentum * previous)
    state["previous_grad"] = grad.clone()


def heavy_ball_beta_on_gradient(param, grad, state, *, lr, momentum):
    param.add_(-lr * grad + momentum * grad)


def heavy_ball_averaged_velocity(first_is_gradient: bool) -> Step:
    def step(param, grad, state, *, lr, momentum):
        if "v" not in state:
            state["v"] = grad.clone() if first_is_gradient else (1 - momentum) * grad
        else:
            state["v"] = momentum * state["v"] + (1 - momentum) * grad
        param.sub_(lr * state["v"])
    return step


def pytorch_momentum(param, grad, state, *, lr, momentum):
    optim.sgd_step(param, grad, state, lr=lr, momentum=momentum)


AVERAGED_VELOCITY = ("the velocity is an average, not a sum", "The heavy ball adds the whole "
                     "previous step, β(θ_t − θ_{t−1}); a velocity v = βv + (1 − β)g shrinks "
                     "the steps by (1 − β).")

HEAVY_BALL_MISTAKES = [
    Mistake("sign of the β term flipped", "The momentum term continues the previous step: "
            "+β(θ_t − θ_{t−1}), not −β(θ_t − θ_{t−1}).", heavy_ball_variant(beta_sign=-1.0)),
    Mistake("previous parameter not used: this is plain gradient descent", "θ_t − θ_{t−1} "
            "was always 0. Keep a copy of θ_t in `state` for the next call, and store it "
            "only after you have used the old one: read θ_{t−1}, compute the step, then "
            "`state['previous'] = param.clone()`, then update `param`.", plain_gradient_descent),
    Mistake("the previous parameter is never updated", "θ_{t−1} stayed θ_0, so the β term "
            "pulls back towards the start. Store a copy of θ_t at every call, not only the "
            "first (`state.setdefault` sets it only once).", heavy_ball_frozen_previous),
    Mistake("θ₋₁ starts at 0, not at θ₀", "On the first call there is no previous step: take "
            "θ_{−1} = θ_0 (a copy of `param`), so that the first step is plain gradient "
            "descent.", heavy_ball_variant(start_at_zero=True)),
    Mistake("the momentum term uses the parameter after the gradient step", "Both terms use θ_t, "
            "the parameter before this call changes it: compute "
            "−α∇J(θ_t) + β(θ_t − θ_{t−1}) first, then add it.",
            heavy_ball_variant(after_gradient_step=True)),
    Mistake("this is the source article's \"momentum\": β times the previous gradient",
            "Momentum adds the previous *step* θ_t − θ_{t−1}, which already points downhill, "
            "not β·∇J(θ_{t−1}).", heavy_ball_with_previous_gradient),
    Mistake("β multiplies the gradient (the article's example)", "θ − α·g + β·g is gradient "
            "descent with rate α − β. The β term is β(θ_t − θ_{t−1}).",
            heavy_ball_beta_on_gradient),
    Mistake(*AVERAGED_VELOCITY, heavy_ball_averaged_velocity(first_is_gradient=False)),
    Mistake(*AVERAGED_VELOCITY, heavy_ball_averaged_velocity(first_is_gradient=True)),
    sign_flipped(heavy_ball_reference),
]

HEAVY_BALL_SCHEDULE = [0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01]
HEAVY_BALL_SCHEDULE_MISTAKES = [
    Mistake("this is PyTorch's momentum (a buffer of gradients), not the heavy ball", "The two "
            "agree while α is constant, but when α changes PyTorch's form rescales the whole "
            "velocity at once (its buffer holds gradients). The heavy ball adds the previous "
            "step itself: θ_{t+1} = θ_t − α_t∇J(θ_t) + β(θ_t − θ_{t−1}); keep θ_{t−1}, or a "
            "velocity v = βv − α_t g that holds steps.", pytorch_momentum),
    *HEAVY_BALL_MISTAKES,
]


def run_with_rates(step: Step, param0, grads, rates, momentum: float, name: str = "") -> list:
    """θ after each step of ``step`` when the learning rate changes between calls."""
    param, state, path = param0.clone(), {}, []
    for grad, lr in zip(grads, rates):
        if name:
            call(name, step, param, grad.clone(), state, lr=lr, momentum=momentum)
        else:
            step(param, grad.clone(), state, lr=lr, momentum=momentum)
        path.append(param.clone())
    return path


def check_heavy_ball_schedule(learner: Step, name: str, equation: str) -> Feedback | None:
    """With a learning rate that drops tenfold, the heavy ball and PyTorch's form part."""
    generator = torch.Generator().manual_seed(123)
    param0 = torch.randn(5, generator=generator, dtype=torch.float64)
    grads = [torch.randn(5, generator=generator, dtype=torch.float64)
             for _ in HEAVY_BALL_SCHEDULE]
    expected = run_with_rates(heavy_ball_reference, param0, grads, HEAVY_BALL_SCHEDULE, 0.9)
    with forbidding(STEP_FORBIDDEN):
        got = run_with_rates(learner, param0, grads, HEAVY_BALL_SCHEDULE, 0.9, name=name)
    if all(close(g, e) for g, e in zip(got, expected)):
        return None
    for mistake in HEAVY_BALL_SCHEDULE_MISTAKES:
        wrong = run_with_rates(mistake.step, param0, grads, HEAVY_BALL_SCHEDULE, 0.9)
        if all(torch.allclose(g, w, rtol=1e-9, atol=1e-9, equal_nan=True)
               for g, w in zip(got, wrong)):
            return failed(f"{name}: {mistake.name}. {mistake.advice}", mistake.name)
    t = next(t for t, (g, e) in enumerate(zip(got, expected), start=1) if not close(g, e))
    return failed(f"{name} is right while the learning rate stays the same, but not when it "
                  f"changes between calls (α = 0.1 for 4 steps, then 0.01): after step {t}, "
                  f"{largest_difference(got[t - 1], expected[t - 1])}. Does it keep α from an "
                  f"earlier call? Check the equation: {equation}.", "unrecognized")


def heavy_ball_step(learner: Callable) -> Feedback:
    """Check ``heavy_ball_step(param, grad, state, *, lr, momentum)`` (Polyak's form)."""
    name = "heavy_ball_step"
    equation = "θ_{t+1} = θ_t − α∇J(θ_t) + β(θ_t − θ_{t−1}), θ_{−1} = θ_0"
    feedback = check_step_function(
        learner, name=name, reference=heavy_ball_reference, mistakes=HEAVY_BALL_MISTAKES,
        settings=[dict(lr=0.1, momentum=0.9), dict(lr=0.05, momentum=0.5)], equation=equation)
    if not feedback.passed:
        return feedback
    try:
        problem = check_heavy_ball_schedule(learner, name, equation)
    except LearnerError as error:
        return error.feedback
    if problem:
        return problem
    return passed(f"{feedback.message[2:]} It also stays the heavy ball when the learning "
                  "rate changes between calls.")


# The size of Adam's first step: m̂_1 = g, v̂_1 = g², so θ_0 − θ_1 = α·g/(|g| + ε).

def adam_first_step_reference(lr, beta1, beta2, eps, grad):
    param = torch.zeros_like(grad)
    optim.adam_step(param, grad, {}, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    return -param                                                  # θ_0 − θ_1, with θ_0 = 0


def first_step_formula(formula: Callable) -> Callable:
    def wrong(lr, beta1, beta2, eps, grad):
        return formula(lr, beta1, beta2, eps, grad)
    return wrong


def adam_first_step_from_t0(lr, beta1, beta2, eps, grad):
    with torch.no_grad():
        m_hat = (1 - beta1) * grad / (1 - beta1**0 + grad.new_zeros(()))
        v_hat = (1 - beta2) * grad * grad / (1 - beta2**0 + grad.new_zeros(()))
        return lr * m_hat / (v_hat.sqrt() + eps)


ADAM_FIRST_STEP_MISTAKES = [
    Mistake("the norm of g instead of its elementwise size", "Adam works coordinate by "
            "coordinate: v̂_1 = g² elementwise, so the step is α·g/(|g| + ε) with |g| per "
            "element, not the norm ‖g‖.", lambda a, b1, b2, e, g: a * g / (g.norm() + e)),
    Mistake("ε added to the step instead of the denominator", "Mind the parentheses: "
            "α·g/(|g| + ε), not α·g/|g| + ε.", lambda a, b1, b2, e, g: a * g / g.abs() + e),
    Mistake("|g| replaced by g in the denominator", "√(v̂_1) = √(g²) = |g|, not g: the step is "
            "α·g/(|g| + ε), whose sign is the sign of g.", lambda a, b1, b2, e, g: a * g / (g + e)),
    Mistake("bias correction missing", "m_1 = (1 − β₁)g and v_1 = (1 − β₂)g² are too small; "
            "after dividing them by 1 − β₁ and 1 − β₂ the betas cancel: m̂_1 = g, v̂_1 = g².",
            lambda a, b1, b2, e, g: a * (1 - b1) * g / (math.sqrt(1 - b2) * g.abs() + e)),
    Mistake("this is the source article's Adam: bias correction missing and ε inside the "
            "square root", "With PyTorch's Adam, m̂_1 = g and v̂_1 = g², and ε is added "
            "outside the root: α·m̂_1/(√v̂_1 + ε).",
            lambda a, b1, b2, e, g: a * (1 - b1) * g / ((1 - b2) * g * g + e).sqrt()),
    Mistake("bias correction applied to only one average", "Correct both: m̂_1 = m_1/(1 − β₁) "
            "= g and v̂_1 = v_1/(1 − β₂) = g².",
            lambda a, b1, b2, e, g: a * g / (math.sqrt(1 - b2) * g.abs() + e)),
    Mistake("bias correction applied to only one average", "Correct both: m̂_1 = m_1/(1 − β₁) "
            "= g and v̂_1 = v_1/(1 − β₂) = g².",
            lambda a, b1, b2, e, g: a * (1 - b1) * g / (g.abs() + e)),
    Mistake("ε ignored: α·sign(g)", "α·sign(g) is the limit for |g| ≫ ε. Here the gradients "
            "are about as small as ε, and the step is α·g/(|g| + ε): keep ε in the "
            "denominator.", lambda a, b1, b2, e, g: a * torch.sign(g)),
    Mistake(*EPS_INSIDE[:1], "PyTorch's Adam adds ε outside the root: √v̂_1 + ε = |g| + ε.",
            lambda a, b1, b2, e, g: a * g / (g * g + e).sqrt()),
    Mistake("ε added before the bias correction", "That is the paper's \"efficient\" form, "
            "whose ε is really ε·√(1 − β₂ᵗ). PyTorch divides by √v̂ + ε with "
            "v̂_1 = v_1/(1 − β₂) = g².",
            lambda a, b1, b2, e, g: a * g / (g.abs() + e / math.sqrt(1 - b2))),
    Mistake("square root missing", "Adam divides by √v̂_1 + ε = |g| + ε, not by v̂_1 + ε.",
            lambda a, b1, b2, e, g: a * g / (g * g + e)),
    Mistake("step count t starts at 0", "The first step has t = 1; with t = 0 the bias "
            "corrections divide by 1 − β⁰ = 0.", adam_first_step_from_t0),
    Mistake("the step is α·g, as in SGD", "Adam divides m̂ by √v̂ + ε: on the first step "
            "that is g/(|g| + ε).", lambda a, b1, b2, e, g: a * g),
    Mistake("sign flipped: this is θ_1 − θ_0", "Return the amount subtracted from θ, "
            "θ_0 − θ_1 = α·m̂_1/(√v̂_1 + ε), which has the sign of g.",
            lambda a, b1, b2, e, g: -a * g / (g.abs() + e)),
    Mistake("the sign of the step is missing", "Return the signed step θ_0 − θ_1, which has "
            "the sign of g, not its absolute value.",
            lambda a, b1, b2, e, g: a * g.abs() / (g.abs() + e)),
]


def adam_first_step_cases() -> list[Case]:
    """Problems where ε matters: |g| between ε/10 and 10ε, for three sizes of ε."""
    cases = []
    for device in devices():
        for dtype in (torch.float64, torch.float32):
            for seed, eps in enumerate((1e-8, 1e-3, 0.1)):
                generator = torch.Generator().manual_seed(seed)
                lr, beta1, beta2 = (low + (high - low) * torch.rand(
                    (), generator=generator, dtype=torch.float64).item()
                    for low, high in ((1e-3, 0.5), (0.5, 0.95), (0.9, 0.9999)))
                scale = 10 ** (2 * torch.rand(6, generator=generator, dtype=torch.float64) - 1)
                sign = torch.randn(6, generator=generator, dtype=torch.float64).sign()
                grad = (eps * scale * sign).to(dtype).to(device)
                cases.append(Case((lr, beta1, beta2, eps, grad), label=(
                    f"α = {lr:.3g}, β₁ = {beta1:.3g}, β₂ = {beta2:.5g}, ε = {eps:g}, |g| "
                    f"between ε/10 and 10ε, {dtype}, {device}")))
    return cases


def adam_first_step(learner: Callable) -> Feedback:
    """Check ``adam_first_step(lr, beta1, beta2, eps, grad)`` → θ_0 − θ_1 (element-wise)."""
    return check_formula(learner, name="adam_first_step", reference=adam_first_step_reference,
                         cases=adam_first_step_cases(),
                         mistakes=ADAM_FIRST_STEP_MISTAKES,
                         equation="m̂_1 = g, v̂_1 = g², θ_0 − θ_1 = α·m̂_1/(√v̂_1 + ε)")
