"""Solutions: optimizer step functions. Each updates `param` in place and keeps its
memory in the dict `state`."""

import torch


def momentum_step(param, grad, state, *, lr, momentum, dampening):
    if "momentum_buffer" not in state:
        state["momentum_buffer"] = grad.clone()            # b_1 = g_1
    else:
        b = state["momentum_buffer"]
        state["momentum_buffer"] = momentum * b + (1 - dampening) * grad
    param -= lr * state["momentum_buffer"]


def nesterov_step(param, grad, state, *, lr, momentum):
    if "momentum_buffer" not in state:
        state["momentum_buffer"] = grad.clone()
    else:
        state["momentum_buffer"] = momentum * state["momentum_buffer"] + grad
    param -= lr * (grad + momentum * state["momentum_buffer"])


def rmsprop_step(param, grad, state, *, lr, alpha, eps):
    v = state.get("square_avg", torch.zeros_like(param))
    v = alpha * v + (1 - alpha) * grad**2
    state["square_avg"] = v
    param -= lr * grad / (v.sqrt() + eps)


def adam_step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay != 0:
        grad = grad + weight_decay * param                 # L2: part of the gradient
    t = state["step"] = state.get("step", 0) + 1
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    param -= lr * m_hat / (v_hat.sqrt() + eps)


def adamw_step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param *= 1 - lr * weight_decay                         # decoupled weight decay
    adam_step(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=0)


def adagrad_step(param, grad, state, *, lr, eps):
    s = state.get("sum", torch.zeros_like(param)) + grad**2   # s_t = s_{t-1} + g_t²
    state["sum"] = s
    param -= lr * grad / (s.sqrt() + eps)


def heavy_ball_step(param, grad, state, *, lr, momentum):
    previous = state.get("previous", param)                   # θ_{t-2}; θ_0 on the first call
    step = -lr * grad + momentum * (param - previous)
    state["previous"] = param.clone()                         # a copy of θ_{t-1}, before it changes
    param += step


def adam_first_step(lr, beta1, beta2, eps, grad):
    # m_1 = (1 - β1) g and v_1 = (1 - β2) g², so m̂_1 = g and v̂_1 = g²: the betas cancel.
    return lr * grad / (grad.abs() + eps)
