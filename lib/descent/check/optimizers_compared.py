"""Checks for the exercises of the chapter optimizers_compared: which optimizer wins at its
default learning rate (predict), and tuning a learning rate within a budget (experiment)."""

from __future__ import annotations

import functools
import math

from collections.abc import Callable
from typing import Any

import torch

import descent.data
from descent import losses, optim
from descent.check.feedback import (Feedback, LearnerError, call, describe, failed, one_thread,
                                    passed)
from descent.check.kinds import Budget, check_prediction

__all__ = ["predict_winner", "tune_learning_rate"]


# ---------------------------------------------------------------------------
# Predict: SGD, momentum or Adam, each at its default learning rate, on the bowl
# ---------------------------------------------------------------------------

WINNER_STEPS = 200
WINNER_CHOICES = {"sgd": "SGD", "momentum": "SGD with momentum (β = 0.9)", "adam": "Adam"}
WINNER_OPTIMIZERS = {
    "sgd": lambda params: optim.SGD(params),                    # lr = 1e-3, PyTorch's default
    "momentum": lambda params: optim.SGD(params, momentum=0.9),
    "adam": lambda params: optim.Adam(params),                  # lr = 1e-3
}


def bowl_loss_after(make_optimizer: Callable, steps: int = WINNER_STEPS) -> tuple[float, list]:
    """J and θ after ``steps`` steps on the Optimizers chapter's bowl, ½(θ₁² + 100θ₂²)."""
    bowl = descent.data.Quadratic((1.0, 100.0))
    theta = torch.tensor(bowl.start, dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer([theta])
    for _ in range(steps):
        optimizer.zero_grad()
        bowl(theta).backward()
        optimizer.step()
    return bowl(theta).item(), theta.detach().tolist()


def winner_experiment() -> tuple[str, str]:
    results = {name: bowl_loss_after(make) for name, make in WINNER_OPTIMIZERS.items()}
    outcome = min(results, key=lambda name: results[name][0])
    table = "; ".join(f"{WINNER_CHOICES[name]}: J = {J:.3g} at θ = ({signed(theta[0])}, "
                      f"{signed(theta[1])})" for name, (J, theta) in results.items())
    return outcome, (f"After {WINNER_STEPS} steps from θ = (−4, 1), where J = 58, "
                     f"{table}.")


def signed(x: float) -> str:
    return f"{x:.2f}".replace("-", "−") if round(x, 2) != 0 else "0.00"


WINNER_WHY_NOT = {
    "sgd": "Along the flat direction (curvature 1) SGD's step is α·θ₁ = 0.1 % of the way per "
           "step. Momentum's velocity adds up to 1/(1 − β) = 10 such steps, and with "
           "α·100 = 0.1 the steep direction is stable for both.",
    "adam": "Adam moves each coordinate by about α = 10⁻³ per step, whatever the gradient: in "
            "200 steps at most 0.2, and θ₁ has 4 to travel. Its default rate suits weights "
            "of order 0.1, not this journey; a rate measured in units of the weights is a "
            "strength only when the unit fits.",
}


def predict_winner(learner: Callable[[], str]) -> Feedback:
    """Check ``predict_winner() -> "sgd" | "momentum" | "adam"`` against the experiment."""
    return check_prediction(learner, name="predict_winner", choices=WINNER_CHOICES,
                            experiment=winner_experiment, why_not=WINNER_WHY_NOT)


# ---------------------------------------------------------------------------
# Experiment: tune SGD's learning rate with 8 training runs
# ---------------------------------------------------------------------------

TUNING_BUDGET = 8
TUNING_STEPS = 50
TUNING_TOLERANCE = 1.25      # within 25 % of the best validation loss passes


@functools.cache
def tuning_data() -> tuple[torch.Tensor, ...]:
    """400 training and 300 validation images of the digits, in float64."""
    x_train, y_train, x_rest, y_rest = descent.data.digits(test_size=500, seed=0,
                                                          dtype=torch.float64)
    return x_train[:400], y_train[:400], x_rest[:300], y_rest[:300]


@functools.cache
def validation_loss(lr: float) -> float:
    """Validation cross-entropy of a 64-16-10 tanh network after 50 full-batch steps of SGD
    with momentum 0.9 at learning rate ``lr`` (same initial weights every time)."""
    if not isinstance(lr, (int, float)) or isinstance(lr, bool) or not lr > 0 \
            or not math.isfinite(lr):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    x, y, x_val, y_val = tuning_data()
    generator = torch.Generator().manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 16), torch.nn.Tanh(), torch.nn.Linear(16, 10))
    model = model.to(torch.float64)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=generator, dtype=torch.float64)
                    / math.sqrt(p.shape[-1]) if p.dim() == 2 else torch.zeros_like(p))
    optimizer = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    with one_thread():
        for _ in range(TUNING_STEPS):
            optimizer.zero_grad()
            losses.cross_entropy(model(x), y).backward()
            optimizer.step()
        with torch.no_grad():
            return losses.cross_entropy(model(x_val), y_val).item()


def learner_validation_loss(lr: Any) -> float:
    """What the learner's code calls, through a Budget (whose training runs do not count
    towards the learner's time limit): accepts any real number (a float, an int, NumPy's or
    a one-element tensor)."""
    if isinstance(lr, torch.Tensor) and lr.numel() == 1:
        lr = lr.item()
    try:
        lr = float(lr)
    except (TypeError, ValueError):
        raise ValueError(f"lr must be a positive number, got {describe(lr)}") from None
    return validation_loss(lr)


@functools.cache
def best_on_grid() -> tuple[float, float]:
    """The best (learning rate, validation loss) on a logarithmic grid from 10⁻³ to 10: every
    half power of 10 first, then 8 rates per power of 10 around the best of those."""
    def finite_best(rates: list[float]) -> float:
        values = {lr: validation_loss(lr) for lr in rates}
        return min((lr for lr in rates if math.isfinite(values[lr])), key=values.get)
    coarse = finite_best([10 ** (-3 + i / 2) for i in range(9)])
    centre = round(4 * math.log10(coarse))          # in eighths of a power of 10: 4 per half
    best_lr = finite_best([10 ** ((2 * centre + i) / 8) for i in range(-4, 5)
                           if -24 <= 2 * centre + i <= 8])
    return best_lr, validation_loss(best_lr)


def as_number(value: Any) -> float | None:
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, (bool, str)) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def linear_grid(rates: list[float]) -> bool:
    """Three or more rates, equally spaced (in lr, not in log lr)."""
    rates = sorted(set(rates))
    if len(rates) < 3:
        return False
    gaps = [b - a for a, b in zip(rates, rates[1:])]
    return max(gaps) - min(gaps) <= 1e-6 * max(gaps)


def tune_learning_rate(learner: Callable) -> Feedback:
    """Check ``tune_learning_rate(validation_loss) -> lr`` (8 evaluations; within 25 % of the
    best validation loss passes)."""
    name = "tune_learning_rate"
    budget = Budget(learner_validation_loss, TUNING_BUDGET)
    try:
        chosen = call(name, learner, budget)
    except LearnerError as error:
        return error.feedback
    tried = [(as_number(lr), loss) for lr, loss in budget.history]
    tried_text = ", ".join(f"{lr:.3g}" for lr, _ in tried) or "none"
    if chosen is None:
        return failed(f"{name} returned None. Did you forget to return the learning rate?",
                      "returned None")
    lr = as_number(chosen)
    if lr is None:
        return failed(f"{name} returned {describe(chosen)}; return the learning rate you "
                      "choose, a number.", "wrong type")
    if any(math.isclose(lr, loss, rel_tol=1e-12) for _, loss in tried) and \
            not any(math.isclose(lr, rate, rel_tol=1e-12) for rate, _ in tried):
        return failed(f"{name} returned {lr:.4g}, a validation loss, not a learning rate. "
                      "Keep the rate that gave the smallest loss and return the rate.",
                      "returned a loss, not a learning rate")
    if isinstance(chosen, int) and 0 <= chosen < max(len(tried), 1) and \
            not any(math.isclose(lr, rate, rel_tol=1e-12) for rate, _ in tried):
        return failed(f"{name} returned {chosen}, the position of a rate in your list, not the "
                      "rate itself: return `rates[i]`, not `i`.",
                      "returned an index, not a learning rate")
    if not (math.isfinite(lr) and lr > 0):
        return failed(f"{name} returned {lr!r}; a learning rate is a positive number.",
                      "not a positive learning rate")
    if budget.used == 0:
        return failed(f"{name} returned a value without calling `validation_loss` once: tuning "
                      "means measuring. Try a few values and keep the best.", "no evaluation")
    best_lr, best = best_on_grid()
    achieved = validation_loss(lr)
    summary = (f"Validation loss at your rate {lr:.3g}: {achieved:.3g}; the best on a fine grid: "
               f"{best:.3g} at {best_lr:.3g} (rates you tried: {tried_text}).")
    if achieved <= TUNING_TOLERANCE * best:
        return passed(f"{name}: {summary} Within 25 % of the best.")
    distinct = {rate: loss for rate, loss in tried}
    worst = max(distinct, key=lambda rate: (not math.isfinite(distinct[rate]), distinct[rate]),
                default=None)
    picked_worst = (len(distinct) >= 2 and worst is not None and
                    math.isclose(lr, worst, rel_tol=1e-12) and
                    distinct[worst] > min(distinct.values()))
    hint = (" It is the rate with the LARGEST validation loss of those you tried: `min`, not "
            "`max`?" if picked_worst else "")
    untrained = validation_loss(1e-3)
    if lr > best_lr and (not math.isfinite(achieved) or achieved > untrained):
        return failed(f"{name}: the chosen learning rate diverges. {summary}{hint} A rate past "
                      "the cliff is worse than no training at all; treat NaN and huge losses as "
                      "failures before taking the minimum.", "the chosen learning rate diverges")
    if picked_worst:
        return failed(f"{name} returned {lr:.3g}, the rate with the LARGEST validation loss of "
                      f"those you tried ({distinct[worst]:.3g}). {summary} Keep the smallest "
                      "loss: `min(..., key=...)`, not `max`.", "picked the largest loss")
    if linear_grid([rate for rate, _ in tried]):
        return failed(f"{name}: a linear grid misses the good region. {summary} Equally spaced "
                      "rates put nearly all evaluations near the largest one; what matters is "
                      "the order of magnitude, so space them by a constant factor, then refine "
                      "around the best.", "linear grid")
    direction = "too small" if lr < best_lr else "too large"
    return failed(f"{name}: learning rate {direction}, not within 25 % of the best. "
                  f"{summary} Cover the orders of magnitude first (a factor of about 10 "
                  "between tries), then spend the rest of the budget between the best rate "
                  "and its neighbours.", f"learning rate {direction}")
