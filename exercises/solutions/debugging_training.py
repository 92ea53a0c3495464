"""Solutions: clipping by global norm, the range test's choice of α, and a training loop with
gradient accumulation, clipping and a per-step scheduler, debugged."""

import math

import torch


def clip_grad_norm(params, max_norm):
    """Scale all gradients together so that their global norm is at most max_norm."""
    grads = [p.grad for p in params if p.grad is not None]   # a list: params may be a generator
    total_norm = torch.sqrt(sum((g.double() ** 2).sum() for g in grads))
    factor = min(1.0, max_norm / (total_norm.item() + 1e-6))  # never scale up
    with torch.no_grad():
        for g in grads:
            g.mul_(factor)                                    # in place
    return total_norm


def suggest_lr(lrs, losses, beta=0.98):
    """The rate where the smoothed loss falls fastest against ln(lr), past the noisy start and
    before the smoothed minimum."""
    smoothed, average = [], 0.0
    for i, loss in enumerate(losses):
        average = beta * average + (1 - beta) * loss
        smoothed.append(average / (1 - beta ** (i + 1)))     # bias correction
    finite = [i for i, s in enumerate(smoothed) if math.isfinite(s)]
    end = min(finite, key=lambda i: smoothed[i])             # the smoothed minimum
    start = math.ceil(len(lrs) / 10)                         # skip the noisy first tenth
    slopes = {i: (smoothed[i + 1] - smoothed[i]) / (math.log(lrs[i + 1]) - math.log(lrs[i]))
              for i in range(start, end)}
    steepest = min(range(start, end), key=lambda i: slopes[i])
    return lrs[steepest]


def train_accumulated(model, optimizer, scheduler, micro_batches, accumulation_steps, max_norm):
    """The fixed loop: one optimizer step per accumulation_steps micro-batches."""
    optimizer.zero_grad()
    for i, (x, y) in enumerate(micro_batches):
        loss = torch.nn.functional.mse_loss(model(x), y) / accumulation_steps
        loss.backward()                                       # adds to .grad
        if (i + 1) % accumulation_steps == 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)   # after backward
            optimizer.step()
            scheduler.step()                                  # once per optimizer step
            optimizer.zero_grad()                             # after the step
