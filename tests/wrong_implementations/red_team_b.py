"""Wrong answers to the exercises added with issue 13, from an independent red team
(written before reading the grader's catalogues)."""
import copy
import math

import numpy as np
import torch
import torch.nn.functional as F

from wrong_implementations.registry import wrong

# The diagnosis the grader gives each entry (checked by tests/test_exercises.py).
EXPECTED = {
    "adagrad_eps_inside": "ε inside the square root",
    "adagrad_no_sum": "state not kept between steps",
    "adagrad_average": "running average instead of sum (this is RMSprop)",
    "adagrad_not_inplace": "out of place",
    "adagrad_modifies_grad": "input modified",
    "adagrad_no_sqrt": "square root missing",
    "adagrad_stale_sum": "the sum is updated after the step",
    "adagrad_abs": "the sum adds |g|, not g²",
    "hb_alias": "state aliases param",
    "hb_store_after": "previous parameter not used: this is plain gradient descent",
    "hb_buffer": "this is PyTorch's momentum (a buffer of gradients), not the heavy ball",
    "hb_sign": "sign of the β term flipped",
    "hb_zero_init": "θ₋₁ starts at 0, not at θ₀",
    "hb_dampening": "the velocity is an average, not a sum",
    "hb_not_inplace": "out of place",
    "hb_velocity_lr_after": "this is PyTorch's momentum (a buffer of gradients), not the heavy ball",
    "af_sign": "ε ignored: α·sign(g)",
    "af_no_bias": "bias correction missing",
    "af_eps_inside": "ε inside the square root",
    "af_m_only": "bias correction applied to only one average",
    "af_v_only": "bias correction applied to only one average",
    "af_sign_flip": "sign flipped: this is θ_1 − θ_0",
    "af_eps_hat": "ε added before the bias correction",
    "pw_sgd": "wrong prediction",
    "pw_adam": "wrong prediction",
    "pw_index": "invalid prediction",
    "pw_list": "invalid prediction",
    "pw_other": "invalid prediction",
    "tl_linear": "linear grid",
    "tl_over_budget": "over budget",
    "tl_returns_loss": "returned a loss, not a learning rate",
    "tl_nan": "learning rate too large",
    "tl_argmax": "the chosen learning rate diverges",
    "tl_nine_calls": "over budget",
    "tl_log": "returned an index, not a learning rate",
    "tl_small": "learning rate too small",
    "lr_linear": "linear instead of geometric spacing",
    "lr_logspace": "logspace takes exponents, not rates",
    "lr_off_by_one": "off by one at the ends",
    "lr_drop_last": "the loss that stopped the test is missing",
    "lr_first": "compares with the first loss, not the best so far",
    "lr_previous": "compares with the previous loss, not the best so far",
    "lr_no_nan": "NaN does not stop the test",
    "lr_no_stop": "no early stop",
    "lr_swapped": "lrs and losses swapped",
    "ts_buggy": "scheduler stepped per batch",
    "ts_before": "scheduler stepped before the epoch's updates",
    "ts_epoch_arg": "scheduler.step(epoch) lags one epoch",
    "ts_zero_between": "zero_grad between backward and step",
    "ab_8": "the gradient written back",
    "ab_4": "only the reads counted",
    "ab_3": "only the writes counted",
    "ab_no_bytes": "bytes per value ignored",
    "ab_6": "the gradient forgotten",
    "ab_bits": "bits, not bytes",
    "ab_5": "this is SGD with momentum's count",
    "rt_min": "min instead of max",
    "rt_sum": "the two times added",
    "rt_memory": "only the memory time",
    "rt_compute": "only the arithmetic time",
    "rt_rate": "returned the attainable FLOP/s, not the time",
    "fp_cat": "parameters are not views of the buffer",
    "fp_rebind": "parameters are not views of the buffer",
    "fp_no_view_as": "wrong shape",
    "fp_clone": "parameters are not views of the buffer",
    "fp_no_copy": "values not copied",
    "fp_dtype": "wrong dtype",
    "fp_padding": "wrong shape",
    "fp_reversed": "wrong values",
    "fp_column_major": "values not copied",
    "fp_replace_list": "model broken",
    "px_lam": "threshold λ instead of αλ",
    "px_hard": "hard threshold: small weights zeroed, the others not shrunk",
    "px_subgradient": "subgradient step instead of the proximal step (no exact zeros)",
    "px_order": "shrink before the gradient step",
    "px_not_inplace": "out of place",
    "px_signed_clamp": "sign(w) missing: negative weights set to zero",
    "px_modifies_grad": "input modified",
    "px_no_grad_step": "gradient step missing",
    "es_no_copy": "best weights stored by reference (so \"best\" is the last)",
    "es_tie": "a tie counted as an improvement (`<=` instead of `<`)",
    "es_patience": "patience off by one (one epoch too late)",
    "es_zero_based": "best epoch numbered from 0",
    "es_no_restore": "best weights not restored",
    "es_last": "returned the last epoch, not the best",
    "es_counter": "patience counter not reset after an improvement",
    "es_previous": "patience counted against the previous epoch, not the best",
    "es_shallow": "best weights stored by reference (so \"best\" is the last)",
    "es_measure_before": "wrong best epoch",
    "tw_linear": "search too coarse",
    "tw_over": "over budget",
    "tw_loss": "returned a loss, not λ",
    "tw_zero": "no evaluation",
    "tw_argmax": "picked the highest loss",
    "tw_nine": "over budget",
    "tw_index": "returned an index, not λ",
    "tw_tiny": "search range too low",
    "tw_log": "invalid λ",
    "ef_no_grad_only": "model.eval() missing (dropout active during evaluation)",
    "ef_no_restore": "training mode not restored",
    "ef_always_train": "evaluation mode not restored",
    "ef_graph": "torch.no_grad() missing",
    "ef_percent": "accuracy in percent",
    "ef_attribute": "model.eval() missing (dropout active during evaluation)",
    "ef_seed": "model.eval() missing (dropout active during evaluation)",
    "ef_sum": "loss summed over the examples, not averaged",
    "ef_detach_input": "torch.no_grad() missing",
    "ln_m_first": "momentum updated before the interpolation",
    "ln_sign_m": "steps along sign(m) instead of sign(c)",
    "ln_decay_no_lr": "weight decay not scaled by the learning rate",
    "ln_decay_after": "weight decay applied after the sign step",
    "ln_no_sign": "sign missing",
    "ln_no_state": "momentum not kept between steps, or not used: this steps along sign(g)",
    "ln_alias_grad": "input modified",
    "ln_swapped": "β₁ and β₂ swapped",
    "os_sgd": "plain SGD counted with a buffer",
    "os_lion": "Lion counted as two buffers",
    "os_no_bytes": "bytes_per_value ignored (this counts values, not bytes)",
    "os_plus_two": "parameters and gradients counted too",
    "os_keyerror": "exception",
    "os_bits": "bits instead of bytes",
    "adagrad_float32_state": "float32 precision",
    "adagrad_precedence": "ε added to the step, not to the denominator",
    "adagrad_square_inplace": "input modified",
    "hb_detach": "state aliases param",
    "hb_view": "state aliases param",
    "hb_velocity_sign": "gradient sign flipped",
    "af_float32": "wrong dtype",
    "pw_free_text": "invalid prediction",
    "pw_none": "invalid prediction",
    "tl_guess": "no evaluation",
    "tl_largest_finite": "the chosen learning rate diverges",
    "ts_after_all": "scheduler never stepped",
    "rt_ms": "not in seconds",
    "rt_ridge_inverted": "min instead of max",
    "ab_no_n": "per parameter, not for n parameters",
    "fp_no_advance": "parameters changed",
    "fp_returns_list": "wrong type",
    "fp_copy_after": "values not copied",
    "px_data": "param.data replaced",
    "px_half": "threshold αλ/2 instead of αλ",
    "es_restore_on_stop": "best weights not restored",
    "es_dict_copy": "best weights stored by reference (so \"best\" is the last)",
    "es_max_off": "stops one epoch before max_epochs",
    "es_copy_model": "best weights stored by reference (so \"best\" is the last)",
    "es_returns_loss": "returned the best validation loss, not the best epoch",
    "tw_guess": "no evaluation",
    "ef_mode_after": "training mode not restored",
    "ef_global_grad": "gradient tracking left off",
    "ef_swapped": "loss and accuracy swapped",
    "ef_count": "number of correct predictions, not the accuracy",
    "ef_softmax": "softmax applied before the cross-entropy",
    "ln_m0_grad": "momentum starts at the first gradient",
    "ln_coupled": "weight decay added to the gradient (coupled)",
    "os_adam3": "Adam counted as three buffers",
    "os_momentum0": "momentum counted as stateless",
    "x_es_forever": "trained past max_epochs",
    "x_rt_string": "wrong type",
    "x_af_list": "wrong type",
    "x_fp_none": "returned None",
    "x_lr_gen": "wrong type",
    "x_ef_none": "model not called",
    "x_ln_raise": "exception",
    "x_tl_nan": "not a positive learning rate",
    "x_tl_str": "wrong type",
    "x_tw_neg": "invalid λ",
    "x_ts_raise": "exception",
    "x_ag_return": "out of place",
    "x_hb_rebind_state": "previous parameter not used: this is plain gradient descent",
    "x_px_return": "out of place"
}


def case(exercise, *label_and_kind):
    """Register the function with its expected diagnosis (entries without one stay out)."""
    def register(function):
        if function.__name__ in EXPECTED:
            wrong(exercise, EXPECTED[function.__name__])(function)
        return function
    return register


# ----------------------------------------------------------------------------- adagrad_step
@case("adagrad_step", "AG1", "eps inside the square root")
def adagrad_eps_inside(param, grad, state, *, lr, eps):
    s = state.get("sum", torch.zeros_like(param)) + grad**2
    state["sum"] = s
    param -= lr * grad / (s + eps).sqrt()


@case("adagrad_step", "AG2", "no accumulation: only the current g^2 (forgets state)")
def adagrad_no_sum(param, grad, state, *, lr, eps):
    s = grad**2
    param -= lr * grad / (s.sqrt() + eps)


@case("adagrad_step", "AG3", "running average (RMSprop) instead of sum")
def adagrad_average(param, grad, state, *, lr, eps):
    s = 0.99 * state.get("sum", torch.zeros_like(param)) + 0.01 * grad**2
    state["sum"] = s
    param -= lr * grad / (s.sqrt() + eps)


@case("adagrad_step", "AG4", "not in place: param = param - ...")
def adagrad_not_inplace(param, grad, state, *, lr, eps):
    s = state.get("sum", torch.zeros_like(param)) + grad**2
    state["sum"] = s
    param = param - lr * grad / (s.sqrt() + eps)


@case("adagrad_step", "AG5", "modifies grad in place (grad /= ...)")
def adagrad_modifies_grad(param, grad, state, *, lr, eps):
    s = state.setdefault("sum", torch.zeros_like(param))
    s += grad * grad
    grad /= s.sqrt() + eps
    param -= lr * grad


@case("adagrad_step", "AG6", "divides by s, not sqrt(s)")
def adagrad_no_sqrt(param, grad, state, *, lr, eps):
    s = state.get("sum", torch.zeros_like(param)) + grad**2
    state["sum"] = s
    param -= lr * grad / (s + eps)


@case("adagrad_step", "AG7", "uses s_{t-1} (accumulates after the step)")
def adagrad_stale_sum(param, grad, state, *, lr, eps):
    s = state.get("sum", torch.zeros_like(param))
    param -= lr * grad / (s.sqrt() + eps)
    state["sum"] = s + grad**2


@case("adagrad_step", "AG8", "accumulates |g| and divides by the sum (no square/root)")
def adagrad_abs(param, grad, state, *, lr, eps):
    s = state.get("sum", torch.zeros_like(param)) + grad.abs()
    state["sum"] = s
    param -= lr * grad / (s + eps)


# ----------------------------------------------------------------------------- heavy_ball_step
@case("heavy_ball_step", "HB1", "stores param without clone (alias)")
def hb_alias(param, grad, state, *, lr, momentum):
    previous = state.get("previous", param)
    step = -lr * grad + momentum * (param - previous)
    state["previous"] = param
    param += step


@case("heavy_ball_step", "HB2", "stores the copy after the update")
def hb_store_after(param, grad, state, *, lr, momentum):
    previous = state.get("previous", param.clone())
    step = -lr * grad + momentum * (param - previous)
    param += step
    state["previous"] = param.clone()


@case("heavy_ball_step", "HB3", "PyTorch buffer form b = beta b + g, param -= lr b")
def hb_buffer(param, grad, state, *, lr, momentum):
    b = state.get("b")
    b = grad.clone() if b is None else momentum * b + grad
    state["b"] = b
    param -= lr * b


@case("heavy_ball_step", "HB4", "sign of the momentum term flipped")
def hb_sign(param, grad, state, *, lr, momentum):
    previous = state.get("previous", param.clone())
    step = -lr * grad + momentum * (previous - param)
    state["previous"] = param.clone()
    param += step


@case("heavy_ball_step", "HB5", "theta_{-1} = 0 instead of theta_0")
def hb_zero_init(param, grad, state, *, lr, momentum):
    previous = state.get("previous", torch.zeros_like(param))
    step = -lr * grad + momentum * (param - previous)
    state["previous"] = param.clone()
    param += step


@case("heavy_ball_step", "HB6", "dampening (1-beta) on the gradient step")
def hb_dampening(param, grad, state, *, lr, momentum):
    previous = state.get("previous", param.clone())
    step = -(1 - momentum) * lr * grad + momentum * (param - previous)
    state["previous"] = param.clone()
    param += step


@case("heavy_ball_step", "HB7", "not in place: param = param + step")
def hb_not_inplace(param, grad, state, *, lr, momentum):
    previous = state.get("previous", param.clone())
    step = -lr * grad + momentum * (param - previous)
    state["previous"] = param.clone()
    param = param + step


@case("heavy_ball_step", "HB8", "velocity form with lr applied after (v = beta v + g; param -= lr v)")
def hb_velocity_lr_after(param, grad, state, *, lr, momentum):
    v = momentum * state.get("v", torch.zeros_like(param)) + grad
    state["v"] = v
    param -= lr * v


# ----------------------------------------------------------------------------- adam_first_step
@case("adam_first_step", "AF1", "lr * sign(g) (only for |g| >> eps)")
def af_sign(lr, beta1, beta2, eps, grad):
    return lr * torch.sign(grad)


@case("adam_first_step", "AF2", "no bias correction")
def af_no_bias(lr, beta1, beta2, eps, grad):
    return lr * (1 - beta1) * grad / ((1 - beta2) ** 0.5 * grad.abs() + eps)


@case("adam_first_step", "AF3", "eps inside the root")
def af_eps_inside(lr, beta1, beta2, eps, grad):
    return lr * grad / torch.sqrt(grad**2 + eps)


@case("adam_first_step", "AF4", "bias correction of m only")
def af_m_only(lr, beta1, beta2, eps, grad):
    return lr * grad / ((1 - beta2) ** 0.5 * grad.abs() + eps)


@case("adam_first_step", "AF5", "bias correction of v only")
def af_v_only(lr, beta1, beta2, eps, grad):
    return lr * (1 - beta1) * grad / (grad.abs() + eps)


@case("adam_first_step", "AF6", "wrong sign (theta_1 - theta_0)")
def af_sign_flip(lr, beta1, beta2, eps, grad):
    return -lr * grad / (grad.abs() + eps)


@case("adam_first_step", "AF7", "paper's eps-hat form: eps / sqrt(1 - beta2)")
def af_eps_hat(lr, beta1, beta2, eps, grad):
    return lr * grad / (grad.abs() + eps / (1 - beta2) ** 0.5)


@case("adam_first_step", "AF8", "norm instead of element-wise |g|")
def af_norm(lr, beta1, beta2, eps, grad):
    return lr * grad / (grad.norm() + eps)


# ----------------------------------------------------------------------------- predict_winner
@case("predict_winner", "PW1", "sgd")
def pw_sgd():
    return "sgd"


@case("predict_winner", "PW2", "adam")
def pw_adam():
    return "adam"


@case("predict_winner", "PW3", "'Momentum' capitalised (right idea, not one of the strings)")
def pw_caps():
    return "Momentum"


@case("predict_winner", "PW4", "index 1 instead of the name")
def pw_index():
    return 1


@case("predict_winner", "PW5", "a list of all three, ranked")
def pw_list():
    return ["momentum", "sgd", "adam"]


@case("predict_winner", "PW6", "'nesterov' (not a choice)")
def pw_other():
    return "nesterov"


# ----------------------------------------------------------------------------- tune_learning_rate
@case("tune_learning_rate", "TL1", "linear grid linspace(0.001, 10, 8)")
def tl_linear(validation_loss):
    lrs = np.linspace(0.001, 10, 8)
    losses = [validation_loss(float(lr)) for lr in lrs]
    losses = [l if math.isfinite(l) else math.inf for l in losses]
    return float(lrs[int(np.argmin(losses))])


@case("tune_learning_rate", "TL2", "over budget: 12 log-spaced rates")
def tl_over_budget(validation_loss):
    lrs = np.geomspace(1e-4, 10, 12)
    losses = [validation_loss(float(lr)) for lr in lrs]
    losses = [l if math.isfinite(l) else math.inf for l in losses]
    return float(lrs[int(np.argmin(losses))])


@case("tune_learning_rate", "TL3", "returns the loss instead of the rate")
def tl_returns_loss(validation_loss):
    losses = {}
    for lr in (1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0):
        l = validation_loss(lr)
        losses[lr] = l if math.isfinite(l) else math.inf
    best = min(losses, key=losses.get)
    for lr in (best / 3, best * 3):
        l = validation_loss(lr)
        losses[lr] = l if math.isfinite(l) else math.inf
    return min(losses.values())


@case("tune_learning_rate", "TL4", "NaN-unsafe manual min, decades only, 10 first (no NaN occurs)")
def tl_nan(validation_loss):
    lrs = [10.0, 1.0, 0.1, 0.01, 1e-3, 1e-4]
    losses = [validation_loss(lr) for lr in lrs]
    best_loss, best = losses[0], lrs[0]
    for lr, l in zip(lrs, losses):
        if l < best_loss:
            best_loss, best = l, lr
    return best


@case("tune_learning_rate", "TL5", "argmax instead of argmin")
def tl_argmax(validation_loss):
    lrs = [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 3.0, 0.3, 0.03]
    losses = [validation_loss(lr) for lr in lrs]
    losses = [l if math.isfinite(l) else -math.inf for l in losses]
    return lrs[int(np.argmax(losses))]


@case("tune_learning_rate", "TL6", "min(lrs, key=validation_loss) then one more call to report (9 calls)")
def tl_nine_calls(validation_loss):
    lrs = [1e-4, 1e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0, 3.0]
    best = min(lrs, key=validation_loss)
    print("best", best, validation_loss(best))
    return best


@case("tune_learning_rate", "TL7", "returns log10 of the rate")
def tl_log(validation_loss):
    exps = [-4, -3, -2, -1, 0, 1]
    losses = {}
    for e in exps:
        l = validation_loss(10.0**e)
        losses[e] = l if math.isfinite(l) else math.inf
    return min(losses, key=losses.get)


@case("tune_learning_rate", "TL8", "searches only tiny rates (1e-4..1e-2)")
def tl_small(validation_loss):
    lrs = np.geomspace(1e-4, 1e-2, 8)
    losses = [validation_loss(float(lr)) for lr in lrs]
    return float(lrs[int(np.nanargmin(losses))])


# ----------------------------------------------------------------------------- lr_range_test
@case("lr_range_test", "LR1", "linear spacing")
def lr_linear(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for i in range(steps):
        lr = lr_min + (lr_max - lr_min) * i / (steps - 1)
        loss = train_step(lr)
        lrs.append(lr); losses.append(loss)
        best = min(best, loss)
        if math.isnan(loss) or loss > 4 * best:
            break
    return lrs, losses


@case("lr_range_test", "LR2", "np.logspace(lr_min, lr_max) (exponents misused)")
def lr_logspace(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for lr in np.logspace(lr_min, lr_max, steps):
        lr = float(lr)
        loss = train_step(lr)
        lrs.append(lr); losses.append(loss)
        best = min(best, loss)
        if math.isnan(loss) or loss > 4 * best:
            break
    return lrs, losses


@case("lr_range_test", "LR3", "exponent i/steps: lr_max never reached")
def lr_off_by_one(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / steps)
        loss = train_step(lr)
        lrs.append(lr); losses.append(loss)
        best = min(best, loss)
        if math.isnan(loss) or loss > 4 * best:
            break
    return lrs, losses


@case("lr_range_test", "LR4", "breaks before recording the diverged point")
def lr_drop_last(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = train_step(lr)
        if math.isnan(loss) or loss > 4 * best:
            break
        lrs.append(lr); losses.append(loss)
        best = min(best, loss)
    return lrs, losses


@case("lr_range_test", "LR5", "compares with the first loss, not the smallest")
def lr_first(train_step, lr_min, lr_max, steps):
    lrs, losses = [], []
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = train_step(lr)
        lrs.append(lr); losses.append(loss)
        if math.isnan(loss) or loss > 4 * losses[0]:
            break
    return lrs, losses


@case("lr_range_test", "LR6", "compares with the previous loss")
def lr_previous(train_step, lr_min, lr_max, steps):
    lrs, losses = [], []
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = train_step(lr)
        if losses and (math.isnan(loss) or loss > 4 * losses[-1]):
            lrs.append(lr); losses.append(loss)
            break
        lrs.append(lr); losses.append(loss)
        if math.isnan(loss):
            break
    return lrs, losses


@case("lr_range_test", "LR7", "no NaN check (NaN > x is False)")
def lr_no_nan(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = train_step(lr)
        lrs.append(lr); losses.append(loss)
        best = min(best, loss)
        if loss > 4 * best:
            break
    return lrs, losses


@case("lr_range_test", "LR8", "never stops (runs all steps)")
def lr_no_stop(train_step, lr_min, lr_max, steps):
    lrs = [lr_min * (lr_max / lr_min) ** (i / (steps - 1)) for i in range(steps)]
    losses = [train_step(lr) for lr in lrs]
    return lrs, losses


@case("lr_range_test", "LR9", "returns (losses, lrs) swapped")
def lr_swapped(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = train_step(lr)
        lrs.append(lr); losses.append(loss)
        best = min(best, loss)
        if math.isnan(loss) or loss > 4 * best:
            break
    return losses, lrs


@case("lr_range_test", "LR10", "calls train_step twice per rate")
def lr_twice(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        lrs.append(lr); losses.append(train_step(lr))
        loss = train_step(lr)
        best = min(best, loss)
        if math.isnan(loss) or loss > 4 * best:
            break
    return lrs, losses


# ----------------------------------------------------------------------------- train_with_schedule
@case("train_with_schedule", "TS1", "the buggy loop unchanged (scheduler per batch)")
def ts_buggy(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
            scheduler.step()


@case("train_with_schedule", "TS2", "scheduler stepped at the start of each epoch")
def ts_before(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        scheduler.step()
        for x, y in batches:
            optimizer.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()


@case("train_with_schedule", "TS3", "fix moves zero_grad out too: gradients accumulate")
def ts_no_zero_grad(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        optimizer.zero_grad()
        for x, y in batches:
            loss = F.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
        scheduler.step()


@case("train_with_schedule", "TS4", "scheduler stepped every other epoch (step_size counted twice)")
def ts_every_other(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
        if epoch % 2 == 1:
            scheduler.step()


@case("train_with_schedule", "TS5", "hard-codes lr = 0.1 * 0.5**(epoch//2), no scheduler")
def ts_manual(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for group in optimizer.param_groups:
            group["lr"] = 0.1 * 0.5 ** (epoch // 2)
        for x, y in batches:
            optimizer.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()


@case("train_with_schedule", "TS6", "scheduler.step(epoch) (deprecated epoch argument, off by one)")
def ts_epoch_arg(model, optimizer, scheduler, batches, epochs):
    import warnings
    warnings.simplefilter("ignore")
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
        scheduler.step(epoch)


@case("train_with_schedule", "TS7", "sum instead of mean squared error")
def ts_sum(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            loss = F.mse_loss(model(x), y, reduction="sum")
            loss.backward()
            optimizer.step()
        scheduler.step()


@case("train_with_schedule", "TS8", "zero_grad between backward and step (no update)")
def ts_zero_between(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            loss = F.mse_loss(model(x), y)
            loss.backward()
            optimizer.zero_grad()
            optimizer.step()
        scheduler.step()


@case("train_with_schedule", "TS9", "loops epochs-1 times (range(1, epochs))")
def ts_off_by_one(model, optimizer, scheduler, batches, epochs):
    for epoch in range(1, epochs):
        for x, y in batches:
            optimizer.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
        scheduler.step()


# ----------------------------------------------------------------------------- adam_bytes_per_step
@case("adam_bytes_per_step", "AB1", "8 n b: writes g as well")
def ab_8(n_params, bytes_per_value):
    return 8 * n_params * bytes_per_value


@case("adam_bytes_per_step", "AB2", "4 n b: reads only")
def ab_4(n_params, bytes_per_value):
    return 4 * n_params * bytes_per_value


@case("adam_bytes_per_step", "AB3", "3 n b: writes only")
def ab_3(n_params, bytes_per_value):
    return 3 * n_params * bytes_per_value


@case("adam_bytes_per_step", "AB4", "7 n: forgets bytes per value")
def ab_no_bytes(n_params, bytes_per_value):
    return 7 * n_params


@case("adam_bytes_per_step", "AB5", "6 n b: forgets reading g")
def ab_6(n_params, bytes_per_value):
    return 6 * n_params * bytes_per_value


@case("adam_bytes_per_step", "AB6", "in bits: 7 n b * 8")
def ab_bits(n_params, bytes_per_value):
    return 7 * n_params * bytes_per_value * 8


@case("adam_bytes_per_step", "AB7", "4 n b + 3 n: bytes only on reads")
def ab_half(n_params, bytes_per_value):
    return 4 * n_params * bytes_per_value + 3 * n_params


@case("adam_bytes_per_step", "AB8", "5 n b: reads theta, g; writes theta, m, v")
def ab_5(n_params, bytes_per_value):
    return 5 * n_params * bytes_per_value


# ----------------------------------------------------------------------------- roofline_time
@case("roofline_time", "RT1", "min instead of max")
def rt_min(n_bytes, flops, bandwidth, peak_flops):
    return min(n_bytes / bandwidth, flops / peak_flops)


@case("roofline_time", "RT2", "sum of the two times (no overlap)")
def rt_sum(n_bytes, flops, bandwidth, peak_flops):
    return n_bytes / bandwidth + flops / peak_flops


@case("roofline_time", "RT3", "intensity inverted (I = N/F)")
def rt_inverted(n_bytes, flops, bandwidth, peak_flops):
    return flops / min(peak_flops, bandwidth * n_bytes / flops)


@case("roofline_time", "RT4", "memory time only")
def rt_memory(n_bytes, flops, bandwidth, peak_flops):
    return n_bytes / bandwidth


@case("roofline_time", "RT5", "compute time only")
def rt_compute(n_bytes, flops, bandwidth, peak_flops):
    return flops / peak_flops


@case("roofline_time", "RT6", "pairs swapped: N/P and F/B")
def rt_swapped(n_bytes, flops, bandwidth, peak_flops):
    return max(n_bytes / peak_flops, flops / bandwidth)


@case("roofline_time", "RT7", "returns the attainable FLOP/s, not a time")
def rt_rate(n_bytes, flops, bandwidth, peak_flops):
    return min(peak_flops, bandwidth * flops / n_bytes)


# ----------------------------------------------------------------------------- flatten_parameters
@case("flatten_parameters", "FP1", "torch.cat only: parameters not views")
def fp_cat(params):
    return torch.cat([p.detach().reshape(-1) for p in params])


@case("flatten_parameters", "FP2", "rebinds the local name p")
def fp_rebind(params):
    flat = torch.cat([p.detach().reshape(-1) for p in params])
    start = 0
    for p in params:
        p = flat[start:start + p.numel()].view_as(p)
        start += p.numel()
    return flat


@case("flatten_parameters", "FP3", "p.data = 1-D slice (shape lost)")
def fp_no_view_as(params):
    flat = torch.cat([p.detach().reshape(-1) for p in params])
    start = 0
    for p in params:
        n = p.numel()
        p.data = flat[start:start + n]
        start += n
    return flat


@case("flatten_parameters", "FP4", "clone of the slice: not a view")
def fp_clone(params):
    flat = torch.cat([p.detach().reshape(-1) for p in params])
    start = 0
    for p in params:
        n = p.numel()
        p.data = flat[start:start + n].clone().view_as(p)
        start += n
    return flat


@case("flatten_parameters", "FP5", "forgets to copy the values (torch.zeros buffer)")
def fp_no_copy(params):
    flat = torch.zeros(sum(p.numel() for p in params), dtype=params[0].dtype, device=params[0].device)
    start = 0
    for p in params:
        n = p.numel()
        p.data = flat[start:start + n].view_as(p)
        start += n
    return flat


@case("flatten_parameters", "FP6", "default dtype float32 buffer")
def fp_dtype(params):
    flat = torch.empty(sum(p.numel() for p in params))
    start = 0
    for p in params:
        n = p.numel()
        flat[start:start + n] = p.detach().reshape(-1)
        p.data = flat[start:start + n].view_as(p)
        start += n
    return flat


@case("flatten_parameters", "FP7", "alignment padding to multiples of 4")
def fp_padding(params):
    sizes = [(p.numel() + 3) // 4 * 4 for p in params]
    flat = torch.zeros(sum(sizes), dtype=params[0].dtype, device=params[0].device)
    start = 0
    for p, size in zip(params, sizes):
        n = p.numel()
        flat[start:start + n] = p.detach().reshape(-1)
        p.data = flat[start:start + n].view_as(p)
        start += size
    return flat


@case("flatten_parameters", "FP8", "reversed order in the buffer")
def fp_reversed(params):
    flat = torch.empty(sum(p.numel() for p in params), dtype=params[0].dtype, device=params[0].device)
    start = 0
    for p in reversed(params):
        n = p.numel()
        flat[start:start + n] = p.detach().reshape(-1)
        p.data = flat[start:start + n].view_as(p)
        start += n
    return flat


@case("flatten_parameters", "FP9", "column-major (p.t()) order for matrices")
def fp_column_major(params):
    flat = torch.empty(sum(p.numel() for p in params), dtype=params[0].dtype, device=params[0].device)
    start = 0
    for p in params:
        n = p.numel()
        if p.dim() == 2:
            flat[start:start + n] = p.detach().t().reshape(-1)
            p.data = flat[start:start + n].view(p.shape[1], p.shape[0]).t()
        else:
            flat[start:start + n] = p.detach().reshape(-1)
            p.data = flat[start:start + n].view_as(p)
        start += n
    return flat


@case("flatten_parameters", "FP10", "replaces the list's entries with new Parameters")
def fp_replace_list(params):
    flat = torch.cat([p.detach().reshape(-1) for p in params])
    start = 0
    for i, p in enumerate(params):
        n = p.numel()
        params[i] = torch.nn.Parameter(flat[start:start + n].view_as(p))
        start += n
    return flat


# ----------------------------------------------------------------------------- proximal_l1_step
@case("proximal_l1_step", "PX1", "shrinks by lam, not lr*lam")
def px_lam(param, grad, *, lr, lam):
    w = param - lr * grad
    param.copy_(w.sign() * (w.abs() - lam).clamp(min=0))


@case("proximal_l1_step", "PX2", "hard thresholding")
def px_hard(param, grad, *, lr, lam):
    w = param - lr * grad
    param.copy_(w * (w.abs() > lr * lam))


@case("proximal_l1_step", "PX3", "subgradient step instead of the proximal one")
def px_subgradient(param, grad, *, lr, lam):
    param -= lr * (grad + lam * param.sign())


@case("proximal_l1_step", "PX4", "shrinks theta first, then the gradient step")
def px_order(param, grad, *, lr, lam):
    shrunk = param.sign() * (param.abs() - lr * lam).clamp(min=0)
    param.copy_(shrunk - lr * grad)


@case("proximal_l1_step", "PX5", "not in place")
def px_not_inplace(param, grad, *, lr, lam):
    w = param - lr * grad
    param = w.sign() * (w.abs() - lr * lam).clamp(min=0)


@case("proximal_l1_step", "PX6", "clamps the signed value (negatives go to 0)")
def px_signed_clamp(param, grad, *, lr, lam):
    w = param - lr * grad
    param.copy_((w - lr * lam).clamp(min=0))


@case("proximal_l1_step", "PX7", "modifies grad in place")
def px_modifies_grad(param, grad, *, lr, lam):
    grad.mul_(lr)
    w = param - grad
    param.copy_(w.sign() * (w.abs() - lr * lam).clamp(min=0))


@case("proximal_l1_step", "PX8", "no gradient step, shrink only")
def px_no_grad_step(param, grad, *, lr, lam):
    param.copy_(param.sign() * (param.abs() - lr * lam).clamp(min=0))


# ----------------------------------------------------------------------------- early_stopping
@case("early_stopping", "ES1", "state_dict without a copy")
def es_no_copy(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch, best_state = loss, epoch, model.state_dict()
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return best_epoch


@case("early_stopping", "ES2", "<= : a tie counts as an improvement")
def es_tie(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss <= best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return best_epoch


@case("early_stopping", "ES3", "patience off by one (>)")
def es_patience(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch > patience:
            break
    model.load_state_dict(best_state)
    return best_epoch


@case("early_stopping", "ES4", "epochs numbered from 0")
def es_zero_based(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(max_epochs):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return best_epoch


@case("early_stopping", "ES5", "does not restore the best weights")
def es_no_restore(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch = float("inf"), 0
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            break
    return best_epoch


@case("early_stopping", "ES6", "returns the last epoch")
def es_last(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return epoch


@case("early_stopping", "ES7", "counter of bad epochs never reset")
def es_counter(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state, bad = float("inf"), 0, None, 0
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        else:
            bad += 1
            if bad >= patience:
                break
    model.load_state_dict(best_state)
    return best_epoch


@case("early_stopping", "ES8", "improvement = lower than the previous epoch")
def es_previous(train_one_epoch, validation_loss, model, patience, max_epochs):
    previous, best_loss, best_epoch, best_state, bad = float("inf"), float("inf"), 0, None, 0
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        if loss < previous:
            bad = 0
        else:
            bad += 1
            if bad >= patience:
                break
        previous = loss
    model.load_state_dict(best_state)
    return best_epoch


@case("early_stopping", "ES9", "dict(state_dict()) shallow copy")
def es_shallow(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = dict(model.state_dict())
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return best_epoch


@case("early_stopping", "ES10", "measures validation before training the epoch")
def es_measure_before(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(1, max_epochs + 1):
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:
            break
        train_one_epoch(model)
    model.load_state_dict(best_state)
    return best_epoch


# ----------------------------------------------------------------------------- tune_weight_decay
@case("tune_weight_decay", "TW1", "linear grid 0..7")
def tw_linear(validation_loss):
    losses = {float(lam): validation_loss(float(lam)) for lam in range(8)}
    return min(losses, key=losses.get)


@case("tune_weight_decay", "TW2", "over budget: 10 values")
def tw_over(validation_loss):
    lams = np.geomspace(1e-4, 1e3, 10)
    losses = {float(lam): validation_loss(float(lam)) for lam in lams}
    return min(losses, key=losses.get)


@case("tune_weight_decay", "TW3", "returns the loss")
def tw_loss(validation_loss):
    losses = {lam: validation_loss(lam) for lam in (1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0)}
    best = min(losses, key=losses.get)
    for lam in (best / 10**0.5, best * 10**0.5):
        losses[lam] = validation_loss(lam)
    return min(losses.values())


@case("tune_weight_decay", "TW4", "no tuning: lambda = 0")
def tw_zero(validation_loss):
    return 0.0


@case("tune_weight_decay", "TW5", "argmax instead of argmin")
def tw_argmax(validation_loss):
    losses = {lam: validation_loss(lam) for lam in (1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0)}
    return max(losses, key=losses.get)


@case("tune_weight_decay", "TW6", "min(key=validation_loss) then reports the best (9 calls)")
def tw_nine(validation_loss):
    lams = [0.0, 1e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0, 10.0]
    best = min(lams, key=validation_loss)
    print("validation loss", validation_loss(best))
    return best


@case("tune_weight_decay", "TW7", "returns the index of the best")
def tw_index(validation_loss):
    lams = [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0]
    losses = [validation_loss(lam) for lam in lams]
    return int(np.argmin(losses))


@case("tune_weight_decay", "TW8", "only tiny values (1e-7..1e-4)")
def tw_tiny(validation_loss):
    lams = np.geomspace(1e-7, 1e-4, 8)
    losses = {float(lam): validation_loss(float(lam)) for lam in lams}
    return min(losses, key=losses.get)


@case("tune_weight_decay", "TW9", "returns log10 of lambda")
def tw_log(validation_loss):
    losses = {e: validation_loss(10.0**e) for e in range(-4, 2)}
    return min(losses, key=losses.get)


# ----------------------------------------------------------------------------- evaluate_fixed
@case("evaluate_fixed", "EF1", "no_grad only (dropout still on)")
def ef_no_grad_only(model, x, y):
    with torch.no_grad():
        output = model(x)
        loss = F.cross_entropy(output, y)
        accuracy = (output.argmax(dim=1) == y).double().mean()
    return loss.item(), accuracy.item()


@case("evaluate_fixed", "EF2", "eval but never restores the mode")
def ef_no_restore(model, x, y):
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = F.cross_entropy(output, y)
        accuracy = (output.argmax(dim=1) == y).double().mean()
    return loss.item(), accuracy.item()


@case("evaluate_fixed", "EF3", "always model.train() afterwards")
def ef_always_train(model, x, y):
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = F.cross_entropy(output, y)
        accuracy = (output.argmax(dim=1) == y).double().mean()
    model.train()
    return loss.item(), accuracy.item()


@case("evaluate_fixed", "EF4", "no torch.no_grad (graph recorded)")
def ef_graph(model, x, y):
    was_training = model.training
    model.eval()
    output = model(x)
    loss = F.cross_entropy(output, y)
    accuracy = (output.argmax(dim=1) == y).double().mean()
    model.train(was_training)
    return loss.item(), accuracy.item()


@case("evaluate_fixed", "EF5", "returns tensors, not floats")
def ef_tensors(model, x, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = F.cross_entropy(output, y)
        accuracy = (output.argmax(dim=1) == y).double().mean()
    model.train(was_training)
    return loss, accuracy


@case("evaluate_fixed", "EF6", "accuracy in percent")
def ef_percent(model, x, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = F.cross_entropy(output, y)
        accuracy = 100 * (output.argmax(dim=1) == y).double().mean()
    model.train(was_training)
    return loss.item(), accuracy.item()


@case("evaluate_fixed", "EF7", "model.training = False (submodules still training)")
def ef_attribute(model, x, y):
    was_training = model.training
    model.training = False
    with torch.no_grad():
        output = model(x)
        loss = F.cross_entropy(output, y)
        accuracy = (output.argmax(dim=1) == y).double().mean()
    model.training = was_training
    return loss.item(), accuracy.item()


@case("evaluate_fixed", "EF8", "'fix' by torch.manual_seed(0): same every time, dropout still on")
def ef_seed(model, x, y):
    torch.manual_seed(0)
    with torch.no_grad():
        output = model(x)
        loss = F.cross_entropy(output, y)
        accuracy = (output.argmax(dim=1) == y).double().mean()
    return loss.item(), accuracy.item()


@case("evaluate_fixed", "EF9", "summed cross-entropy")
def ef_sum(model, x, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = F.cross_entropy(output, y, reduction="sum")
        accuracy = (output.argmax(dim=1) == y).double().mean()
    model.train(was_training)
    return loss.item(), accuracy.item()


@case("evaluate_fixed", "EF10", "argmax over the wrong axis")
def ef_axis(model, x, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = F.cross_entropy(output, y)
        pred = output.argmax(dim=0)
        accuracy = (pred[: len(y)] == y[: len(pred)]).double().mean()
    model.train(was_training)
    return loss.item(), accuracy.item()


@case("evaluate_fixed", "EF11", "eval() and restore, but without no_grad uses .detach() on x only")
def ef_detach_input(model, x, y):
    was_training = model.training
    model.eval()
    output = model(x.detach())
    loss = F.cross_entropy(output, y)
    accuracy = (output.argmax(dim=1) == y).double().mean()
    model.train(was_training)
    return loss.item(), accuracy.item()


# ----------------------------------------------------------------------------- lion_step
@case("lion_step", "LN1", "updates m first, then interpolates with the new m")
def ln_m_first(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = beta2 * state.get("m", torch.zeros_like(param)) + (1 - beta2) * grad
    state["m"] = m
    c = beta1 * m + (1 - beta1) * grad
    param.mul_(1 - lr * weight_decay)
    param.sub_(lr * torch.sign(c))


@case("lion_step", "LN2", "steps along sign(m_t)")
def ln_sign_m(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = beta2 * state.get("m", torch.zeros_like(param)) + (1 - beta2) * grad
    state["m"] = m
    param.mul_(1 - lr * weight_decay)
    param.sub_(lr * torch.sign(m))


@case("lion_step", "LN3", "beta1 for the momentum update too")
def ln_beta1_twice(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", torch.zeros_like(param))
    c = beta1 * m + (1 - beta1) * grad
    param.mul_(1 - lr * weight_decay)
    param.sub_(lr * torch.sign(c))
    state["m"] = beta1 * m + (1 - beta1) * grad


@case("lion_step", "LN4", "weight decay not scaled by lr")
def ln_decay_no_lr(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", torch.zeros_like(param))
    c = beta1 * m + (1 - beta1) * grad
    param.mul_(1 - weight_decay)
    param.sub_(lr * torch.sign(c))
    state["m"] = beta2 * m + (1 - beta2) * grad


@case("lion_step", "LN5", "decay applied after the sign step")
def ln_decay_after(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", torch.zeros_like(param))
    c = beta1 * m + (1 - beta1) * grad
    param.sub_(lr * torch.sign(c))
    param.mul_(1 - lr * weight_decay)
    state["m"] = beta2 * m + (1 - beta2) * grad


@case("lion_step", "LN6", "no sign")
def ln_no_sign(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", torch.zeros_like(param))
    c = beta1 * m + (1 - beta1) * grad
    param.mul_(1 - lr * weight_decay)
    param.sub_(lr * c)
    state["m"] = beta2 * m + (1 - beta2) * grad


@case("lion_step", "LN7", "m never stored in state")
def ln_no_state(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", torch.zeros_like(param))
    c = beta1 * m + (1 - beta1) * grad
    param.mul_(1 - lr * weight_decay)
    param.sub_(lr * torch.sign(c))
    m = beta2 * m + (1 - beta2) * grad


@case("lion_step", "LN8", "m aliased to grad on first call, then updated in place (modifies grad)")
def ln_alias_grad(param, grad, state, *, lr, beta1, beta2, weight_decay):
    if "m" not in state:
        c = (1 - beta1) * grad
        param.mul_(1 - lr * weight_decay)
        param.sub_(lr * torch.sign(c))
        state["m"] = grad
        state["m"].mul_(1 - beta2)
        return
    m = state["m"]
    c = beta1 * m + (1 - beta1) * grad
    param.mul_(1 - lr * weight_decay)
    param.sub_(lr * torch.sign(c))
    m.mul_(beta2).add_(grad, alpha=1 - beta2)


@case("lion_step", "LN9", "betas swapped")
def ln_swapped(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", torch.zeros_like(param))
    c = beta2 * m + (1 - beta2) * grad
    param.mul_(1 - lr * weight_decay)
    param.sub_(lr * torch.sign(c))
    state["m"] = beta1 * m + (1 - beta1) * grad


# ----------------------------------------------------------------------------- optimizer_state_bytes
_BUF = {"sgd": 0, "momentum": 1, "nesterov": 1, "adagrad": 1, "rmsprop": 1, "adam": 2, "adamw": 2, "lion": 1}


@case("optimizer_state_bytes", "OS1", "sgd counts the gradient (1)")
def os_sgd(n_params, optimizer, bytes_per_value):
    return dict(_BUF, sgd=1)[optimizer] * n_params * bytes_per_value


@case("optimizer_state_bytes", "OS2", "lion keeps two like Adam")
def os_lion(n_params, optimizer, bytes_per_value):
    return dict(_BUF, lion=2)[optimizer] * n_params * bytes_per_value


@case("optimizer_state_bytes", "OS3", "nesterov keeps two (buffer and lookahead)")
def os_nesterov(n_params, optimizer, bytes_per_value):
    return dict(_BUF, nesterov=2)[optimizer] * n_params * bytes_per_value


@case("optimizer_state_bytes", "OS4", "adamw three (m, v and decay)")
def os_adamw(n_params, optimizer, bytes_per_value):
    return dict(_BUF, adamw=3)[optimizer] * n_params * bytes_per_value


@case("optimizer_state_bytes", "OS5", "forgets bytes_per_value")
def os_no_bytes(n_params, optimizer, bytes_per_value):
    return _BUF[optimizer] * n_params


@case("optimizer_state_bytes", "OS6", "counts parameters and gradients too")
def os_plus_two(n_params, optimizer, bytes_per_value):
    return (_BUF[optimizer] + 2) * n_params * bytes_per_value


@case("optimizer_state_bytes", "OS7", "rmsprop two (like Adam), adagrad zero")
def os_rmsprop(n_params, optimizer, bytes_per_value):
    return dict(_BUF, rmsprop=2, adagrad=0)[optimizer] * n_params * bytes_per_value


@case("optimizer_state_bytes", "OS8", "adamw missing from the table (KeyError)")
def os_keyerror(n_params, optimizer, bytes_per_value):
    table = {"sgd": 0, "momentum": 1, "nesterov": 1, "adagrad": 1, "rmsprop": 1, "adam": 2, "lion": 1}
    return table[optimizer] * n_params * bytes_per_value


@case("optimizer_state_bytes", "OS9", "in bits")
def os_bits(n_params, optimizer, bytes_per_value):
    return 8 * _BUF[optimizer] * n_params * bytes_per_value


# ============================================================================= second round: subtler cases
@case("adagrad_step", "AG9", "state created as float32 (torch.zeros(param.shape))")
def adagrad_float32_state(param, grad, state, *, lr, eps):
    s = state.setdefault("sum", torch.zeros(param.shape))
    s += grad**2
    param -= lr * grad / (s.sqrt() + eps)


@case("adagrad_step", "AG10", "precedence: lr * g / sqrt(s) + eps")
def adagrad_precedence(param, grad, state, *, lr, eps):
    s = state.get("sum", torch.zeros_like(param)) + grad**2
    state["sum"] = s
    param -= lr * grad / s.sqrt() + eps


@case("adagrad_step", "AG11", "state['sum'] aliases grad**2 buffer, then param update uses grad.square_() ")
def adagrad_square_inplace(param, grad, state, *, lr, eps):
    g = grad.clone()
    s = state.setdefault("sum", torch.zeros_like(param))
    s += grad.square_()
    param -= lr * g / (s.sqrt() + eps)


@case("heavy_ball_step", "HB9", "stores param.detach() (shares memory)")
def hb_detach(param, grad, state, *, lr, momentum):
    previous = state.get("previous", param)
    step = -lr * grad + momentum * (param - previous)
    state["previous"] = param.detach()
    param += step


@case("heavy_ball_step", "HB10", "stores param[:] (a view)")
def hb_view(param, grad, state, *, lr, momentum):
    previous = state.get("previous", param.clone())
    step = -lr * grad + momentum * (param - previous)
    state["previous"] = param[:]
    param += step


@case("heavy_ball_step", "HB11", "velocity v = beta v - lr g, but param -= v (sign)")
def hb_velocity_sign(param, grad, state, *, lr, momentum):
    v = momentum * state.get("v", torch.zeros_like(param)) - lr * grad
    state["v"] = v
    param -= v


@case("adam_first_step", "AF9", "precedence: lr * g / |g| + eps")
def af_precedence(lr, beta1, beta2, eps, grad):
    return lr * grad / grad.abs() + eps


@case("adam_first_step", "AF10", "computed in float32")
def af_float32(lr, beta1, beta2, eps, grad):
    g = grad.float()
    return lr * g / (g.abs() + eps)


@case("adam_first_step", "AF11", "double bias correction: alpha_t AND m-hat, v-hat")
def af_double(lr, beta1, beta2, eps, grad):
    return lr * (1 - beta2) ** 0.5 / (1 - beta1) * grad / (grad.abs() + eps)


@case("adam_first_step", "AF12", "|g| dropped: lr * g / (g + eps)")
def af_no_abs(lr, beta1, beta2, eps, grad):
    return lr * grad / (grad + eps)


@case("predict_winner", "PW7", "'SGD with momentum' (free text)")
def pw_free_text():
    return "SGD with momentum"


@case("predict_winner", "PW8", "None (forgot return)")
def pw_none():
    "momentum"


@case("tune_learning_rate", "TL9", "NaN-unsafe min over dict, NaN-prone order (10 first)")
def tl_nan_dict(validation_loss):
    losses = {lr: validation_loss(lr) for lr in (10.0, 1.0, 0.1, 0.01, 1e-3, 1e-4)}
    best = min(losses, key=losses.get)
    for lr in (best / 3, best * 3):
        losses[lr] = validation_loss(lr)
    return min(losses, key=losses.get)


@case("tune_learning_rate", "TL10", "no evaluation: returns a guessed 0.3")
def tl_guess(validation_loss):
    return 0.3


@case("tune_learning_rate", "TL11", "12 calls, over-budget error swallowed by try/except")
def tl_swallow(validation_loss):
    losses = {}
    for lr in np.geomspace(1e-4, 10, 12):
        try:
            losses[float(lr)] = validation_loss(float(lr))
        except Exception:
            pass
    return min(losses, key=losses.get)


@case("tune_learning_rate", "TL12", "returns a rate past the cliff: 'largest rate that did not NaN'")
def tl_largest_finite(validation_loss):
    lrs = [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 3.0, 10.0]
    ok = [lr for lr in lrs if math.isfinite(validation_loss(lr))]
    return max(ok)


@case("lr_range_test", "LR11", "NaN breaks before being recorded")
def lr_nan_not_recorded(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = train_step(lr)
        if math.isnan(loss):
            break
        lrs.append(lr); losses.append(loss)
        best = min(best, loss)
        if loss > 4 * best:
            break
    return lrs, losses


@case("lr_range_test", "LR12", "returns numpy arrays instead of lists")
def lr_arrays(train_step, lr_min, lr_max, steps):
    rates = np.geomspace(lr_min, lr_max, steps)
    losses, best = [], math.inf
    for lr in rates:
        loss = train_step(float(lr))
        losses.append(loss)
        best = min(best, loss)
        if math.isnan(loss) or loss > 4 * best:
            break
    return rates[: len(losses)], np.array(losses)


@case("lr_range_test", "LR13", ">= instead of >")
def lr_ge(train_step, lr_min, lr_max, steps):
    lrs, losses, best = [], [], math.inf
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = train_step(lr)
        lrs.append(lr); losses.append(loss)
        best = min(best, loss)
        if math.isnan(loss) or loss >= 4 * best:
            break
    return lrs, losses


@case("lr_range_test", "LR14", "threshold 4x the LAST best excluding... uses 4 * mean of losses")
def lr_mean(train_step, lr_min, lr_max, steps):
    lrs, losses = [], []
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = train_step(lr)
        lrs.append(lr); losses.append(loss)
        if math.isnan(loss) or loss > 4 * (sum(losses) / len(losses)):
            break
    return lrs, losses


@case("lr_range_test", "LR15", "smooths the losses (EMA 0.9) before comparing, as fastai")
def lr_smoothed(train_step, lr_min, lr_max, steps):
    lrs, losses, best, avg = [], [], math.inf, None
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = train_step(lr)
        lrs.append(lr); losses.append(loss)
        avg = loss if avg is None else 0.9 * avg + 0.1 * loss
        best = min(best, avg)
        if math.isnan(loss) or avg > 4 * best:
            break
    return lrs, losses


@case("train_with_schedule", "TS10", "scheduler.step() once after all epochs")
def ts_after_all(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
    scheduler.step()


@case("train_with_schedule", "TS11", "scheduler stepped twice per epoch")
def ts_twice(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
        scheduler.step()
        scheduler.step()


@case("train_with_schedule", "TS12", "l1_loss instead of mse_loss")
def ts_l1(model, optimizer, scheduler, batches, epochs):
    for epoch in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            loss = F.l1_loss(model(x), y)
            loss.backward()
            optimizer.step()
        scheduler.step()


@case("roofline_time", "RT8", "milliseconds instead of seconds")
def rt_ms(n_bytes, flops, bandwidth, peak_flops):
    return 1e3 * max(n_bytes / bandwidth, flops / peak_flops)


@case("roofline_time", "RT9", "ridge test inverted (picks the smaller time)")
def rt_ridge_inverted(n_bytes, flops, bandwidth, peak_flops):
    if flops / n_bytes > peak_flops / bandwidth:
        return n_bytes / bandwidth
    return flops / peak_flops


@case("adam_bytes_per_step", "AB9", "counts a for-loop: 4 reads + 3 writes per op line (16 n b)")
def ab_16(n_params, bytes_per_value):
    return 16 * n_params * bytes_per_value


@case("adam_bytes_per_step", "AB10", "per parameter only: 7 b (forgets n)")
def ab_no_n(n_params, bytes_per_value):
    return 7 * bytes_per_value


@case("flatten_parameters", "FP11", "offset never advanced: all parameters view the start")
def fp_no_advance(params):
    flat = torch.cat([p.detach().reshape(-1) for p in params])
    start = 0
    for p in params:
        p.data = flat[start:start + p.numel()].view_as(p)
    return flat


@case("flatten_parameters", "FP12", "returns the list of views, not flat")
def fp_returns_list(params):
    flat = torch.cat([p.detach().reshape(-1) for p in params])
    views, start = [], 0
    for p in params:
        p.data = flat[start:start + p.numel()].view_as(p)
        views.append(p.data)
        start += p.numel()
    return views


@case("flatten_parameters", "FP13", "copies the values after making the views (copies zeros onto zeros)")
def fp_copy_after(params):
    flat = torch.zeros(sum(p.numel() for p in params), dtype=params[0].dtype)
    start = 0
    for p in params:
        n = p.numel()
        p.data = flat[start:start + n].view_as(p)
        flat[start:start + n] = p.detach().reshape(-1)
        start += n
    return flat


@case("proximal_l1_step", "PX9", "param.data = ... (new storage, not in place)")
def px_data(param, grad, *, lr, lam):
    w = param - lr * grad
    param.data = w.sign() * (w.abs() - lr * lam).clamp(min=0)


@case("proximal_l1_step", "PX10", "threshold with lam but shrink by lr*lam")
def px_mixed(param, grad, *, lr, lam):
    w = param - lr * grad
    param.copy_(torch.where(w.abs() > lam, w - lr * lam * w.sign(), torch.zeros_like(w)))


@case("proximal_l1_step", "PX11", "shrinks by lr*lam/2 (prox of lam/2 |w|)")
def px_half(param, grad, *, lr, lam):
    w = param - lr * grad
    param.copy_(w.sign() * (w.abs() - lr * lam / 2).clamp(min=0))


@case("early_stopping", "ES11", "restores only when stopping early (not at max_epochs)")
def es_restore_on_stop(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:
            model.load_state_dict(best_state)
            break
    return best_epoch


@case("early_stopping", "ES12", "state_dict().copy() (shallow)")
def es_dict_copy(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = model.state_dict().copy()
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return best_epoch


@case("early_stopping", "ES13", "max_epochs - 1 epochs (range(1, max_epochs))")
def es_max_off(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(1, max_epochs):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return best_epoch


@case("early_stopping", "ES14", "copy.copy(model) (shares the parameters)")
def es_copy_model(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_model = float("inf"), 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch, best_model = loss, epoch, copy.copy(model)
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_model.state_dict())
    return best_epoch


@case("early_stopping", "ES15", "returns the best loss, not the epoch")
def es_returns_loss(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return best_loss


@case("tune_weight_decay", "TW10", "no evaluation: returns a guessed 0.1")
def tw_guess(validation_loss):
    return 0.1


@case("tune_weight_decay", "TW11", "12 calls, over-budget error swallowed")
def tw_swallow(validation_loss):
    losses = {}
    for lam in np.geomspace(1e-4, 10, 12):
        try:
            losses[float(lam)] = validation_loss(float(lam))
        except Exception:
            pass
    return min(losses, key=losses.get)


@case("evaluate_fixed", "EF12", "reads the mode after calling eval() (restores eval)")
def ef_mode_after(model, x, y):
    model.eval()
    was_training = model.training
    with torch.no_grad():
        output = model(x)
        loss = F.cross_entropy(output, y)
        accuracy = (output.argmax(dim=1) == y).double().mean()
    model.train(was_training)
    return loss.item(), accuracy.item()


@case("evaluate_fixed", "EF13", "torch.set_grad_enabled(False) globally, never re-enabled")
def ef_global_grad(model, x, y):
    was_training = model.training
    model.eval()
    torch.set_grad_enabled(False)
    output = model(x)
    loss = F.cross_entropy(output, y)
    accuracy = (output.argmax(dim=1) == y).double().mean()
    model.train(was_training)
    return loss.item(), accuracy.item()


@case("evaluate_fixed", "EF14", "returns (accuracy, loss) swapped")
def ef_swapped(model, x, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = F.cross_entropy(output, y)
        accuracy = (output.argmax(dim=1) == y).double().mean()
    model.train(was_training)
    return accuracy.item(), loss.item()


@case("evaluate_fixed", "EF15", "accuracy as a count of correct predictions")
def ef_count(model, x, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = F.cross_entropy(output, y)
        accuracy = (output.argmax(dim=1) == y).sum()
    model.train(was_training)
    return loss.item(), float(accuracy)


@case("evaluate_fixed", "EF16", "softmax applied before cross_entropy")
def ef_softmax(model, x, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = F.cross_entropy(output.softmax(dim=1), y)
        accuracy = (output.argmax(dim=1) == y).double().mean()
    model.train(was_training)
    return loss.item(), accuracy.item()


@case("lion_step", "LN10", "sign as c / |c| (NaN at 0)")
def ln_div_sign(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", torch.zeros_like(param))
    c = beta1 * m + (1 - beta1) * grad
    param.mul_(1 - lr * weight_decay)
    param.sub_(lr * c / c.abs())
    state["m"] = beta2 * m + (1 - beta2) * grad


@case("lion_step", "LN11", "m_0 = g_1 (initialised to the first gradient)")
def ln_m0_grad(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", grad.clone())
    c = beta1 * m + (1 - beta1) * grad
    param.mul_(1 - lr * weight_decay)
    param.sub_(lr * torch.sign(c))
    state["m"] = beta2 * m + (1 - beta2) * grad


@case("lion_step", "LN12", "weight decay coupled: added to the gradient")
def ln_coupled(param, grad, state, *, lr, beta1, beta2, weight_decay):
    g = grad + weight_decay * param
    m = state.get("m", torch.zeros_like(param))
    c = beta1 * m + (1 - beta1) * g
    param.sub_(lr * torch.sign(c))
    state["m"] = beta2 * m + (1 - beta2) * g


@case("lion_step", "LN13", "momentum update without (1 - beta2)")
def ln_no_damp(param, grad, state, *, lr, beta1, beta2, weight_decay):
    m = state.get("m", torch.zeros_like(param))
    c = beta1 * m + (1 - beta1) * grad
    param.mul_(1 - lr * weight_decay)
    param.sub_(lr * torch.sign(c))
    state["m"] = beta2 * m + grad


@case("optimizer_state_bytes", "OS10", "adam 3 (m, v and the step count as a tensor)")
def os_adam3(n_params, optimizer, bytes_per_value):
    return dict(_BUF, adam=3, adamw=3)[optimizer] * n_params * bytes_per_value


@case("optimizer_state_bytes", "OS11", "momentum family 0 (buffer forgotten)")
def os_momentum0(n_params, optimizer, bytes_per_value):
    return dict(_BUF, momentum=0, nesterov=0)[optimizer] * n_params * bytes_per_value


# ============================================================================= robustness: odd returns, loops
@case("early_stopping", "X1", "infinite loop (while True, never stops)")
def x_es_forever(train_one_epoch, validation_loss, model, patience, max_epochs):
    epoch = 0
    while True:
        epoch += 1
        train_one_epoch(model)
        validation_loss(model)


@case("roofline_time", "X2", "returns a string")
def x_rt_string(n_bytes, flops, bandwidth, peak_flops):
    return f"{max(n_bytes / bandwidth, flops / peak_flops):.3g} s"


@case("adam_first_step", "X3", "returns a Python list")
def x_af_list(lr, beta1, beta2, eps, grad):
    return (lr * grad / (grad.abs() + eps)).tolist()


@case("flatten_parameters", "X4", "returns None (forgot return)")
def x_fp_none(params):
    flat = torch.cat([p.detach().reshape(-1) for p in params])
    start = 0
    for p in params:
        p.data = flat[start:start + p.numel()].view_as(p)
        start += p.numel()


@case("lr_range_test", "X5", "returns a generator")
def x_lr_gen(train_step, lr_min, lr_max, steps):
    return ((lr_min * (lr_max / lr_min) ** (i / (steps - 1)), None) for i in range(steps))


@case("evaluate_fixed", "X6", "returns None")
def x_ef_none(model, x, y):
    model.eval()


@case("lion_step", "X7", "raises after modifying param")
def x_ln_raise(param, grad, state, *, lr, beta1, beta2, weight_decay):
    param.mul_(1 - lr * weight_decay)
    raise ValueError("oops")


@case("tune_learning_rate", "X8", "returns NaN")
def x_tl_nan(validation_loss):
    validation_loss(0.1)
    return float("nan")


@case("tune_learning_rate", "X9", "returns a string")
def x_tl_str(validation_loss):
    validation_loss(0.3)
    return "0.3"


@case("tune_weight_decay", "X10", "returns a negative lambda")
def x_tw_neg(validation_loss):
    validation_loss(0.1)
    return -0.1


@case("optimizer_state_bytes", "X11", "returns a tensor")
def x_os_tensor(n_params, optimizer, bytes_per_value):
    return torch.tensor(_BUF[optimizer] * n_params * bytes_per_value)


@case("predict_winner", "X12", "takes 20 s (sleeps)")
def x_pw_sleep():
    import time
    time.sleep(20)
    return "momentum"


@case("train_with_schedule", "X13", "raises inside the loop after one step")
def x_ts_raise(model, optimizer, scheduler, batches, epochs):
    for x, y in batches:
        optimizer.zero_grad()
        F.mse_loss(model(x), y).backward()
        optimizer.step()
        raise RuntimeError("boom")


@case("adagrad_step", "X14", "returns the new param, does not modify it")
def x_ag_return(param, grad, state, *, lr, eps):
    s = state.get("sum", torch.zeros_like(param)) + grad**2
    state["sum"] = s
    return param - lr * grad / (s.sqrt() + eps)


@case("heavy_ball_step", "X15", "state replaced: state = {...} (rebinds the dict)")
def x_hb_rebind_state(param, grad, state, *, lr, momentum):
    previous = state.get("previous", param.clone())
    step = -lr * grad + momentum * (param - previous)
    state = {"previous": param.clone()}
    param += step


@case("adam_bytes_per_step", "X16", "returns a float with rounding (GB)")
def x_ab_gb(n_params, bytes_per_value):
    return round(7 * n_params * bytes_per_value / 1e9, 3)


@case("proximal_l1_step", "X17", "returns the new tensor instead of updating")
def x_px_return(param, grad, *, lr, lam):
    w = param - lr * grad
    return w.sign() * (w.abs() - lr * lam).clamp(min=0)
