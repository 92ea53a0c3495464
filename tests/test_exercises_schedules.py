"""Correct rewrites of the schedule exercises added after warmup_cosine (the learning-rate
range test; the training loop that steps its scheduler once per epoch). Each must pass."""

import math

import numpy as np
import pytest
import torch

from descent import check


# --- The learning-rate range test ----------------------------------------------------

def range_test_geomspace(train_step, lr_min, lr_max, steps):
    lrs, losses = [], []
    for lr in np.geomspace(lr_min, lr_max, steps):
        losses.append(train_step(lr))
        lrs.append(lr)
        if np.isnan(losses[-1]) or losses[-1] > 4 * min(losses):
            break
    return lrs, losses


def range_test_float32_logspace(train_step, lr_min, lr_max, steps):
    rates = torch.logspace(math.log10(lr_min), math.log10(lr_max), steps)   # float32
    lrs, losses, best = [], [], float("inf")
    for lr in rates:
        loss = train_step(lr.item())
        lrs.append(lr.item())
        losses.append(loss)
        if loss < best:
            best = loss
        if loss != loss or loss > 4 * best:          # NaN is the only value unequal to itself
            break
    return lrs, losses


def range_test_multiplied(train_step, lr_min, lr_max, steps):
    factor = (lr_max / lr_min) ** (1 / (steps - 1))
    lrs, losses, best = [], [], None
    lr = lr_min
    while len(lrs) < steps:
        loss = float(train_step(lr))
        lrs.append(lr)
        losses.append(loss)
        best = loss if best is None else min(best, loss)
        if math.isnan(loss) or loss > 4 * best:
            return lrs, losses
        lr *= factor
    return lrs, losses


def range_test_exp_of_logs(train_step, lr_min, lr_max, steps):
    low, high = math.log(lr_min), math.log(lr_max)
    lrs, losses = [], []
    best = math.inf
    for i in range(steps):
        lr = math.exp(low + (high - low) * i / (steps - 1))
        loss = train_step(lr)
        lrs.append(lr)
        losses.append(loss)
        diverged = not loss <= 4 * best                # also True for NaN
        best = min(best, loss)
        if diverged:
            break
    return lrs, losses


@pytest.mark.parametrize("function", [range_test_geomspace, range_test_float32_logspace,
                                      range_test_multiplied, range_test_exp_of_logs])
def test_lr_range_test_rewrites_pass(function):
    result = check.lr_range_test(function)
    assert result.passed, result.message


# --- The scheduler stepped once per epoch --------------------------------------------

def train_with_train_mode(model, optimizer, scheduler, batches, epochs):
    model.train()
    for _ in range(epochs):
        for batch in batches:
            x, y = batch
            optimizer.zero_grad(set_to_none=False)
            loss = ((model(x) - y) ** 2).mean()
            loss.backward()
            optimizer.step()
        scheduler.step()


def train_with_a_helper(model, optimizer, scheduler, batches, epochs):
    def one_epoch():
        for x, y in batches:
            model.zero_grad()
            torch.nn.functional.mse_loss(model(x), y, reduction="mean").backward()
            optimizer.step()

    for epoch in range(1, epochs + 1):
        one_epoch()
        scheduler.step()
    return model


@pytest.mark.parametrize("function", [train_with_train_mode, train_with_a_helper])
def test_train_with_schedule_rewrites_pass(function):
    result = check.train_with_schedule(function)
    assert result.passed, result.message
