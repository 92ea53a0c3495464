"""Wrong solutions, written the way learners write them: the Lion step and the memory of an
optimizer's state."""

import torch

from wrong_implementations.registry import wrong

# --- lion_step -----------------------------------------------------------------------

@wrong("lion_step", "momentum updated before the interpolation")
def lion_momentum_first(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", torch.zeros_like(param))
    m = beta2 * m + (1 - beta2) * grad
    state["m"] = m
    c = beta1 * m + (1 - beta1) * grad
    param.mul_(1 - lr * weight_decay).sub_(lr * c.sign())


@wrong("lion_step", "sign missing")
def lion_without_sign(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", torch.zeros_like(param))
    c = beta1 * m + (1 - beta1) * grad
    param.mul_(1 - lr * weight_decay)
    param.sub_(lr * c)
    state["m"] = beta2 * m + (1 - beta2) * grad


@wrong("lion_step", "β₁ and β₂ swapped")
def lion_betas_swapped(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.setdefault("m", torch.zeros_like(param))
    update = torch.sign(beta2 * m + (1 - beta2) * grad)
    param.mul_(1 - lr * weight_decay)
    param.add_(update, alpha=-lr)
    m.mul_(beta1).add_(grad, alpha=1 - beta1)


@wrong("lion_step", "weight decay not scaled by the learning rate")
def lion_decay_without_lr(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", torch.zeros_like(param))
    c = beta1 * m + (1 - beta1) * grad
    param *= 1 - weight_decay
    param -= lr * torch.sign(c)
    state["m"] = beta2 * m + (1 - beta2) * grad


@wrong("lion_step", "weight decay added to the gradient (coupled)")
def lion_coupled_decay(param, grad, state, *, lr, beta1, beta2, weight_decay):
    grad = grad + weight_decay * param
    m = state.get("m", torch.zeros_like(param))
    param -= lr * torch.sign(beta1 * m + (1 - beta1) * grad)
    state["m"] = beta2 * m + (1 - beta2) * grad


@wrong("lion_step", "momentum not kept between steps, or not used: this steps along sign(g)")
def lion_forgets_momentum(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = torch.zeros_like(param)
    c = beta1 * m + (1 - beta1) * grad
    param.mul_(1 - lr * weight_decay).sub_(lr * torch.sign(c))
    m = beta2 * m + (1 - beta2) * grad


@wrong("lion_step", "momentum starts at the first gradient")
def lion_momentum_from_first_gradient(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", grad)
    c = beta1 * m + (1 - beta1) * grad
    param.mul_(1 - lr * weight_decay).sub_(lr * torch.sign(c))
    state["m"] = beta2 * m + (1 - beta2) * grad


@wrong("lion_step", "out of place")
def lion_out_of_place(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", torch.zeros_like(param))
    c = beta1 * m + (1 - beta1) * grad
    param = param * (1 - lr * weight_decay) - lr * torch.sign(c)
    state["m"] = beta2 * m + (1 - beta2) * grad
    return param


# --- optimizer_state_bytes -------------------------------------------------------------

@wrong("optimizer_state_bytes", "parameters and gradients counted too")
def state_with_parameters_and_gradients(n_params, optimizer, bytes_per_value):
    state = {"sgd": 0, "momentum": 1, "nesterov": 1, "adagrad": 1, "rmsprop": 1, "adam": 2,
             "adamw": 2, "lion": 1}[optimizer]
    return (2 + state) * n_params * bytes_per_value          # weights + gradients + state


@wrong("optimizer_state_bytes", "bits instead of bytes")
def state_in_bits(n_params, optimizer, bytes_per_value):
    buffers = 2 if optimizer in ("adam", "adamw") else 0 if optimizer == "sgd" else 1
    return buffers * n_params * bytes_per_value * 8


@wrong("optimizer_state_bytes", "Adam counted as one buffer")
def state_adam_as_one(n_params, optimizer, bytes_per_value):
    if optimizer == "sgd":
        return 0
    return n_params * bytes_per_value


@wrong("optimizer_state_bytes", "bytes_per_value ignored (this counts values, not bytes)")
def state_values_only(n_params, optimizer, bytes_per_value):
    if optimizer == "sgd":
        return 0
    return 2 * n_params if optimizer.startswith("adam") else n_params


@wrong("optimizer_state_bytes", "Lion counted as two buffers")
def state_lion_like_adam(n_params, optimizer, bytes_per_value):
    two = {"adam", "adamw", "lion"}
    return (2 if optimizer in two else 0 if optimizer == "sgd" else 1) * n_params * bytes_per_value


@wrong("optimizer_state_bytes", "exception")
def state_unknown_name(n_params, optimizer, bytes_per_value):
    return {"SGD": 0, "Momentum": 1, "Adam": 2}[optimizer] * n_params * bytes_per_value
