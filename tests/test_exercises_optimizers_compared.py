"""Correct answers to the exercises of the chapter optimizers_compared, written differently:
each must pass."""

import math

import numpy as np
import pytest

from descent import check


@pytest.mark.parametrize("answer", ["momentum", "Momentum", " MOMENTUM "])
def test_predict_winner_rewrites_pass(answer):
    result = check.predict_winner(lambda: answer)
    assert result.passed, result.message


def tune_log_grid(validation_loss):
    rates = np.geomspace(1e-3, 10, 8)
    losses = [validation_loss(lr) for lr in rates]
    losses = [loss if np.isfinite(loss) else np.inf for loss in losses]
    return float(rates[int(np.argmin(losses))])


def tune_ternary_search(validation_loss):
    """Golden-section-like search on log10(lr), with a cache."""
    seen = {}

    def f(exponent):
        if exponent not in seen:
            loss = validation_loss(10 ** exponent)
            seen[exponent] = loss if math.isfinite(loss) else math.inf
        return seen[exponent]

    low, high = -4.0, 1.0
    for _ in range(4):                      # 8 evaluations
        a, b = low + (high - low) / 3, high - (high - low) / 3
        if f(a) < f(b):
            high = b
        else:
            low = a
    return 10 ** min(seen, key=seen.get)


def tune_refine_between(validation_loss):
    """Powers of ten, then halfway (in log scale) towards the better neighbour; returns a rate
    between two that were tried."""
    results = {lr: validation_loss(lr) for lr in (1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0)}
    ordered = sorted(results, key=lambda lr: results[lr])
    best, second = ordered[0], ordered[1]
    middle = math.sqrt(best * second)
    results[middle] = validation_loss(middle)
    return min(results, key=results.get)


@pytest.mark.parametrize("tune", [tune_log_grid, tune_ternary_search, tune_refine_between])
def test_tune_learning_rate_rewrites_pass(tune):
    result = check.tune_learning_rate(tune)
    assert result.passed, result.message
