"""Solutions: an exponential moving average of the weights, gradient accumulation over
micro-batches of any size, and float16 gradients with a scaled loss."""

import torch


def ema_update(state, params, decay):
    """Fold the current weights into their exponential moving average, kept in state."""
    with torch.no_grad():
        current = [p.detach() for p in params]
        if "averaged" not in state:
            state["averaged"] = [p.clone() for p in current]  # the first update copies
            return
        for average, p in zip(state["averaged"], current):
            average.mul_(decay).add_(p, alpha=1 - decay)      # β θ̄ + (1 − β) θ


def accumulate_gradients(model, loss_fn, micro_batches):
    """Gradients of the mean loss over all examples, one micro-batch at a time."""
    total = sum(len(x) for x, _ in micro_batches)
    mean_loss = 0.0
    for x, y in micro_batches:
        loss = loss_fn(model(x), y) * (len(x) / total)        # this batch's share of the mean
        loss.backward()
        mean_loss += loss.item()
    return mean_loss


def predict_scaled_gradients():
    """2^16 lifts 1e-9 to 6.6e-5, inside float16's range, but 4 to 262144, past 65504."""
    return "large"
