"""Checks for the optimizer exercises (chapter: Optimizers): step functions and their mistakes."""

from __future__ import annotations

from collections.abc import Callable

import torch

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


MOMENTUM_MISTAKES = [
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


NESTEROV_MISTAKES = [
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
                 reset_step: bool = False, count_from_zero: bool = False) -> Step:
    """Adam with one part changed, for the catalogue of mistakes (L2 weight decay inside)."""
    def step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
        if weight_decay:
            grad = grad + weight_decay * param
        adam_core(param, grad, state, lr, beta1, beta2, eps, correct_m, correct_v, eps_inside,
                  reset_step, count_from_zero)
    return step


def adamw_variant(**changes: bool) -> Step:
    """AdamW with one part of the Adam step changed."""
    def step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
        param.mul_(1 - lr * weight_decay)
        adam_variant(**changes)(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                                weight_decay=0.0)
    return step


def adam_core(param, grad, state, lr, beta1, beta2, eps, correct_m, correct_v, eps_inside,
              reset_step, count_from_zero):
    m = state.setdefault("m", torch.zeros_like(param))
    v = state.setdefault("v", torch.zeros_like(param))
    t = 1 if reset_step else state.get("t", -1 if count_from_zero else 0) + 1
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
COUNT_FROM_ZERO = ("step count t starts at 0", "On the first step t = 1: with t = 0 the bias "
                   "correction divides by 1 − β⁰ = 0. Increase t before using it.")


def adam_family_mistakes(variant: Callable[..., Step], reference: Step) -> list[Mistake]:
    return [
        Mistake(*BIAS_CORRECTION, variant(correct_m=False, correct_v=False)),
        Mistake(*ARTICLE_ADAM, variant(correct_m=False, correct_v=False, eps_inside=True)),
        Mistake(*HALF_CORRECTION, variant(correct_m=False)),
        Mistake(*HALF_CORRECTION, variant(correct_v=False)),
        Mistake(*EPS_INSIDE, variant(eps_inside=True)),
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
    Mistake("weight decay missing", "With λ ≠ 0, add the L2 term to the gradient first: "
            "g ← g + λθ.", without_weight_decay(adam_reference)),
    Mistake("weight decay decoupled, but Adam couples it", "Adam's weight decay is an L2 "
            "penalty: add λθ to the gradient before the averages, g ← g + λθ. Shrinking θ "
            "directly is AdamW.", adamw_reference),
    *adam_family_mistakes(adam_variant, adam_reference),
]

ADAMW_MISTAKES = [
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
