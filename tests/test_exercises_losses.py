"""Correct rewrites of the loss exercises added after the first two (BCE with logits, Huber,
the cross-entropy's gradient, the fixed classifier loop): different code, the same answer.
Each must pass."""

import pytest
import torch
import torch.nn.functional as F

from descent import check


# --- bce_with_logits ----------------------------------------------------------------

def bce_softplus(logits, target):
    return (F.softplus(logits) - target * logits).mean()


def bce_logsigmoid(logits, target):
    return -(target * F.logsigmoid(logits) + (1 - target) * F.logsigmoid(-logits)).mean()


def bce_logaddexp(logits, target):
    return (torch.logaddexp(torch.zeros_like(logits), logits) - target * logits).mean()


def bce_log_not_log1p(logits, target):
    z = logits
    loss = torch.maximum(z, torch.zeros_like(z)) - z * target + torch.log(1 + torch.exp(-z.abs()))
    return loss.sum() / loss.numel()


@pytest.mark.parametrize("function", [bce_softplus, bce_logsigmoid, bce_logaddexp,
                                      bce_log_not_log1p])
def test_bce_with_logits_rewrites_pass(function):
    result = check.bce_with_logits(function)
    assert result.passed, result.message


# --- huber_loss ---------------------------------------------------------------------

def huber_by_clipping(input, target, delta):
    e = (input - target).abs()
    inside = e.clamp(max=delta)           # the part of the error in the quadratic zone
    return (0.5 * inside**2 + delta * (e - inside)).mean()


def huber_from_smooth_l1(input, target, delta):
    return delta * F.smooth_l1_loss(input, target, beta=delta)


def huber_with_mask(input, target, delta):
    e = input - target
    small = e.abs() <= delta
    loss = small * 0.5 * e**2 + (~small) * (delta * e.abs() - 0.5 * delta**2)
    return loss.mean()


@pytest.mark.parametrize("function", [huber_by_clipping, huber_from_smooth_l1, huber_with_mask])
def test_huber_loss_rewrites_pass(function):
    result = check.huber_loss(function)
    assert result.passed, result.message


# --- cross_entropy_gradient -----------------------------------------------------------

def ce_gradient_by_hand(logits, target):
    e = torch.exp(logits - logits.max(dim=1, keepdim=True).values)
    p = e / e.sum(dim=1, keepdim=True)
    p[torch.arange(len(target)), target] -= 1
    return p / len(target)


def ce_gradient_scatter(logits, target):
    y = torch.zeros_like(logits).scatter_(1, target.unsqueeze(1), 1.0)
    return (logits.softmax(dim=-1) - y) / logits.shape[0]


def ce_gradient_eye(logits, target):
    n, c = logits.shape
    return (F.softmax(logits, dim=1) - torch.eye(c, dtype=logits.dtype,
                                                 device=logits.device)[target]) / n


@pytest.mark.parametrize("function", [ce_gradient_by_hand, ce_gradient_scatter, ce_gradient_eye])
def test_cross_entropy_gradient_rewrites_pass(function):
    result = check.cross_entropy_gradient(function)
    assert result.passed, result.message


# --- train_classifier_fixed ---------------------------------------------------------

def train_by_hand(model, x, y, lr, epochs):
    for _ in range(epochs):
        loss = F.cross_entropy(model(x), y)
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad


def train_with_log_softmax(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for epoch in range(epochs):
        log_probabilities = F.log_softmax(model(x), dim=1)
        loss = F.nll_loss(log_probabilities, y)
        optimizer.zero_grad(set_to_none=False)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def train_with_the_library(model, x, y, lr, epochs):
    import descent
    optimizer = descent.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(epochs):
        descent.train.train_epoch(model, descent.losses.cross_entropy, optimizer, x, y)


@pytest.mark.parametrize("function", [train_by_hand, train_with_log_softmax,
                                      train_with_the_library])
def test_train_classifier_fixed_rewrites_pass(function):
    result = check.train_classifier_fixed(function)
    assert result.passed, result.message


def test_bce_check_shows_the_huge_logits():
    result = check.bce_with_logits(bce_softplus)
    assert "±1000" in result.message
