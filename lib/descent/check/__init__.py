"""descent.check: the exercises' grader.

Each function takes the learner's function, runs it beside the reference
implementation on random inputs (several seeds, shapes and dtypes, and CUDA
when present; optimizers also in a short training run) and returns a
:class:`Feedback`: ✅, or ❌ with a diagnosis that names the mistake ("bias
correction missing", "ε inside the square root") and points to the equation.
It never raises because of the learner's code: exceptions (with the learner's
own line), ``NotImplementedError`` stubs, ``None`` results, wrong shapes or
dtypes, NaN and code that runs too long all become feedback.

Usage, in an exercise notebook::

    from descent import check
    check.adam_step(adam_step)
"""

from __future__ import annotations

from collections.abc import Callable

from descent.check.feedback import Feedback
from descent.check.functions import (article_gradients, cross_entropy, dropout, gradient_descent,
                                     kaiming_normal_, l1_penalty, l2_penalty, mse_loss, sgd_epoch,
                                     warmup_cosine)
from descent.check.steps import (ADAM_MISTAKES, ADAMW_MISTAKES, MOMENTUM_MISTAKES,
                                 NESTEROV_MISTAKES, RMSPROP_MISTAKES, adam_reference,
                                 adamw_reference, check_step_function, momentum_reference,
                                 nesterov_reference, rmsprop_reference)

__all__ = ["Feedback", "mse_loss", "cross_entropy", "article_gradients", "gradient_descent",
           "sgd_epoch", "momentum_step", "nesterov_step", "rmsprop_step", "adam_step",
           "adamw_step", "warmup_cosine", "l1_penalty", "l2_penalty", "dropout",
           "kaiming_normal_"]


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
