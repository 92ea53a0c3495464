"""Solutions: linear warm-up then cosine decay, the learning-rate range test, and a training
loop that steps its scheduler once per epoch."""

import math

import torch


def warmup_cosine(step, warmup_steps, total_steps):
    """The factor that multiplies the base learning rate at `step`."""
    if step < warmup_steps:
        return step / warmup_steps
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return 0.5 * (1 + math.cos(math.pi * progress))


def lr_range_test(train_step, lr_min, lr_max, steps):
    """Try geometrically spaced learning rates until the loss blows up."""
    lrs, losses = [], []
    best = math.inf
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = train_step(lr)
        lrs.append(lr)
        losses.append(loss)
        best = min(best, loss)
        if math.isnan(loss) or loss > 4 * best:      # diverged: stop here
            break
    return lrs, losses


def train_with_schedule(model, optimizer, scheduler, batches, epochs):
    """The fixed loop: the scheduler counts epochs, so it steps once per epoch."""
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
        scheduler.step()                               # after the epoch's updates
