"""Wrong solutions, written the way learners write them: the learning-rate range test and the
training loop whose scheduler is stepped in the wrong place."""

import math

import numpy as np
import torch

from wrong_implementations.registry import wrong

# --- The learning-rate range test ----------------------------------------------------

@wrong("lr_range_test", "linear instead of geometric spacing")
def range_test_linear(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], float("inf")
    for lr in np.linspace(lr_min, lr_max, steps):
        loss = train_step(lr)
        lrs.append(float(lr))
        losses.append(loss)
        best = min(best, loss)
        if math.isnan(loss) or loss > 4 * best:
            break
    return lrs, losses


@wrong("lr_range_test", "off by one at the ends")
def range_test_never_reaches_lr_max(train_step, lr_min, lr_max, steps):
    factor = (lr_max / lr_min) ** (1 / steps)
    lrs, losses, best, lr = [], [], math.inf, lr_min
    for _ in range(steps):
        loss = train_step(lr)
        lrs.append(lr)
        losses.append(loss)
        best = min(best, loss)
        if math.isnan(loss) or loss > 4 * best:
            break
        lr *= factor
    return lrs, losses


@wrong("lr_range_test", "off by one at the ends")
def range_test_one_too_many(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for i in range(steps + 1):
        lr = lr_min * (lr_max / lr_min) ** (i / steps)
        loss = train_step(lr)
        lrs.append(lr)
        losses.append(loss)
        best = min(best, loss)
        if math.isnan(loss) or loss > 4 * best:
            break
    return lrs, losses


@wrong("lr_range_test", "no early stop")
def range_test_no_stop(train_step, lr_min, lr_max, steps):
    lrs = list(np.geomspace(lr_min, lr_max, steps))
    losses = [train_step(lr) for lr in lrs]
    return lrs, losses


@wrong("lr_range_test", "stops at the first increase")
def range_test_first_increase(train_step, lr_min, lr_max, steps):
    lrs, losses = [], []
    for lr in np.geomspace(lr_min, lr_max, steps):
        loss = train_step(lr)
        lrs.append(lr)
        losses.append(loss)
        if math.isnan(loss) or (len(losses) > 1 and loss > min(losses[:-1])):
            break
    return lrs, losses


@wrong("lr_range_test", "NaN does not stop the test")
def range_test_nan_goes_on(train_step, lr_min, lr_max, steps):
    lrs, losses = [], []
    best = None
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = train_step(lr)
        lrs.append(lr)
        losses.append(loss)
        if best is None or loss < best:
            best = loss
        if loss > 4 * best:
            break
    return lrs, losses


@wrong("lr_range_test", "compares with the first loss, not the best so far")
def range_test_first_loss(train_step, lr_min, lr_max, steps):
    lrs = torch.logspace(math.log10(lr_min), math.log10(lr_max), steps, dtype=torch.float64)
    history = ([], [])
    for lr in lrs.tolist():
        loss = train_step(lr)
        history[0].append(lr)
        history[1].append(loss)
        if math.isnan(loss) or loss > 4 * history[1][0]:
            break
    return history


@wrong("lr_range_test", "the loss that stopped the test is missing")
def range_test_drops_last(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = train_step(lr)
        if math.isnan(loss) or loss > 4 * best:
            break
        lrs.append(lr)
        losses.append(loss)
        best = min(best, loss)
    return lrs, losses


@wrong("lr_range_test", "logspace takes exponents, not rates")
def range_test_logspace_of_rates(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for lr in np.logspace(lr_min, lr_max, steps):
        loss = train_step(lr)
        lrs.append(lr)
        losses.append(loss)
        best = min(best, loss)
        if math.isnan(loss) or loss > 4 * best:
            break
    return lrs, losses


@wrong("lr_range_test", "natural logarithms given to a base-10 logspace")
def range_test_ln_logspace(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for lr in np.logspace(np.log(lr_min), np.log(lr_max), steps):
        loss = train_step(lr)
        lrs.append(lr)
        losses.append(loss)
        best = min(best, loss)
        if np.isnan(loss) or loss > 4 * best:
            break
    return lrs, losses


@wrong("lr_range_test", "wrong type")
def range_test_returns_pairs(train_step, lr_min, lr_max, steps):
    pairs, best = [], math.inf
    for lr in np.geomspace(lr_min, lr_max, steps):
        loss = train_step(lr)
        pairs.append((lr, loss))
        best = min(best, loss)
        if math.isnan(loss) or loss > 4 * best:
            break
    return pairs


# --- The scheduler stepped per batch (debug) -----------------------------------------

def mse(model, x, y):
    return torch.nn.functional.mse_loss(model(x), y)


@wrong("train_with_schedule", "scheduler stepped per batch")
def train_unchanged(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            mse(model, x, y).backward()
            optimizer.step()
            scheduler.step()


@wrong("train_with_schedule", "scheduler stepped per batch")
def train_scheduler_moved_up(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            loss = mse(model, x, y)
            loss.backward()
            scheduler.step()
            optimizer.step()


@wrong("train_with_schedule", "scheduler stepped before the epoch's updates")
def train_scheduler_first(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        scheduler.step()
        for x, y in batches:
            optimizer.zero_grad()
            mse(model, x, y).backward()
            optimizer.step()


@wrong("train_with_schedule", "scheduler never stepped")
def train_without_scheduler(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            mse(model, x, y).backward()
            optimizer.step()


@wrong("train_with_schedule", "scheduler never stepped")
def train_scheduler_after_training(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            mse(model, x, y).backward()
            optimizer.step()
    scheduler.step()


@wrong("train_with_schedule", "zero_grad missing (gradients accumulate)")
def train_without_zero_grad(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            loss = mse(model, x, y)
            loss.backward()
            optimizer.step()
        scheduler.step()


@wrong("train_with_schedule", "scheduler.step(epoch) lags one epoch")
def train_step_with_epoch(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            mse(model, x, y).backward()
            optimizer.step()
        scheduler.step(epoch)


@wrong("train_with_schedule", "optimizer.step() missing")
def train_without_optimizer_step(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            mse(model, x, y).backward()
        scheduler.step()


@wrong("lr_range_test", "the losses are smoothed")
def range_test_like_fastai(train_step, lr_min, lr_max, steps):
    lrs, losses, avg, best = [], [], 0.0, math.inf
    for i, lr in enumerate(np.geomspace(lr_min, lr_max, steps)):
        avg = 0.98 * avg + 0.02 * train_step(lr)
        smooth = avg / (1 - 0.98 ** (i + 1))
        lrs.append(lr)
        losses.append(smooth)
        best = min(best, smooth)
        if math.isnan(smooth) or smooth > 4 * best:
            break
    return lrs, losses


@wrong("lr_range_test", "lrs and losses swapped")
def range_test_swapped(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = train_step(lr)
        lrs.append(lr)
        losses.append(loss)
        best = min(best, loss)
        if math.isnan(loss) or loss > 4 * best:
            break
    return losses, lrs


@wrong("train_with_schedule", "zero_grad between backward and step")
def train_zero_grad_late(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            loss = mse(model, x, y)
            loss.backward()
            optimizer.zero_grad()
            optimizer.step()
        scheduler.step()
