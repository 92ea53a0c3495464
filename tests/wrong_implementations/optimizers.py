"""Wrong solutions, written the way learners write them: optimizer step functions."""

import torch

from wrong_implementations.registry import wrong

# --- Adam -------------------------------------------------------------------------

@wrong("adam_step", "bias correction missing")
def adam_without_bias_correction(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay:
        grad = grad + weight_decay * param
    m = beta1 * state.get("m", 0) + (1 - beta1) * grad
    v = beta2 * state.get("v", 0) + (1 - beta2) * grad * grad
    state["m"], state["v"] = m, v
    param -= lr * m / (torch.sqrt(v) + eps)


@wrong("adam_step", "ε inside the square root")
def adam_eps_inside(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay:
        grad = grad + weight_decay * param
    state["t"] = state.get("t", 0) + 1
    t = state["t"]
    state["m"] = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    state["v"] = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    m_hat, v_hat = state["m"] / (1 - beta1**t), state["v"] / (1 - beta2**t)
    param -= lr * m_hat / torch.sqrt(v_hat + eps)


@wrong("adam_step", "this is the source article's Adam: bias correction missing and ε inside "
                    "the square root")
def article_adam(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay:
        grad = grad + weight_decay * param
    state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * grad
    state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * grad**2
    param -= lr * state["m"] / torch.sqrt(state["v"] + eps)


@wrong("adam_step", "state not kept between steps")
def adam_forgets(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay:
        grad = grad + weight_decay * param
    m, v, t = torch.zeros_like(param), torch.zeros_like(param), 0   # re-created every call
    t += 1
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    param -= lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)


@wrong("adam_step", "step count t not kept between steps")
def adam_step_count_reset(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay:
        grad = grad + weight_decay * param
    t = 1
    state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * grad
    state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * grad**2
    param -= lr * (state["m"] / (1 - beta1**t)) / ((state["v"] / (1 - beta2**t)).sqrt() + eps)


@wrong("adam_step", "weight decay decoupled, but Adam couples it")
def adam_with_decoupled_decay(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param *= 1 - lr * weight_decay
    t = state["t"] = state.get("t", 0) + 1
    state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * grad
    state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * grad**2
    param -= lr * (state["m"] / (1 - beta1**t)) / ((state["v"] / (1 - beta2**t)).sqrt() + eps)


@wrong("adam_step", "input modified")
def adam_changes_grad(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    grad.add_(weight_decay * param)                  # modifies the caller's gradient
    t = state["t"] = state.get("t", 0) + 1
    state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * grad
    state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * grad**2
    param -= lr * (state["m"] / (1 - beta1**t)) / ((state["v"] / (1 - beta2**t)).sqrt() + eps)


@wrong("adam_step", "out of place")
def adam_out_of_place(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    t = state["t"] = state.get("t", 0) + 1
    state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * grad
    state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * grad**2
    param = param - lr * (state["m"] / (1 - beta1**t)) / ((state["v"] / (1 - beta2**t)).sqrt() + eps)
    return param


# --- AdamW ------------------------------------------------------------------------

def learner_adam(param, grad, state, lr, beta1, beta2, eps):
    t = state["t"] = state.get("t", 0) + 1
    state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * grad
    state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * grad**2
    param -= lr * (state["m"] / (1 - beta1**t)) / ((state["v"] / (1 - beta2**t)).sqrt() + eps)


@wrong("adamw_step", "weight decay coupled where it should be decoupled")
def adamw_coupled(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    learner_adam(param, grad + weight_decay * param, state, lr, beta1, beta2, eps)


@wrong("adamw_step", "weight decay not scaled by the learning rate")
def adamw_without_lr(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param *= 1 - weight_decay
    learner_adam(param, grad, state, lr, beta1, beta2, eps)


# --- Momentum and Nesterov -------------------------------------------------------------

@wrong("momentum_step", "dampening misapplied")
def momentum_dampens_first_step(param, grad, state, *, lr, momentum, dampening):
    b = state.get("b", torch.zeros_like(param))
    b = momentum * b + (1 - dampening) * grad
    state["b"] = b
    param -= lr * b


@wrong("momentum_step", "state not kept between steps: this is plain SGD")
def momentum_without_memory(param, grad, state, *, lr, momentum, dampening):
    velocity = grad.clone()          # a local variable: gone after the call
    param -= lr * velocity


@wrong("momentum_step", "gradient sign flipped")
def momentum_uphill(param, grad, state, *, lr, momentum, dampening):
    if "b" not in state:
        state["b"] = grad.clone()
    else:
        state["b"] = momentum * state["b"] + (1 - dampening) * grad
    param += lr * state["b"]


@wrong("momentum_step", "this is the source article's \"momentum\"")
def momentum_as_in_the_article(param, grad, state, *, lr, momentum, dampening):
    previous = state.get("previous", torch.zeros_like(grad))
    param -= lr * grad
    param += momentum * previous
    state["previous"] = grad.clone()


@wrong("nesterov_step", "this is plain momentum, not Nesterov")
def nesterov_forgets_look_ahead(param, grad, state, *, lr, momentum):
    state["b"] = grad.clone() if "b" not in state else momentum * state["b"] + grad
    param -= lr * state["b"]


# --- RMSprop ---------------------------------------------------------------------

@wrong("rmsprop_step", "ε inside the square root")
def rmsprop_eps_inside(param, grad, state, *, lr, alpha, eps):
    state["v"] = alpha * state.get("v", 0) + (1 - alpha) * grad**2
    param -= lr * grad / torch.sqrt(state["v"] + eps)


@wrong("rmsprop_step", "this is the source article's formula")
def rmsprop_as_in_the_article(param, grad, state, *, lr, alpha, eps):
    param -= lr * grad / torch.sqrt(1 + alpha * grad**2)


@wrong("rmsprop_step", "ρ and 1 − ρ swapped")
def rmsprop_swapped(param, grad, state, *, lr, alpha, eps):
    state["v"] = (1 - alpha) * state.get("v", 0) + alpha * grad**2
    param -= lr * grad / (torch.sqrt(state["v"]) + eps)


# --- Cases the first grader let through or misnamed (issue 13) ------------------------

@wrong("adamw_step", "weight decay missing")
def adamw_without_decay(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    t = state["t"] = state.get("t", 0) + 1
    state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * grad
    state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * grad**2
    param -= lr * (state["m"] / (1 - beta1**t)) / ((state["v"] / (1 - beta2**t)).sqrt() + eps)


@wrong("adam_step", "step count t starts at 0")
def adam_counting_from_zero(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay:
        grad = grad + weight_decay * param
    t = state.get("t", 0)
    state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * grad
    state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * grad**2
    param -= lr * (state["m"] / (1 - beta1**t)) / ((state["v"] / (1 - beta2**t)).sqrt() + eps)
    state["t"] = t + 1


@wrong("adam_step", "forbidden call")
def adam_through_torch_optim(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if "optimizer" not in state:
        state["p"] = param.detach().clone().requires_grad_()
        state["optimizer"] = torch.optim.Adam([state["p"]], lr=lr, betas=(beta1, beta2),
                                              eps=eps, weight_decay=weight_decay)
    state["p"].grad = grad.clone()
    state["optimizer"].step()
    param.copy_(state["p"].detach())


@wrong("rmsprop_step", "float32 precision")
def rmsprop_with_a_float32_buffer(param, grad, state, *, lr, alpha, eps):
    if "v" not in state:
        state["v"] = torch.zeros(param.shape, device=param.device)   # float32, whatever param is
    state["v"].mul_(alpha).add_((1 - alpha) * grad * grad)
    param -= lr * grad / (state["v"].sqrt() + eps)


@wrong("momentum_step", "dampening ignored")
def momentum_without_dampening(param, grad, state, *, lr, momentum, dampening):
    if "b" not in state:
        state["b"] = grad.clone()
    else:
        state["b"] = momentum * state["b"] + grad
    param -= lr * state["b"]


@wrong("momentum_step", "state aliases grad")
def momentum_buffer_is_grad(param, grad, state, *, lr, momentum, dampening):
    if "b" not in state:
        state["b"] = grad                                  # no copy
    else:
        state["b"].mul_(momentum).add_((1 - dampening) * grad)
    param -= lr * state["b"]


@wrong("nesterov_step", "this is plain momentum, not Nesterov")
def nesterov_look_ahead_with_old_buffer(param, grad, state, *, lr, momentum):
    old = state.get("b")
    state["b"] = grad.clone() if old is None else momentum * old + grad
    param -= lr * (grad + momentum * (old if old is not None else 0))
