"""Solutions: the Lion step, and the memory an optimizer's state takes."""

import torch


def lion_step(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", torch.zeros_like(param))          # m_0 = 0
    c = beta1 * m + (1 - beta1) * grad                    # interpolate with the OLD m
    param.mul_(1 - lr * weight_decay)                     # decoupled weight decay
    param.sub_(lr * torch.sign(c))                        # every coordinate moves by lr
    state["m"] = beta2 * m + (1 - beta2) * grad           # then update the momentum


def optimizer_state_bytes(n_params, optimizer, bytes_per_value):
    # Tensors of the parameters' size kept between steps:
    buffers = {"sgd": 0,                                  # nothing: θ ← θ − α·g
               "momentum": 1, "nesterov": 1,              # the velocity b
               "adagrad": 1, "rmsprop": 1,                # the (average) squared gradient
               "adam": 2, "adamw": 2,                     # m and v
               "lion": 1}                                 # m
    return buffers[optimizer] * n_params * bytes_per_value
