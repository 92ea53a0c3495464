"""Correct rewrites of the regularization exercises added after the first three (the proximal
step for L1, early stopping, tuning weight decay, the evaluation function): different code,
the same behaviour. Each must pass."""

import copy

import pytest
import torch

from descent import check


# --- proximal_l1_step ----------------------------------------------------------------

def prox_where(param, grad, *, lr, lam):
    w = param - lr * grad
    t = lr * lam
    shrunk = torch.where(w > t, w - t, torch.where(w < -t, w + t, torch.zeros_like(w)))
    param.copy_(shrunk)


def prox_relu_in_place(param, grad, *, lr, lam):
    param.sub_(lr * grad)
    param.copy_(param.sign() * torch.relu(param.abs() - lr * lam))


def prox_softshrink(param, grad, *, lr, lam):
    param[:] = torch.nn.functional.softshrink(param - lr * grad, lr * lam)


def prox_maximum(param, grad, *, lr, lam):
    w = param - lr * grad
    magnitude = torch.maximum(w.abs() - lr * lam, torch.zeros_like(w))
    param.copy_(torch.copysign(magnitude, w))


@pytest.mark.parametrize("step", [prox_where, prox_relu_in_place, prox_softshrink, prox_maximum])
def test_proximal_l1_rewrites_pass(step):
    result = check.proximal_l1_step(step)
    assert result.passed, result.message


# --- early_stopping -----------------------------------------------------------------

def stopping_with_counter(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss = None
    best_epoch = 0
    best_weights = None
    waited = 0
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if best_loss is None or loss < best_loss:
            best_loss, best_epoch, waited = loss, epoch, 0
            best_weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            waited += 1
            if waited == patience:
                break
    model.load_state_dict(best_weights)
    return best_epoch


def stopping_with_model_copy(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_model, best_loss, best_epoch, epoch = None, float("inf"), 0, 0
    while epoch < max_epochs and epoch - best_epoch < patience:
        epoch += 1
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_model, best_loss, best_epoch = copy.deepcopy(model), loss, epoch
    model.load_state_dict(best_model.state_dict())
    return best_epoch


def stopping_with_parameter_copies(train_one_epoch, validation_loss, model, patience,
                                   max_epochs):
    history = []
    saved = {}
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        history.append(validation_loss(model))
        best = min(range(len(history)), key=history.__getitem__)   # the first of equals
        if best == len(history) - 1:
            saved = [p.detach().clone() for p in model.parameters()]
        if len(history) - 1 - best >= patience:
            break
    with torch.no_grad():
        for p, value in zip(model.parameters(), saved):
            p.copy_(value)
    return best + 1


@pytest.mark.parametrize("function", [stopping_with_counter, stopping_with_model_copy,
                                      stopping_with_parameter_copies])
def test_early_stopping_rewrites_pass(function):
    result = check.early_stopping(function)
    assert result.passed, result.message


# --- tune_weight_decay ---------------------------------------------------------------

def tune_log_grid(validation_loss):
    candidates = [0.0] + [10.0**k for k in range(-5, 2)]            # 8 values
    return min(candidates, key=validation_loss)


def tune_coarse_then_fine(validation_loss):
    tried = {}
    for lam in [1e-3, 1e-2, 1e-1, 1.0, 10.0]:
        tried[lam] = validation_loss(lam)
    centre = min(tried, key=tried.get)
    for factor in (0.3, 2.0, 4.0):
        tried[centre * factor] = validation_loss(centre * factor)
    return min(tried, key=tried.get)


def tune_golden_section(validation_loss):
    import math
    low, high = math.log10(1e-4), math.log10(10.0)
    ratio = (math.sqrt(5) - 1) / 2
    a, b = high - ratio * (high - low), low + ratio * (high - low)
    fa, fb = validation_loss(10**a), validation_loss(10**b)
    for _ in range(6):
        if fa < fb:
            high, b, fb = b, a, fa
            a = high - ratio * (high - low)
            fa = validation_loss(10**a)
        else:
            low, a, fa = a, b, fb
            b = low + ratio * (high - low)
            fb = validation_loss(10**b)
    return 10**a if fa < fb else 10**b


@pytest.mark.parametrize("function", [tune_log_grid, tune_coarse_then_fine, tune_golden_section])
def test_tune_weight_decay_rewrites_pass(function):
    result = check.tune_weight_decay(function)
    assert result.passed, result.message


# --- evaluate_fixed -----------------------------------------------------------------

def evaluate_inference_mode(model, x, y):
    mode = model.training
    model.train(False)
    with torch.inference_mode():
        scores = model(x)
        loss = torch.nn.functional.cross_entropy(scores, y).item()
        accuracy = (scores.argmax(1) == y).sum().item() / len(y)
    model.train(mode)
    return loss, accuracy


def evaluate_try_finally(model, x, y):
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            log_probabilities = torch.log_softmax(model(x), dim=1)
            loss = torch.nn.functional.nll_loss(log_probabilities, y)
            accuracy = torch.mean((log_probabilities.argmax(dim=1) == y).to(torch.float64))
        return float(loss), float(accuracy)
    finally:
        if was_training:
            model.train()


def evaluate_copy_of_model(model, x, y):
    frozen = copy.deepcopy(model).eval()      # the caller's model is not touched at all
    with torch.no_grad():
        output = frozen(x)
    return (torch.nn.functional.cross_entropy(output, y).item(),
            (output.argmax(dim=1) == y).float().mean().item())


@pytest.mark.parametrize("function", [evaluate_inference_mode, evaluate_try_finally,
                                      evaluate_copy_of_model])
def test_evaluate_fixed_rewrites_pass(function):
    result = check.evaluate_fixed(function)
    assert result.passed, result.message
