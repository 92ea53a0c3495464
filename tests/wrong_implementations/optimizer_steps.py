"""Wrong solutions, written the way learners write them: Adagrad, the heavy ball, and the
size of Adam's first step (the optimizer exercises added after the first five)."""

import math

import torch

from wrong_implementations.registry import wrong

# --- Adagrad ------------------------------------------------------------------------

@wrong("adagrad_step", "ε inside the square root")
def adagrad_eps_inside(param, grad, state, *, lr, eps):
    state["sum"] = state.get("sum", torch.zeros_like(param)) + grad**2
    param -= lr * grad / torch.sqrt(state["sum"] + eps)


@wrong("adagrad_step", "running average instead of sum (this is RMSprop)")
def adagrad_running_average(param, grad, state, *, lr, eps):
    s = state.setdefault("sum", torch.zeros_like(param))
    s.mul_(0.9).add_(0.1 * grad * grad)
    param -= lr * grad / (s.sqrt() + eps)


@wrong("adagrad_step", "running average instead of sum (this is RMSprop)")
def adagrad_running_average_099(param, grad, state, *, lr, eps):
    state["G"] = 0.99 * state.get("G", 0) + 0.01 * grad**2
    param.sub_(lr * grad / (state["G"] ** 0.5 + eps))


@wrong("adagrad_step", "square root missing")
def adagrad_without_root(param, grad, state, *, lr, eps):
    if "G" not in state:
        state["G"] = torch.zeros_like(param)
    state["G"] += grad * grad
    param -= lr * grad / (state["G"] + eps)


@wrong("adagrad_step", "state not kept between steps")
def adagrad_forgets(param, grad, state, *, lr, eps):
    G = torch.zeros_like(param)
    G = G + grad**2
    param -= lr * grad / (G.sqrt() + eps)


@wrong("adagrad_step", "gradient sign flipped")
def adagrad_uphill(param, grad, state, *, lr, eps):
    state["sum"] = state.get("sum", 0) + grad**2
    param += lr * grad / (state["sum"].sqrt() + eps)


@wrong("adagrad_step", "the sum is updated after the step")
def adagrad_sum_after_step(param, grad, state, *, lr, eps):
    s = state.get("sum", torch.zeros_like(param))
    param -= lr * grad / (s.sqrt() + eps)
    state["sum"] = s + grad**2


@wrong("adagrad_step", "mean instead of sum")
def adagrad_mean(param, grad, state, *, lr, eps):
    state.setdefault("squares", []).append(grad**2)
    mean = torch.stack(state["squares"]).mean(dim=0)
    param -= lr * grad / (mean.sqrt() + eps)


@wrong("adagrad_step", "ε added to the step, not to the denominator")
def adagrad_parentheses(param, grad, state, *, lr, eps):
    state["sum"] = state.get("sum", torch.zeros_like(param)) + grad**2
    param -= lr * grad / state["sum"].sqrt() + eps


@wrong("adagrad_step", "one sum for the whole tensor")
def adagrad_norm(param, grad, state, *, lr, eps):
    state["sum"] = state.get("sum", 0.0) + (grad**2).sum()
    param -= lr * grad / (state["sum"] ** 0.5 + eps)


@wrong("adagrad_step", "state aliases grad")
def adagrad_keeps_grad(param, grad, state, *, lr, eps):
    if "sum" not in state:
        state["g2"] = grad                       # kept without a copy
        state["sum"] = grad**2
    else:
        state["sum"] = state["sum"] + grad**2
    param -= lr * grad / (state["sum"].sqrt() + eps)


# --- The heavy ball -----------------------------------------------------------------

@wrong("heavy_ball_step", "sign of the β term flipped")
def heavy_ball_minus_beta(param, grad, state, *, lr, momentum):
    previous = state.get("prev", param.clone())
    state["prev"] = param.clone()
    param -= lr * grad + momentum * (param - previous)


@wrong("heavy_ball_step", "previous parameter not used: this is plain gradient descent")
def heavy_ball_stored_after_update(param, grad, state, *, lr, momentum):
    previous = state.get("prev", param.clone())
    param += -lr * grad + momentum * (param - previous)
    state["prev"] = param.clone()                # θ_{t+1}, not θ_t: the difference is always 0


@wrong("heavy_ball_step", "previous parameter not used: this is plain gradient descent")
def heavy_ball_stored_before_use(param, grad, state, *, lr, momentum):
    state["prev"] = param.clone()
    param += -lr * grad + momentum * (param - state["prev"])


@wrong("heavy_ball_step", "state aliases param")
def heavy_ball_alias(param, grad, state, *, lr, momentum):
    previous = state.get("prev", param)
    step = -lr * grad + momentum * (param - previous)
    state["prev"] = param                        # the same tensor, which is updated in place
    param += step


@wrong("heavy_ball_step", "θ₋₁ starts at 0, not at θ₀")
def heavy_ball_from_zero(param, grad, state, *, lr, momentum):
    previous = state.get("prev", torch.zeros_like(param))
    state["prev"] = param.clone()
    param += -lr * grad + momentum * (param - previous)


@wrong("heavy_ball_step", "this is the source article's \"momentum\": β times the previous "
                          "gradient")
def heavy_ball_article(param, grad, state, *, lr, momentum):
    param += -lr * grad + momentum * state.get("last_grad", torch.zeros_like(grad))
    state["last_grad"] = grad.clone()


@wrong("heavy_ball_step", "this is PyTorch's momentum (a buffer of gradients), not the heavy "
                          "ball")
def heavy_ball_buffer(param, grad, state, *, lr, momentum):
    b = state.get("buf")
    b = grad.clone() if b is None else momentum * b + grad
    state["buf"] = b
    param -= lr * b


@wrong("heavy_ball_step", "the momentum term uses the parameter after the gradient step")
def heavy_ball_two_updates(param, grad, state, *, lr, momentum):
    previous = state.get("prev", param.clone())
    state["prev"] = param.clone()
    param -= lr * grad
    param += momentum * (param - previous)


@wrong("heavy_ball_step", "the velocity is an average, not a sum")
def heavy_ball_ema(param, grad, state, *, lr, momentum):
    v = state.get("v", torch.zeros_like(param))
    v = momentum * v + (1 - momentum) * grad
    state["v"] = v
    param -= lr * v


@wrong("heavy_ball_step", "gradient sign flipped")
def heavy_ball_uphill(param, grad, state, *, lr, momentum):
    v = state.get("v", torch.zeros_like(param))
    v = momentum * v + lr * grad
    state["v"] = v
    param += v


# --- The size of Adam's first step ---------------------------------------------------

@wrong("adam_first_step", "bias correction missing")
def first_step_uncorrected(lr, beta1, beta2, eps, grad):
    m = (1 - beta1) * grad
    v = (1 - beta2) * grad**2
    return lr * m / (v.sqrt() + eps)


@wrong("adam_first_step", "ε ignored: α·sign(g)")
def first_step_sign(lr, beta1, beta2, eps, grad):
    return lr * torch.sign(grad)


@wrong("adam_first_step", "ε ignored: α·sign(g)")
def first_step_cancelled(lr, beta1, beta2, eps, grad):
    return lr * grad / grad.abs()                # "g/|g| = ±1"


@wrong("adam_first_step", "ε inside the square root")
def first_step_eps_inside(lr, beta1, beta2, eps, grad):
    return lr * grad / torch.sqrt(grad**2 + eps)


@wrong("adam_first_step", "the step is α·g, as in SGD")
def first_step_sgd(lr, beta1, beta2, eps, grad):
    return lr * grad


@wrong("adam_first_step", "ε added before the bias correction")
def first_step_efficient_form(lr, beta1, beta2, eps, grad):
    lr_t = lr * math.sqrt(1 - beta2) / (1 - beta1)
    return lr_t * (1 - beta1) * grad / (((1 - beta2) * grad**2).sqrt() + eps)


@wrong("adam_first_step", "bias correction applied to only one average")
def first_step_m_corrected_only(lr, beta1, beta2, eps, grad):
    m_hat = (1 - beta1) * grad / (1 - beta1)
    v = (1 - beta2) * grad**2
    return lr * m_hat / (v.sqrt() + eps)


@wrong("adam_first_step", "sign flipped: this is θ_1 − θ_0")
def first_step_difference_reversed(lr, beta1, beta2, eps, grad):
    theta0 = torch.zeros_like(grad)
    theta1 = theta0 - lr * grad / (grad.abs() + eps)
    return theta1 - theta0


@wrong("adam_first_step", "the sign of the step is missing")
def first_step_magnitude(lr, beta1, beta2, eps, grad):
    return (lr * grad / (grad.abs() + eps)).abs()


@wrong("adam_first_step", "returned None")
def first_step_no_return(lr, beta1, beta2, eps, grad):
    step = lr * grad / (grad.abs() + eps)        # noqa: F841


@wrong("adagrad_step", "the first gradient counted twice")
def adagrad_initialized_with_g2(param, grad, state, *, lr, eps):
    if "sum" not in state:
        state["sum"] = grad**2
    state["sum"] = state["sum"] + grad**2
    param -= lr * grad / (state["sum"].sqrt() + eps)


@wrong("adagrad_step", "running average instead of sum (this is RMSprop)")
def adagrad_running_average_095(param, grad, state, *, lr, eps):
    state["v"] = 0.95 * state.get("v", torch.zeros_like(param)) + 0.05 * grad * grad
    param -= lr * grad / (torch.sqrt(state["v"]) + eps)


@wrong("heavy_ball_step", "the previous parameter is never updated")
def heavy_ball_setdefault(param, grad, state, *, lr, momentum):
    previous = state.setdefault("prev", param.clone())
    param += -lr * grad + momentum * (param - previous)


@wrong("adam_first_step", "step count t starts at 0")
def first_step_t0(lr, beta1, beta2, eps, grad):
    t = 0
    m_hat = (1 - beta1) * grad / (1 - beta1**t)
    v_hat = (1 - beta2) * grad**2 / (1 - beta2**t)
    return lr * m_hat / (v_hat.sqrt() + eps)
