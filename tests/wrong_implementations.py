"""A catalogue of wrong exercise solutions, written the way learners write them.

Each entry: (check name, the mistake the grader must name, the wrong function).
tests/test_exercises.py checks that every one fails with its own diagnosis.
"""

import math

import torch

CATALOGUE = []


def wrong(check_name, mistake):
    def register(function):
        CATALOGUE.append((check_name, mistake, function))
        return function
    return register


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


# --- Functions ---------------------------------------------------------------------

@wrong("article_gradients", "the minus sign is missing (the source article's error)")
def gradients_as_in_the_article(w, b, x, y):
    residual = y - (x @ w + b)
    return (residual[:, None] * x).sum(dim=0), residual.sum()


@wrong("gradient_descent", "gradient sign flipped (gradient ascent)")
def gradient_ascent(grad, theta0, lr, steps):
    theta = theta0.clone()
    for _ in range(steps):
        theta = theta + lr * grad(theta)
    return theta


@wrong("gradient_descent", "input modified")
def gradient_descent_in_place(grad, theta0, lr, steps):
    theta = theta0
    for _ in range(steps):
        theta -= lr * grad(theta)    # also changes the caller's theta0
    return theta


@wrong("sgd_epoch", "gradient summed over the batch instead of averaged")
def sgd_epoch_summed(w, x, y, lr, batch_size, order):
    for start in range(0, len(x), batch_size):
        b = order[start:start + batch_size]
        w = w - lr * x[b].T @ (x[b] @ w - y[b])
    return w


@wrong("mse_loss", "summed instead of averaged")
def mse_summed(input, target):
    return ((input - target) ** 2).sum()


@wrong("cross_entropy", "not numerically stable")
def cross_entropy_naive(logits, target):
    p = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)
    return -torch.log(p[range(len(target)), target]).mean()


@wrong("warmup_cosine", "warm-up off by one")
def warmup_off_by_one(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return 0.5 * (1 + math.cos(math.pi * progress))


@wrong("l2_penalty", "the factor ½ is missing")
def l2_without_half(params, lam):
    return lam * sum((p**2).sum() for p in params)


@wrong("l1_penalty", "absolute value missing")
def l1_without_abs(params, lam):
    return lam * sum(p.sum() for p in params)


@wrong("dropout", "no inverted scaling")
def dropout_without_scaling(x, p, training):
    if not training:
        return x
    return x * (torch.rand_like(x) > p)


@wrong("dropout", "active in eval mode")
def dropout_always_on(x, p, training):
    if p == 1:
        return torch.zeros_like(x)
    return x * (torch.rand_like(x) > p) / (1 - p)


@wrong("dropout", "input modified")
def dropout_in_place(x, p, training):
    if not training:
        return x
    x[torch.rand_like(x) < p] = 0
    return x.div_(1 - p) if p < 1 else x


@wrong("kaiming_normal_", "the gain √2 for ReLU is missing")
def kaiming_without_gain(tensor):
    fan_in = tensor.shape[1] * math.prod(tensor.shape[2:])
    with torch.no_grad():
        return tensor.normal_(0, 1 / math.sqrt(fan_in))


@wrong("kaiming_normal_", "out of place")
def kaiming_out_of_place(tensor):
    fan_in = tensor.shape[1] * math.prod(tensor.shape[2:])
    return torch.randn(tensor.shape) * math.sqrt(2 / fan_in)


# --- Broken code, whatever the exercise -----------------------------------------------

@wrong("mse_loss", "exception")
def mse_with_a_typo(input, target):
    return ((input - target) ** 2).maen()


@wrong("mse_loss", "returned None")
def mse_without_return(input, target):
    ((input - target) ** 2).mean()


@wrong("mse_loss", "wrong shape")
def mse_per_row(input, target):
    return ((input - target) ** 2).mean(dim=1)


@wrong("mse_loss", "wrong dtype")
def mse_in_half_precision(input, target):
    return ((input - target) ** 2).mean().half()


@wrong("mse_loss", "not finite")
def mse_divided_by_zero(input, target):
    return ((input - target) ** 2).mean() / 0


@wrong("l2_penalty", "not differentiable")
def l2_as_a_float(params, lam):
    return torch.tensor(lam / 2 * sum((p**2).sum().item() for p in params),
                        dtype=params[0].dtype, device=params[0].device)


@wrong("gradient_descent", "time limit")
def gradient_descent_forever(grad, theta0, lr, steps):
    theta = theta0.clone()
    while steps > 0:                 # forgot to decrement
        theta = theta - lr * grad(theta)
    return theta
