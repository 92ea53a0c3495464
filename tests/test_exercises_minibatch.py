"""Correct rewrites of the mini-batch exercises: different code, the same answer; the
checks must accept every one."""

import math

import pytest
import torch
import torch.nn.functional as F

from descent import check


def train_with_manual_update(model, x, y, orders, batch_size, lr):
    for order in orders:
        for batch in order.split(batch_size):
            for p in model.parameters():
                p.grad = None
            loss = ((model(x[batch]) - y[batch]) ** 2).mean()
            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= lr * p.grad


def train_zero_grad_after_step(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(orders.shape[0]):
        for k in range(math.ceil(len(x) / batch_size)):
            batch = orders[epoch, k * batch_size:(k + 1) * batch_size]
            F.mse_loss(model(x[batch]), y[batch]).backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=False)
    return model


def train_with_a_data_loader(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    model.train()
    for order in orders:
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x[order], y[order]),
                                             batch_size=batch_size, shuffle=False)
        for xb, yb in loader:
            model.zero_grad()
            loss = torch.nn.MSELoss()(model(xb), yb)
            loss.backward()
            optimizer.step()
    return model


def train_with_summed_loss_divided(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders.tolist():
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            loss = F.mse_loss(model(x[batch]), y[batch], reduction="sum") / len(batch)
            loss.backward()
            optimizer.step()


@pytest.mark.parametrize("train", [train_with_manual_update, train_zero_grad_after_step,
                                   train_with_a_data_loader, train_with_summed_loss_divided])
def test_correct_rewrites_of_train_fixed_pass(train):
    result = check.train_fixed(train)
    assert result.passed, result.message


def batch_size_by_search(sigma2, n, rms_error):
    for b in range(1, n + 1):
        if sigma2 / b * (n - b) / (n - 1) <= rms_error**2:
            return b


def batch_size_rearranged(sigma2, n, rms_error):
    return -math.floor(-sigma2 * n / (sigma2 + rms_error**2 * (n - 1)))


def batch_size_as_tensor(sigma2, n, rms_error):
    n = torch.tensor(float(n), dtype=torch.float64)
    return torch.ceil(n / (1 + (n - 1) * rms_error**2 / sigma2))


def batch_size_from_the_noise_scale(sigma2, n, rms_error):
    ratio = sigma2 / rms_error**2                   # |B| with replacement
    return int(math.ceil(ratio * n / (n - 1 + ratio)))


@pytest.mark.parametrize("smallest", [batch_size_by_search, batch_size_rearranged,
                                      batch_size_as_tensor, batch_size_from_the_noise_scale])
def test_correct_rewrites_of_smallest_batch_size_pass(smallest):
    result = check.smallest_batch_size(smallest)
    assert result.passed, result.message
