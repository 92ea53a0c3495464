"""Correct rewrites of the optimizer exercises added after the first five (Adagrad, the heavy
ball, the size of Adam's first step): different code, the same algorithm. Each must pass."""

import pytest
import torch

from descent import check


# --- Adagrad ------------------------------------------------------------------------

def adagrad_in_place(param, grad, state, *, lr, eps):
    s = state.setdefault("sum", torch.zeros_like(param))
    s.addcmul_(grad, grad)
    param.addcdiv_(grad, s.sqrt().add_(eps), value=-lr)


def adagrad_effective_rate(param, grad, state, *, lr, eps):
    state["G"] = state["G"] + grad * grad if "G" in state else grad * grad
    effective_lr = lr / (torch.sqrt(state["G"]) + eps)     # one rate per coordinate
    param.sub_(effective_lr * grad)


def adagrad_history(param, grad, state, *, lr, eps):
    state.setdefault("squares", []).append(grad.pow(2))
    total = torch.stack(state["squares"]).sum(dim=0)
    param -= lr * grad / (total**0.5 + eps)


@pytest.mark.parametrize("step", [adagrad_in_place, adagrad_effective_rate, adagrad_history])
def test_adagrad_rewrites_pass(step):
    result = check.adagrad_step(step)
    assert result.passed, result.message


# --- The heavy ball -----------------------------------------------------------------

def heavy_ball_velocity(param, grad, state, *, lr, momentum):
    # v holds the last step θ_t − θ_{t−1} (0 before the first call)
    v = momentum * state.get("v", torch.zeros_like(param)) - lr * grad
    state["v"] = v
    param += v


def heavy_ball_copy(param, grad, state, *, lr, momentum):
    previous = state["previous"] if "previous" in state else param.detach().clone()
    new = param - lr * grad + momentum * (param - previous)
    state["previous"] = param.detach().clone()
    param.copy_(new)


def heavy_ball_two_tensors(param, grad, state, *, lr, momentum):
    if not state:
        state["theta_prev"] = torch.empty_like(param).copy_(param)
    theta = param.clone()
    param.add_(grad, alpha=-lr).add_(theta - state["theta_prev"], alpha=momentum)
    state["theta_prev"] = theta


@pytest.mark.parametrize("step", [heavy_ball_velocity, heavy_ball_copy, heavy_ball_two_tensors])
def test_heavy_ball_rewrites_pass(step):
    result = check.heavy_ball_step(step)
    assert result.passed, result.message


# --- The size of Adam's first step ---------------------------------------------------

def first_step_by_parts(lr, beta1, beta2, eps, grad):
    m = (1 - beta1) * grad
    v = (1 - beta2) * grad * grad
    m_hat, v_hat = m / (1 - beta1), v / (1 - beta2)
    return lr * m_hat / (torch.sqrt(v_hat) + eps)


def first_step_from_torch(lr, beta1, beta2, eps, grad):
    theta = torch.zeros_like(grad, requires_grad=True)
    theta.grad = grad.clone()
    torch.optim.Adam([theta], lr=lr, betas=(beta1, beta2), eps=eps).step()
    return -theta.detach()


def first_step_rearranged(lr, beta1, beta2, eps, grad):
    return lr * torch.sign(grad) * grad.abs() / (grad.abs() + eps)


@pytest.mark.parametrize("formula", [first_step_by_parts, first_step_from_torch,
                                     first_step_rearranged])
def test_adam_first_step_rewrites_pass(formula):
    result = check.adam_first_step(formula)
    assert result.passed, result.message
