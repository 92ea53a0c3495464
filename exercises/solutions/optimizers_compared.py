"""Solutions: which optimizer wins at its default learning rate, and tuning a learning rate
within a budget of 8 training runs."""

import math


def predict_winner():
    # All three take α = 1e-3. SGD crawls along the flat direction (0.1 % per step);
    # momentum builds up to 10 times that; Adam moves about α per step, 0.2 in 200 steps.
    return "momentum"


def tune_learning_rate(validation_loss):
    """Orders of magnitude first (6 runs), then refine around the best (2 runs)."""
    losses = {}

    def evaluate(lr):
        loss = validation_loss(lr)
        losses[lr] = loss if math.isfinite(loss) else math.inf    # NaN counts as diverged

    for lr in (1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0):
        evaluate(lr)
    best = min(losses, key=losses.get)
    for lr in (best / 3, best * 3):
        evaluate(lr)
    return min(losses, key=losses.get)
