"""Wrong solutions, written the way learners write them: the prediction of the winner and the
learning-rate tuning experiment (chapter: Optimizers compared)."""

import math

import numpy as np

from wrong_implementations.registry import wrong

# --- Which optimizer wins at its default learning rate (predict) ------------------------

@wrong("predict_winner", "wrong prediction")
def predict_adam():
    return "adam"                      # "adaptive methods' defaults are their advantage"


@wrong("predict_winner", "wrong prediction")
def predict_sgd():
    return "SGD"


@wrong("predict_winner", "invalid prediction")
def predict_with_a_sentence():
    return "momentum, because it accelerates along the valley"


@wrong("predict_winner", "invalid prediction")
def predict_a_class():
    import torch
    return torch.optim.SGD


# --- Tuning the learning rate within a budget (experiment) ------------------------------

@wrong("tune_learning_rate", "over budget")
def tune_too_many(validation_loss):
    rates = np.geomspace(1e-4, 10, 12)
    losses = [validation_loss(lr) for lr in rates]
    return rates[int(np.argmin(losses))]


@wrong("tune_learning_rate", "returned a loss, not a learning rate")
def tune_returns_loss(validation_loss):
    results = {lr: validation_loss(lr) for lr in np.geomspace(1e-3, 10, 8)}
    return min(results.values())


@wrong("tune_learning_rate", "the chosen learning rate diverges")
def tune_argmax(validation_loss):
    rates = np.geomspace(1e-3, 10, 8)
    losses = [validation_loss(lr) for lr in rates]
    return rates[int(np.argmax(losses))]


@wrong("tune_learning_rate", "picked the largest loss")
def tune_argmax_of_small_rates(validation_loss):
    results = {}
    for lr in [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1]:
        results[lr] = validation_loss(lr)
    return max(results, key=results.get)


@wrong("tune_learning_rate", "linear grid")
def tune_linear(validation_loss):
    rates = np.linspace(1e-3, 10, 8)
    losses = [validation_loss(lr) for lr in rates]
    return float(rates[int(np.argmin(losses))])


@wrong("tune_learning_rate", "the chosen learning rate diverges")
def tune_edge_of_stability(validation_loss):
    # "the best rate is the largest one before the loss blows up" -- but it returns the one
    # at which it blew up
    best, lr = math.inf, 1e-3
    while True:
        loss = validation_loss(lr)
        if loss > 4 * best:
            return lr
        best = min(best, loss)
        lr *= math.sqrt(10)


@wrong("tune_learning_rate", "the chosen learning rate diverges")
def tune_largest(validation_loss):
    rates = [1e-3, 1e-2, 1e-1, 1.0, 10.0]
    for lr in rates:
        validation_loss(lr)
    return max(rates)


@wrong("tune_learning_rate", "learning rate too small")
def tune_too_timid(validation_loss):
    rates = np.geomspace(1e-6, 1e-2, 8)
    losses = [validation_loss(lr) for lr in rates]
    return rates[int(np.argmin(losses))]


@wrong("tune_learning_rate", "learning rate too large")
def tune_coarse_only(validation_loss):
    rates = [1e-3, 1e-2, 1e-1, 1.0, 10.0]
    losses = [validation_loss(lr) for lr in rates]
    return rates[losses.index(min(losses))]


@wrong("tune_learning_rate", "returned None")
def tune_forgets_return(validation_loss):
    results = {lr: validation_loss(lr) for lr in [1e-3, 1e-2, 0.1, 1.0]}
    best = min(results, key=results.get)    # noqa: F841


@wrong("tune_learning_rate", "returned an index, not a learning rate")
def tune_returns_index(validation_loss):
    rates = [1e-3, 1e-2, 1e-1, 3e-1, 1.0, 10.0]
    losses = [validation_loss(lr) for lr in rates]
    return int(np.argmin(losses))
