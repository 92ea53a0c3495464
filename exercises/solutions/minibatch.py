"""Solutions: one epoch of mini-batch SGD on least squares; a training loop without
zero_grad, fixed; the smallest batch size for a given gradient error."""

import math

import torch


def sgd_epoch(w, x, y, lr, batch_size, order):
    """One pass over the data in the given order, one update per mini-batch."""
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]   # the last batch may be smaller
        xb, yb = x[batch], y[batch]
        gradient = xb.T @ (xb @ w - yb) / len(batch)
        w = w - lr * gradient
    return w


def train_fixed(model, x, y, orders, batch_size, lr):
    """Mini-batch SGD on the mean squared error, one epoch per row of `orders`."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:                              # one epoch per given order
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            loss = torch.nn.functional.mse_loss(model(x[batch]), y[batch])
            optimizer.zero_grad()                     # the fix: clear the last gradient
            loss.backward()
            optimizer.step()


def smallest_batch_size(sigma2, n, rms_error):
    """The smallest |B| with sigma2 / |B| * (n - |B|) / (n - 1) <= rms_error**2."""
    # sigma2 (n - B) <= eps^2 B (n - 1)  <=>  B ((n - 1) eps^2 + sigma2) >= n sigma2
    return math.ceil(n * sigma2 / ((n - 1) * rms_error**2 + sigma2))
