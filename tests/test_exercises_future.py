"""Correct rewrites of the exercises of the chapter "Where the field is going" (the Lion step,
the memory of an optimizer's state): different code, the same result. Each must pass."""

import pytest
import torch

from descent import check


# --- lion_step -----------------------------------------------------------------------

def lion_lerp(param, grad, state, *, lr, beta1, beta2, weight_decay):
    if "exp_avg" not in state:
        state["exp_avg"] = torch.zeros_like(param)
    m = state["exp_avg"]
    update = grad.lerp(m, beta1).sign_()              # (1 − β1)·g + β1·m
    param.mul_(1 - lr * weight_decay).add_(update, alpha=-lr)
    m.lerp_(grad, 1 - beta2)                           # β2·m + (1 − β2)·g


def lion_update_then_decay_form(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state["m"] if "m" in state else 0 * grad
    direction = torch.sign(beta1 * m + (1 - beta1) * grad)
    param.copy_(param - lr * (direction + weight_decay * param))   # θ − α(sign(c) + λθ)
    state["m"] = m * beta2 + grad * (1 - beta2)


def lion_where(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.setdefault("m", torch.zeros_like(param))
    c = beta1 * m + (1 - beta1) * grad
    sign = torch.where(c > 0, 1.0, torch.where(c < 0, -1.0, 0.0)).to(param.dtype)
    param -= lr * weight_decay * param
    param -= lr * sign
    m *= beta2
    m += (1 - beta2) * grad


@pytest.mark.parametrize("step", [lion_lerp, lion_update_then_decay_form, lion_where])
def test_lion_rewrites_pass(step):
    result = check.lion_step(step)
    assert result.passed, result.message


# --- optimizer_state_bytes -------------------------------------------------------------

def state_by_cases(n_params, optimizer, bytes_per_value):
    if optimizer == "sgd":
        copies = 0
    elif optimizer in ("adam", "adamw"):
        copies = 2                                      # m and v
    else:
        copies = 1                                      # one running average or velocity
    return float(copies * n_params * bytes_per_value)


def state_by_names(n_params, optimizer, bytes_per_value):
    kept = {"sgd": [], "momentum": ["b"], "nesterov": ["b"], "adagrad": ["sum of g²"],
            "rmsprop": ["v"], "adam": ["m", "v"], "adamw": ["m", "v"], "lion": ["m"]}
    return len(kept[optimizer]) * bytes_per_value * n_params


@pytest.mark.parametrize("formula", [state_by_cases, state_by_names])
def test_optimizer_state_bytes_rewrites_pass(formula):
    result = check.optimizer_state_bytes(formula)
    assert result.passed, result.message
