"""Wrong solutions, written the way learners write them: the mini-batch exercises
(train_fixed: the debug exercise; smallest_batch_size: the derive exercise)."""

import copy
import math

import torch
import torch.nn.functional as F

from wrong_implementations.registry import wrong

# --- train_fixed -----------------------------------------------------------------------------

@wrong("train_fixed", "zero_grad missing (gradients accumulate)")
def train_unchanged(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            loss = F.mse_loss(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()


@wrong("train_fixed", "zero_grad once per epoch (gradients accumulate within the epoch)")
def train_zero_grad_per_epoch(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        optimizer.zero_grad()
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            F.mse_loss(model(x[batch]), y[batch]).backward()
            optimizer.step()


@wrong("train_fixed", "the parameters never change")
def train_zero_grad_between_backward_and_step(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            loss = F.mse_loss(model(x[batch]), y[batch])
            loss.backward()
            optimizer.zero_grad()
            optimizer.step()


@wrong("train_fixed", "the parameters never change")
def train_zero_grad_set_to_zero_before_step(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            F.mse_loss(model(x[batch]), y[batch]).backward()
            optimizer.zero_grad(set_to_none=False)
            optimizer.step()


@wrong("train_fixed", "the parameters never change")
def train_a_copy(model, x, y, orders, batch_size, lr):
    model = copy.deepcopy(model)              # the caller's model is never trained
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            F.mse_loss(model(x[batch]), y[batch]).backward()
            optimizer.step()
    return model


@wrong("train_fixed", "step() before backward(): every step uses the previous mini-batch's "
                      "gradient")
def train_step_before_backward(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            loss = F.mse_loss(model(x[batch]), y[batch])
            optimizer.step()
            optimizer.zero_grad()
            loss.backward()


@wrong("train_fixed", "loss summed instead of averaged")
def train_summed_loss(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            ((model(x[batch]) - y[batch]) ** 2).sum().backward()
            optimizer.step()


@wrong("train_fixed", "summed loss divided by batch_size instead of the batch's length")
def train_divided_by_batch_size(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            loss = ((model(x[batch]) - y[batch]) ** 2).sum() / batch_size
            loss.backward()
            optimizer.step()


@wrong("train_fixed", "the given order is ignored")
def train_in_stored_order(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(len(orders)):
        for start in range(0, len(x), batch_size):
            optimizer.zero_grad()
            F.mse_loss(model(x[start:start + batch_size]), y[start:start + batch_size]).backward()
            optimizer.step()


@wrong("train_fixed", "the same order every epoch")
def train_first_order_only(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(len(orders)):
        for start in range(0, len(x), batch_size):
            batch = orders[0][start:start + batch_size]
            optimizer.zero_grad()
            F.mse_loss(model(x[batch]), y[batch]).backward()
            optimizer.step()


@wrong("train_fixed", "only one epoch")
def train_one_epoch(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    order = orders[0]
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        optimizer.zero_grad()
        F.mse_loss(model(x[batch]), y[batch]).backward()
        optimizer.step()


@wrong("train_fixed", "the last, smaller mini-batch is skipped")
def train_full_batches_only(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        for k in range(len(x) // batch_size):
            batch = order[k * batch_size:(k + 1) * batch_size]
            optimizer.zero_grad()
            F.mse_loss(model(x[batch]), y[batch]).backward()
            optimizer.step()


@wrong("train_fixed", "every step uses the whole data set")
def train_full_batch_steps(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        for start in range(0, len(x), batch_size):
            optimizer.zero_grad()
            F.mse_loss(model(x), y).backward()
            optimizer.step()


@wrong("train_fixed", "inputs and targets taken in different orders")
def train_targets_not_shuffled(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            F.mse_loss(model(x[batch]), y[start:start + batch_size]).backward()
            optimizer.step()


# --- smallest_batch_size -------------------------------------------------------------------

@wrong("smallest_batch_size", "finite-population correction missing")
def batch_size_with_replacement(sigma2, n, rms_error):
    return math.ceil(sigma2 / rms_error**2)


@wrong("smallest_batch_size", "finite-population correction missing")
def batch_size_with_replacement_capped(sigma2, n, rms_error):
    return min(n, math.ceil(sigma2 / rms_error**2))


@wrong("smallest_batch_size", "rounded down instead of up")
def batch_size_truncated(sigma2, n, rms_error):
    return int(n * sigma2 / ((n - 1) * rms_error**2 + sigma2))


@wrong("smallest_batch_size", "not rounded to a whole batch size")
def batch_size_not_rounded(sigma2, n, rms_error):
    return n * sigma2 / ((n - 1) * rms_error**2 + sigma2)


@wrong("smallest_batch_size", "rounded to the nearest integer instead of up")
def batch_size_rounded(sigma2, n, rms_error):
    return round(n * sigma2 / ((n - 1) * rms_error**2 + sigma2))


@wrong("smallest_batch_size", "ε used where ε² belongs")
def batch_size_error_not_squared(sigma2, n, rms_error):
    return math.ceil(n * sigma2 / ((n - 1) * rms_error + sigma2))


@wrong("smallest_batch_size", "σ used where σ² belongs")
def batch_size_standard_deviations(sigma2, n, rms_error):
    return math.ceil(math.sqrt(sigma2) / rms_error)


@wrong("smallest_batch_size", "n − 1 replaced by n")
def batch_size_n_for_n_minus_1(sigma2, n, rms_error):
    return math.ceil(n * sigma2 / (n * rms_error**2 + sigma2))


@wrong("smallest_batch_size", "the |B| in n − |B| dropped")
def batch_size_b_dropped(sigma2, n, rms_error):
    return math.ceil(sigma2 * n / (rms_error**2 * (n - 1)))
