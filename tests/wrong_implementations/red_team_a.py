"""Wrong answers to the exercises added with issue 13, from an independent red team
(written before reading the grader's catalogues)."""

import math

import torch
import torch.nn.functional as F

from wrong_implementations.registry import wrong

# The diagnosis the grader gives each entry (checked by tests/test_exercises.py).
EXPECTED = {
    "bce_naive": "not numerically stable",
    "bce_sigmoid": "not numerically stable",
    "bce_sum": "summed instead of averaged",
    "bce_no_max": "max(z, 0) is missing",
    "bce_plus_yz": "the sign of y·z is flipped",
    "bce_mean_last_axis": "wrong shape",
    "bce_item": "wrong type",
    "bce_exp_minus_z": "|z| where the formula has max(z, 0), or e^{−z} where it has e^{−|z|}",
    "huber_no_half": "δ² instead of ½δ² in the linear part",
    "huber_no_delta_factor": "δ does not scale the linear part",
    "huber_no_half_quadratic": "the ½ is missing in the quadratic part",
    "huber_swapped": "the branches are swapped",
    "huber_sum": "summed instead of averaged",
    "huber_smooth_l1": "this is the smooth L1 loss (the Huber loss divided by δ)",
    "huber_inplace": "exception",
    "ceg_no_n": "not divided by N",
    "ceg_sign": "sign flipped (one-hot − softmax)",
    "ceg_dim0": "the softmax is taken over the batch (dim 0)",
    "ceg_div_c": "divided by C instead of N",
    "ceg_target_only": "only the right class's logit gets a gradient",
    "ceg_sigmoid": "the sigmoid instead of the softmax",
    "ceg_inplace_exp": "input modified",
    "tcf_unchanged": "softmax applied before cross_entropy",
    "tcf_nll_probs": "NLL loss on probabilities (the log is missing)",
    "tcf_no_zero_grad": "zero_grad missing: gradients accumulate",
    "tcf_step_before_backward": "exception",
    "tcf_sum": "loss summed instead of averaged",
    "tcf_off_by_one": "one epoch too few",
    "tcf_double": "softmax applied before cross_entropy",
    "tcf_mse": "MSE on the probabilities",
    "lsl_one_over_max": "1/L instead of 2/L",
    "lsl_two_over_min": "the smallest curvature instead of the largest",
    "lsl_two_over_mean": "the mean curvature instead of the largest",
    "lsl_two_over_sum": "the sum of the curvatures instead of the largest",
    "lsl_two_over_norm": "the norm of the curvatures instead of the largest",
    "lsl_vector": "wrong type",
    "lsl_inverted": "2L instead of 2/L",
    "lsl_half": "1/(2L) instead of 2/L",
    "gdl_min_norm": "the minimum-norm solution X⁺y: the start θ₀ is ignored",
    "gdl_forgot_x_theta0": "the correction is X⁺y: the start's predictions Xθ₀ are not subtracted",
    "gdl_sign": "sign of the correction flipped",
    "gdl_one_step": "Xᵀ instead of the pseudo-inverse X⁺",
    "gdl_null_only": "X⁺y is missing: only the projection (I − X⁺X)θ₀",
    "gdl_row_space": "the projections are swapped: θ₀ is projected onto the rows of X",
    "gdl_theta0": "the start θ₀ itself",
    "gdl_bad_projector": "not a minimizer (Xθ ≠ y)",
    "pja_converges": "wrong prediction",
    "pja_oscillates": "wrong prediction",
    "pja_typo": "invalid prediction",
    "pja_none": "invalid prediction",
    "acc_dim0": "argmax over the wrong dimension (dim 0, the examples)",
    "acc_count": "the count of right predictions instead of the fraction",
    "acc_argmin": "argmin instead of argmax",
    "acc_bool_mean": "exception",
    "acc_int_div": "integer division",
    "acc_percent": "a percentage instead of a fraction",
    "acc_max_values": "the largest logit's value is compared, not its index",
    "acc_div_c": "divided by the number of classes instead of the number of examples",
    "acc_error": "the error rate instead of the accuracy",
    "plt_both_fall": "wrong prediction",
    "plt_level_off": "wrong prediction",
    "plt_typo": "invalid prediction",
    "tf_per_epoch": "zero_grad once per epoch (gradients accumulate within the epoch)",
    "tf_zero_before_step": "the parameters never change",
    "tf_zero_once": "zero_grad missing (gradients accumulate)",
    "tf_drop_last": "the last, smaller mini-batch is skipped",
    "tf_ignore_order": "the given order is ignored",
    "tf_sum": "loss summed instead of averaged",
    "tf_new_optimizer": "zero_grad missing (gradients accumulate)",
    "sbs_floor": "rounded down instead of up",
    "sbs_round": "rounded to the nearest integer instead of up",
    "sbs_infinite": "finite-population correction missing",
    "sbs_eps": "ε used where ε² belongs",
    "sbs_n": "n − 1 replaced by n",
    "sbs_float": "not rounded to a whole batch size",
    "xu_no_rf": "the kernel size is missing from the fans",
    "xu_three": "bound √(3/(fan_in + fan_out)): the 3 of the uniform counted without the 2 of Xavier",
    "xu_fan_in": "fan_out missing: only fan_in used",
    "xu_gain_inside": "gain inside the square root",
    "xu_one_sided": "U(0, a) instead of U(−a, a)",
    "xu_new_tensor": "out of place",
    "xu_seeded": "the same numbers on every call",
    "xu_normal": "normal instead of uniform",
    "xu_no_nograd": "not inside torch.no_grad()",
    "xu_last_dims": "the fans taken from the last two dimensions",
    "xu_no_return": "returned None",
    "xu_no_gain": "gain ignored",
    "xu_rounded": "fan_out missing: only fan_in used",
    "rsm_no_half": "the ½ of ReLU missing",
    "rsm_width_everywhere": "width used as the first layer's fan-in",
    "rsm_half_once": "the ½ of ReLU counted once instead of at every layer",
    "rsm_sigma": "σ used where σ² belongs",
    "rsm_extra_layer": "one layer too many",
    "rsm_in_everywhere": "in_features used as every layer's fan-in",
    "rsm_no_q": "the inputs' second moment q left out",
    "rsm_missing_layer": "one layer too few",
    "pdas_stays": "wrong prediction",
    "pdas_explodes": "wrong prediction",
    "csp_no_tol": "eigenvalues compared with exactly 0",
    "csp_diagonal": "the diagonal read instead of the eigenvalues",
    "csp_det_trace": "the 2×2 determinant test used for a larger matrix",
    "csp_zero_first": "any zero eigenvalue called inconclusive",
    "csp_swapped": "minimum and maximum swapped",
    "csp_float32": "eigenvalues compared with exactly 0",
    "pss_stays": "wrong prediction",
    "pss_quickly": "wrong prediction",
    "pss_typo": "invalid prediction",
    "bce_eps": "not numerically stable",
    "bce_clamp": "not numerically stable",
    "huber_signed_condition": "the absolute value of the error is missing",
    "ceg_one_hot_no_c": "exception",
    "gdl_float32": "wrong dtype",
    "sbs_drop_sigma": "the |B| in n − |B| dropped",
    "csp_alias": "exception"
}


def case(exercise, *label_and_kind):
    """Register the function with its expected diagnosis (entries without one stay out)."""
    def register(function):
        if function.__name__ in EXPECTED:
            wrong(exercise, EXPECTED[function.__name__])(function)
        return function
    return register

W = "wrong"

# ======================================================================= losses.bce_with_logits


@case("bce_with_logits", "naive log(1+exp(z)) - y z (overflows)", W)
def bce_naive(logits, target):
    return (torch.log(1 + torch.exp(logits)) - target * logits).mean()


@case("bce_with_logits", "via sigmoid and log (unstable form)", W)
def bce_sigmoid(logits, target):
    p = torch.sigmoid(logits)
    return -(target * torch.log(p) + (1 - target) * torch.log(1 - p)).mean()


@case("bce_with_logits", "sum instead of mean", W)
def bce_sum(logits, target):
    z, y = logits, target
    return (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).sum()


@case("bce_with_logits", "forgot the max(z, 0) term", W)
def bce_no_max(logits, target):
    z, y = logits, target
    return (-y * z + torch.log1p(torch.exp(-z.abs()))).mean()


@case("bce_with_logits", "sign error: + y z", W)
def bce_plus_yz(logits, target):
    z, y = logits, target
    return (z.clamp(min=0) + y * z + torch.log1p(torch.exp(-z.abs()))).mean()


@case("bce_with_logits", "max(-z, 0) instead of max(z, 0)", W)
def bce_max_minus_z(logits, target):
    z, y = logits, target
    return ((-z).clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean()


@case("bce_with_logits", "mean over the last axis only", W)
def bce_mean_last_axis(logits, target):
    z, y = logits, target
    return (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean(dim=-1)


@case("bce_with_logits", "returns a Python float (.item())", W)
def bce_item(logits, target):
    z, y = logits, target
    return (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean().item()


@case("bce_with_logits", "exp(-z) instead of exp(-|z|)", W)
def bce_exp_minus_z(logits, target):
    z, y = logits, target
    return (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z))).mean()


# ======================================================================= losses.huber_loss


@case("huber_loss", "linear piece delta*(|e| - delta)", W)
def huber_no_half(input, target, delta):
    e = (input - target).abs()
    return torch.where(e < delta, 0.5 * e**2, delta * (e - delta)).mean()


@case("huber_loss", "linear piece |e| - delta/2 (no factor delta)", W)
def huber_no_delta_factor(input, target, delta):
    e = (input - target).abs()
    return torch.where(e < delta, 0.5 * e**2, e - 0.5 * delta).mean()


@case("huber_loss", "quadratic piece e^2 without the 1/2", W)
def huber_no_half_quadratic(input, target, delta):
    e = (input - target).abs()
    return torch.where(e < delta, e**2, delta * (e - 0.5 * delta)).mean()


@case("huber_loss", "branches swapped (condition e > delta)", W)
def huber_swapped(input, target, delta):
    e = (input - target).abs()
    return torch.where(e > delta, 0.5 * e**2, delta * (e - 0.5 * delta)).mean()


@case("huber_loss", "signed error in the linear piece (no abs)", W)
def huber_signed(input, target, delta):
    e = input - target
    return torch.where(e.abs() < delta, 0.5 * e**2, delta * (e - 0.5 * delta)).mean()


@case("huber_loss", "sum instead of mean", W)
def huber_sum(input, target, delta):
    e = (input - target).abs()
    return torch.where(e < delta, 0.5 * e**2, delta * (e - 0.5 * delta)).sum()


@case("huber_loss", "smooth L1 (quadratic 0.5 e^2/delta, linear |e| - delta/2)", W)
def huber_smooth_l1(input, target, delta):
    e = (input - target).abs()
    return torch.where(e < delta, 0.5 * e**2 / delta, e - 0.5 * delta).mean()


@case("huber_loss", "in place: input -= target (modifies caller's input)", W)
def huber_inplace(input, target, delta):
    e = input
    e -= target
    e = e.abs()
    return torch.where(e < delta, 0.5 * e**2, delta * (e - 0.5 * delta)).mean()


@case("huber_loss", "error = target - input, squared branch ok but linear uses e not |e|", W)
def huber_reversed_signed(input, target, delta):
    e = target - input
    return torch.where(e.abs() < delta, 0.5 * e**2, delta * (e - 0.5 * delta)).mean()


# ======================================================================= losses.cross_entropy_gradient


@case("cross_entropy_gradient", "forgot the 1/N", W)
def ceg_no_n(logits, target):
    p = torch.softmax(logits, dim=1)
    return p - F.one_hot(target, logits.shape[1]).to(logits.dtype)


@case("cross_entropy_gradient", "sign flipped: (y - p)/N", W)
def ceg_sign(logits, target):
    p = torch.softmax(logits, dim=1)
    return (F.one_hot(target, logits.shape[1]).to(logits.dtype) - p) / len(logits)


@case("cross_entropy_gradient", "softmax over dim 0", W)
def ceg_dim0(logits, target):
    p = torch.softmax(logits, dim=0)
    return (p - F.one_hot(target, logits.shape[1]).to(logits.dtype)) / len(logits)


@case("cross_entropy_gradient", "divided by C instead of N", W)
def ceg_div_c(logits, target):
    p = torch.softmax(logits, dim=1)
    return (p - F.one_hot(target, logits.shape[1]).to(logits.dtype)) / logits.shape[1]


@case("cross_entropy_gradient", "only the target column: -(1 - p_k)/N", W)
def ceg_target_only(logits, target):
    p = torch.softmax(logits, dim=1)
    y = F.one_hot(target, logits.shape[1]).to(logits.dtype)
    return -(y * (1 - p)) / len(logits)


@case("cross_entropy_gradient", "sigmoid instead of softmax", W)
def ceg_sigmoid(logits, target):
    p = torch.sigmoid(logits)
    return (p - F.one_hot(target, logits.shape[1]).to(logits.dtype)) / len(logits)


@case("cross_entropy_gradient", "exp_() in place on the caller's logits", W)
def ceg_inplace_exp(logits, target):
    e = logits.sub_(logits.max(dim=1, keepdim=True).values).exp_()
    p = e / e.sum(dim=1, keepdim=True)
    return (p - F.one_hot(target, logits.shape[1]).to(logits.dtype)) / len(logits)


@case("cross_entropy_gradient", "softmax Jacobian diagonal p(1-p) - y", W)
def ceg_diag_jacobian(logits, target):
    p = torch.softmax(logits, dim=1)
    return (p * (1 - p) - F.one_hot(target, logits.shape[1]).to(logits.dtype)) / len(logits)


# ======================================================================= losses.train_classifier_fixed


@case("train_classifier_fixed", "bug left in (softmax then cross_entropy)", W)
def tcf_unchanged(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = F.cross_entropy(torch.softmax(model(x), dim=1), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@case("train_classifier_fixed", "nll_loss on probabilities (no log)", W)
def tcf_nll_probs(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = F.nll_loss(torch.softmax(model(x), dim=1), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@case("train_classifier_fixed", "softmax removed but zero_grad dropped too", W)
def tcf_no_zero_grad(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()


@case("train_classifier_fixed", "step before backward (one-epoch-late gradient)", W)
def tcf_step_before_backward(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = F.cross_entropy(model(x), y)
        optimizer.step()
        optimizer.zero_grad()
        loss.backward()


@case("train_classifier_fixed", "'fix' by a 10x learning rate, softmax kept", W)
def tcf_bigger_lr(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=10 * lr)
    for _ in range(epochs):
        loss = F.cross_entropy(torch.softmax(model(x), dim=1), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@case("train_classifier_fixed", "reduction='sum'", W)
def tcf_sum(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = F.cross_entropy(model(x), y, reduction="sum")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@case("train_classifier_fixed", "one epoch too few (range(epochs - 1))", W)
def tcf_off_by_one(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs - 1):
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@case("train_classifier_fixed", "log_softmax then nll, but softmax also applied (double softmax)", W)
def tcf_double(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = F.nll_loss(F.log_softmax(torch.softmax(model(x), dim=1), dim=1), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@case("train_classifier_fixed", "MSE on one-hot targets instead of cross-entropy", W)
def tcf_mse(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        out = model(x)
        loss = F.mse_loss(torch.softmax(out, dim=1), F.one_hot(y, out.shape[1]).to(out.dtype))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


# ======================================================================= gradient_descent.largest_stable_lr


@case("largest_stable_lr", "1 / max", W)
def lsl_one_over_max(curvatures):
    return 1 / curvatures.max()


@case("largest_stable_lr", "2 / min", W)
def lsl_two_over_min(curvatures):
    return 2 / curvatures.min()


@case("largest_stable_lr", "2 / mean", W)
def lsl_two_over_mean(curvatures):
    return 2 / curvatures.mean()


@case("largest_stable_lr", "2 / sum", W)
def lsl_two_over_sum(curvatures):
    return 2 / curvatures.sum()


@case("largest_stable_lr", "2 / ||lambda||_2", W)
def lsl_two_over_norm(curvatures):
    return 2 / torch.linalg.norm(curvatures)


@case("largest_stable_lr", "vector 2 / lambda (no max)", W)
def lsl_vector(curvatures):
    return 2 / curvatures


@case("largest_stable_lr", "2 * max (inverted)", W)
def lsl_inverted(curvatures):
    return 2 * curvatures.max()


@case("largest_stable_lr", "1 / (2 max)", W)
def lsl_half(curvatures):
    return 1 / (2 * curvatures.max())


# ======================================================================= gradient_descent.gradient_descent_limit


@case("gradient_descent_limit", "minimum-norm solution pinv(X) y (ignores theta0)", W)
def gdl_min_norm(x, y, theta0):
    return torch.linalg.pinv(x) @ y


@case("gradient_descent_limit", "theta0 + pinv(X) y (forgot - X theta0)", W)
def gdl_forgot_x_theta0(x, y, theta0):
    return theta0 + torch.linalg.pinv(x) @ y


@case("gradient_descent_limit", "theta0 - pinv(X)(y - X theta0) (sign)", W)
def gdl_sign(x, y, theta0):
    return theta0 - torch.linalg.pinv(x) @ (y - x @ theta0)


@case("gradient_descent_limit", "one unit step theta0 + X^T (y - X theta0)", W)
def gdl_one_step(x, y, theta0):
    return theta0 + x.T @ (y - x @ theta0)


@case("gradient_descent_limit", "only the null-space part of theta0", W)
def gdl_null_only(x, y, theta0):
    p = torch.linalg.pinv(x)
    return theta0 - p @ (x @ theta0)


@case("gradient_descent_limit", "row-space part of theta0 kept instead of null-space part", W)
def gdl_row_space(x, y, theta0):
    p = torch.linalg.pinv(x)
    return p @ (x @ theta0) + p @ y


@case("gradient_descent_limit", "returns theta0 (it is a minimizer already?)", W)
def gdl_theta0(x, y, theta0):
    return theta0.clone()


@case("gradient_descent_limit", "projector I - X^T X instead of I - X^+ X", W)
def gdl_bad_projector(x, y, theta0):
    eye = torch.eye(x.shape[1], dtype=x.dtype)
    return torch.linalg.pinv(x) @ y + (eye - x.T @ x) @ theta0


# ======================================================================= gradient_descent.predict_just_above_2_over_L


@case("predict_just_above_2_over_L", "converges", W)
def pja_converges():
    return "converges"


@case("predict_just_above_2_over_L", "oscillates", W)
def pja_oscillates():
    return "oscillates"


@case("predict_just_above_2_over_L", "typo 'diverge'", W)
def pja_typo():
    return "diverge"


@case("predict_just_above_2_over_L", "returns None (forgot return)", W)
def pja_none():
    "diverges"


# ======================================================================= background.accuracy


@case("accuracy", "argmax over dim 0", W)
def acc_dim0(logits, labels):
    return (logits.argmax(dim=0) == labels).double().mean().item()


@case("accuracy", "count instead of fraction", W)
def acc_count(logits, labels):
    return (logits.argmax(dim=1) == labels).sum().item()


@case("accuracy", "argmin", W)
def acc_argmin(logits, labels):
    return (logits.argmin(dim=1) == labels).double().mean().item()


@case("accuracy", "mean of a bool tensor (raises)", W)
def acc_bool_mean(logits, labels):
    return (logits.argmax(dim=1) == labels).mean().item()


@case("accuracy", "integer division sum // N", W)
def acc_int_div(logits, labels):
    return ((logits.argmax(dim=1) == labels).sum() // len(labels)).item()


@case("accuracy", "percent (x100)", W)
def acc_percent(logits, labels):
    return 100 * (logits.argmax(dim=1) == labels).double().mean().item()


@case("accuracy", "softmax prob of label > 0.5", W)
def acc_threshold(logits, labels):
    p = torch.softmax(logits, dim=1)
    return (p[torch.arange(len(labels)), labels] > 0.5).double().mean().item()


@case("accuracy", "compares max value with the label", W)
def acc_max_values(logits, labels):
    return (logits.max(dim=1).values == labels).double().mean().item()


@case("accuracy", "divides by C instead of N", W)
def acc_div_c(logits, labels):
    return (logits.argmax(dim=1) == labels).sum().item() / logits.shape[1]


@case("accuracy", "error rate (1 - accuracy)", W)
def acc_error(logits, labels):
    return (logits.argmax(dim=1) != labels).double().mean().item()


# ======================================================================= background.predict_long_training


@case("predict_long_training", "both fall", W)
def plt_both_fall():
    return "both fall"


@case("predict_long_training", "both level off", W)
def plt_level_off():
    return "both level off"


@case("predict_long_training", "typo 'test rise'", W)
def plt_typo():
    return "test rise"


# ======================================================================= minibatch.train_fixed


@case("train_fixed", "zero_grad once per epoch", W)
def tf_per_epoch(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        optimizer.zero_grad()
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            loss = F.mse_loss(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()


@case("train_fixed", "zero_grad between backward and step", W)
def tf_zero_before_step(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            loss = F.mse_loss(model(x[batch]), y[batch])
            loss.backward()
            optimizer.zero_grad()
            optimizer.step()


@case("train_fixed", "zero_grad once before training", W)
def tf_zero_once(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    optimizer.zero_grad()
    for order in orders:
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            loss = F.mse_loss(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()


@case("train_fixed", "fresh random order instead of the given one", W)
def tf_randperm(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in orders:
        order = torch.randperm(len(x))
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            loss = F.mse_loss(model(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


@case("train_fixed", "drops the last partial batch", W)
def tf_drop_last(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        for start in range(0, len(x) - batch_size + 1, batch_size):
            batch = order[start:start + batch_size]
            loss = F.mse_loss(model(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


@case("train_fixed", "slices x in storage order, ignoring orders", W)
def tf_ignore_order(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in orders:
        for start in range(0, len(x), batch_size):
            loss = F.mse_loss(model(x[start:start + batch_size]), y[start:start + batch_size])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


@case("train_fixed", "'fix' by dividing the lr by the number of batches", W)
def tf_lr_scaled(model, x, y, orders, batch_size, lr):
    batches = math.ceil(len(x) / batch_size)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr / batches)
    for order in orders:
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            loss = F.mse_loss(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()


@case("train_fixed", "reduction='sum'", W)
def tf_sum(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders:
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            loss = F.mse_loss(model(x[batch]), y[batch], reduction="sum")
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


@case("train_fixed", "new optimizer every batch, still no zero_grad", W)
def tf_new_optimizer(model, x, y, orders, batch_size, lr):
    for order in orders:
        for start in range(0, len(x), batch_size):
            optimizer = torch.optim.SGD(model.parameters(), lr=lr)
            batch = order[start:start + batch_size]
            loss = F.mse_loss(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()


@case("train_fixed", "iterates orders.T (wrong axis)", W)
def tf_transposed(model, x, y, orders, batch_size, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for order in orders.T:
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            loss = F.mse_loss(model(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


# ======================================================================= minibatch.smallest_batch_size


@case("smallest_batch_size", "floor instead of ceil", W)
def sbs_floor(sigma2, n, rms_error):
    return math.floor(n * sigma2 / ((n - 1) * rms_error**2 + sigma2))


@case("smallest_batch_size", "round instead of ceil", W)
def sbs_round(sigma2, n, rms_error):
    return round(n * sigma2 / ((n - 1) * rms_error**2 + sigma2))


@case("smallest_batch_size", "ignores the finite-population factor: ceil(sigma2/eps^2)", W)
def sbs_infinite(sigma2, n, rms_error):
    return math.ceil(sigma2 / rms_error**2)


@case("smallest_batch_size", "eps instead of eps^2", W)
def sbs_eps(sigma2, n, rms_error):
    return math.ceil(n * sigma2 / ((n - 1) * rms_error + sigma2))


@case("smallest_batch_size", "n instead of n - 1", W)
def sbs_n(sigma2, n, rms_error):
    return math.ceil(n * sigma2 / (n * rms_error**2 + sigma2))


@case("smallest_batch_size", "float, not rounded", W)
def sbs_float(sigma2, n, rms_error):
    return n * sigma2 / ((n - 1) * rms_error**2 + sigma2)


@case("smallest_batch_size", "int(b) + 1 (wrong when b is whole)", W)
def sbs_int_plus_one(sigma2, n, rms_error):
    return int(n * sigma2 / ((n - 1) * rms_error**2 + sigma2)) + 1


@case("smallest_batch_size", "sigma (sqrt) instead of sigma2", W)
def sbs_sigma(sigma2, n, rms_error):
    s = math.sqrt(sigma2)
    return math.ceil(n * s / ((n - 1) * rms_error**2 + s))


@case("smallest_batch_size", "infinite-population and floor+1", W)
def sbs_infinite_floor(sigma2, n, rms_error):
    return int(sigma2 / rms_error**2) + 1


# ======================================================================= initialization.xavier_uniform_


def _fans(tensor):
    rf = math.prod(tensor.shape[2:])
    return tensor.shape[1] * rf, tensor.shape[0] * rf


@case("xavier_uniform_", "conv: forgot the kernel size", W)
def xu_no_rf(tensor, gain=1.0):
    a = gain * math.sqrt(6.0 / (tensor.shape[0] + tensor.shape[1]))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@case("xavier_uniform_", "sqrt(3 / (fan_in + fan_out))", W)
def xu_three(tensor, gain=1.0):
    fi, fo = _fans(tensor)
    a = gain * math.sqrt(3.0 / (fi + fo))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@case("xavier_uniform_", "sqrt(6 / fan_in) only", W)
def xu_fan_in(tensor, gain=1.0):
    fi, fo = _fans(tensor)
    a = gain * math.sqrt(6.0 / fi)
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@case("xavier_uniform_", "gain inside the sqrt", W)
def xu_gain_inside(tensor, gain=1.0):
    fi, fo = _fans(tensor)
    a = math.sqrt(gain * 6.0 / (fi + fo))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@case("xavier_uniform_", "one-sided U(0, a)", W)
def xu_one_sided(tensor, gain=1.0):
    fi, fo = _fans(tensor)
    a = gain * math.sqrt(6.0 / (fi + fo))
    with torch.no_grad():
        return tensor.uniform_(0, a)


@case("xavier_uniform_", "not in place: returns a new tensor", W)
def xu_new_tensor(tensor, gain=1.0):
    fi, fo = _fans(tensor)
    a = gain * math.sqrt(6.0 / (fi + fo))
    return torch.empty_like(tensor).uniform_(-a, a).detach()


@case("xavier_uniform_", "seeds inside (same numbers every call)", W)
def xu_seeded(tensor, gain=1.0):
    fi, fo = _fans(tensor)
    a = gain * math.sqrt(6.0 / (fi + fo))
    torch.manual_seed(0)
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@case("xavier_uniform_", "normal with the same variance", W)
def xu_normal(tensor, gain=1.0):
    fi, fo = _fans(tensor)
    a = gain * math.sqrt(6.0 / (fi + fo))
    with torch.no_grad():
        return tensor.normal_(0, a / math.sqrt(3))


@case("xavier_uniform_", "no torch.no_grad (fails on a Parameter)", W)
def xu_no_nograd(tensor, gain=1.0):
    fi, fo = _fans(tensor)
    a = gain * math.sqrt(6.0 / (fi + fo))
    return tensor.uniform_(-a, a)


@case("xavier_uniform_", "fans from the last two dims (shape[-1], shape[-2])", W)
def xu_last_dims(tensor, gain=1.0):
    a = gain * math.sqrt(6.0 / (tensor.shape[-1] + tensor.shape[-2]))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@case("xavier_uniform_", "forgets to return", W)
def xu_no_return(tensor, gain=1.0):
    fi, fo = _fans(tensor)
    a = gain * math.sqrt(6.0 / (fi + fo))
    with torch.no_grad():
        tensor.uniform_(-a, a)


@case("xavier_uniform_", "gain ignored", W)
def xu_no_gain(tensor, gain=1.0):
    fi, fo = _fans(tensor)
    a = math.sqrt(6.0 / (fi + fo))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@case("xavier_uniform_", "bound rounded to 1 decimal", W)
def xu_rounded(tensor, gain=1.0):
    fi, fo = _fans(tensor)
    a = round(gain * math.sqrt(6.0 / (fi + fo)), 1)
    with torch.no_grad():
        return tensor.uniform_(-a, a)


# ======================================================================= initialization.relu_stack_second_moment


@case("relu_stack_second_moment", "forgot the ReLU halving", W)
def rsm_no_half(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    return in_features * s2 * input_second_moment * (width * s2) ** (depth - 1)


@case("relu_stack_second_moment", "fan-in = width for every layer", W)
def rsm_width_everywhere(depth, in_features, width, weight_std, input_second_moment):
    return (width * weight_std**2 / 2) ** depth * input_second_moment


@case("relu_stack_second_moment", "halved only once", W)
def rsm_half_once(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    return in_features * s2 * input_second_moment / 2 * (width * s2) ** (depth - 1)


@case("relu_stack_second_moment", "sigma instead of sigma^2", W)
def rsm_sigma(depth, in_features, width, weight_std, input_second_moment):
    s = weight_std
    return in_features * s * input_second_moment / 2 * (width * s / 2) ** (depth - 1)


@case("relu_stack_second_moment", "one layer too many (exponent D)", W)
def rsm_extra_layer(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    return in_features * s2 * input_second_moment / 2 * (width * s2 / 2) ** depth


@case("relu_stack_second_moment", "ReLU factor 1/2 - 1/(2 pi) (variance, not 2nd moment)", W)
def rsm_variance_factor(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    c = 0.5 - 0.5 / math.pi
    return in_features * s2 * input_second_moment * c * (width * s2 * c) ** (depth - 1)


@case("relu_stack_second_moment", "fan-in = in_features for every layer", W)
def rsm_in_everywhere(depth, in_features, width, weight_std, input_second_moment):
    return (in_features * weight_std**2 / 2) ** depth * input_second_moment


@case("relu_stack_second_moment", "forgot q", W)
def rsm_no_q(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    return in_features * s2 / 2 * (width * s2 / 2) ** (depth - 1)


@case("relu_stack_second_moment", "one layer too few (exponent D - 2)", W)
def rsm_missing_layer(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    return in_features * s2 * input_second_moment / 2 * (width * s2 / 2) ** (depth - 2)


@case("relu_stack_second_moment", "fan-out (width) for layer 1, in_features afterwards (swapped)", W)
def rsm_swapped(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    return width * s2 * input_second_moment / 2 * (in_features * s2 / 2) ** (depth - 1)


# ======================================================================= initialization.predict_deep_activation_scale


@case("predict_deep_activation_scale", "stays", W)
def pdas_stays():
    return "stays"


@case("predict_deep_activation_scale", "explodes", W)
def pdas_explodes():
    return "explodes"


# ======================================================================= faq.classify_stationary_point


@case("classify_stationary_point", "no tolerance (exact zero test)", W)
def csp_no_tol(hessian):
    ev = torch.linalg.eigvalsh(hessian)
    pos, neg = (ev > 0).any(), (ev < 0).any()
    if pos and neg:
        return "saddle"
    if (ev == 0).any():
        return "inconclusive"
    return "minimum" if pos else "maximum"


@case("classify_stationary_point", "signs of the diagonal instead of eigenvalues", W)
def csp_diagonal(hessian):
    ev = torch.diagonal(hessian)
    pos, neg = (ev > 1e-9).any(), (ev < -1e-9).any()
    if pos and neg:
        return "saddle"
    if (ev.abs() <= 1e-9).any():
        return "inconclusive"
    return "minimum" if pos else "maximum"


@case("classify_stationary_point", "2-D determinant/trace test for all n", W)
def csp_det_trace(hessian):
    det = torch.linalg.det(hessian)
    tr = torch.trace(hessian)
    if det.abs() <= 1e-9:
        return "inconclusive"
    if det < 0:
        return "saddle"
    return "minimum" if tr > 0 else "maximum"


@case("classify_stationary_point", "zero checked before mixed signs", W)
def csp_zero_first(hessian):
    ev = torch.linalg.eigvalsh(hessian)
    if (ev.abs() <= 1e-9).any():
        return "inconclusive"
    pos, neg = (ev > 1e-9).any(), (ev < -1e-9).any()
    if pos and neg:
        return "saddle"
    return "minimum" if pos else "maximum"


@case("classify_stationary_point", "symmetrizes hessian in place", W)
def csp_inplace(hessian):
    hessian += hessian.T.clone()
    hessian /= 2
    ev = torch.linalg.eigvalsh(hessian)
    pos, neg = (ev > 1e-9).any(), (ev < -1e-9).any()
    zero = (ev.abs() <= 1e-9).any()
    if pos and neg:
        return "saddle"
    if zero:
        return "inconclusive"
    return "minimum" if pos else "maximum"


@case("classify_stationary_point", "semi-definite counted as minimum/maximum", W)
def csp_semidefinite(hessian):
    ev = torch.linalg.eigvalsh(hessian)
    pos, neg = (ev > 1e-9).any(), (ev < -1e-9).any()
    if pos and neg:
        return "saddle"
    if pos:
        return "minimum"
    if neg:
        return "maximum"
    return "inconclusive"


@case("classify_stationary_point", "tolerance 1e-6", W)
def csp_tol_big(hessian):
    ev = torch.linalg.eigvalsh(hessian)
    pos, neg = (ev > 1e-6).any(), (ev < -1e-6).any()
    if pos and neg:
        return "saddle"
    if (ev.abs() <= 1e-6).any():
        return "inconclusive"
    return "minimum" if pos else "maximum"


@case("classify_stationary_point", "minimum and maximum swapped", W)
def csp_swapped(hessian):
    ev = torch.linalg.eigvalsh(hessian)
    pos, neg = (ev > 1e-9).any(), (ev < -1e-9).any()
    if pos and neg:
        return "saddle"
    if (ev.abs() <= 1e-9).any():
        return "inconclusive"
    return "maximum" if pos else "minimum"


@case("classify_stationary_point", "eigenvalues in float32", W)
def csp_float32(hessian):
    ev = torch.linalg.eigvalsh(hessian.float())
    pos, neg = (ev > 1e-9).any(), (ev < -1e-9).any()
    if pos and neg:
        return "saddle"
    if (ev.abs() <= 1e-9).any():
        return "inconclusive"
    return "minimum" if pos else "maximum"


@case("classify_stationary_point", "any zero -> inconclusive, any neg -> saddle (ignores all-negative)", W)
def csp_no_maximum(hessian):
    ev = torch.linalg.eigvalsh(hessian)
    if (ev.abs() <= 1e-9).any():
        return "inconclusive"
    if (ev < 0).any():
        return "saddle"
    return "minimum"


# ======================================================================= faq.predict_start_on_saddle


@case("predict_start_on_saddle", "stays", W)
def pss_stays():
    return "stays"


@case("predict_start_on_saddle", "escapes quickly", W)
def pss_quickly():
    return "escapes quickly"


@case("predict_start_on_saddle", "typo 'escapes'", W)
def pss_typo():
    return "escapes"


# ======================================================================= second round of probes


@case("bce_with_logits", "sigmoid + eps inside the log", W)
def bce_eps(logits, target):
    p = torch.sigmoid(logits)
    return -(target * torch.log(p + 1e-12) + (1 - target) * torch.log(1 - p + 1e-12)).mean()


@case("bce_with_logits", "clamps logits to [-50, 50] to avoid overflow", W)
def bce_clamp(logits, target):
    z = logits.clamp(-50, 50)
    return (torch.log1p(torch.exp(z)) - target * z).mean()


@case("huber_loss", "condition on the signed error (e < delta)", W)
def huber_signed_condition(input, target, delta):
    e = input - target
    return torch.where(e < delta, 0.5 * e**2, delta * (e.abs() - 0.5 * delta)).mean()


@case("cross_entropy_gradient", "one_hot without num_classes", W)
def ceg_one_hot_no_c(logits, target):
    p = torch.softmax(logits, dim=1)
    return (p - F.one_hot(target).to(logits.dtype)) / len(logits)


@case("accuracy", "labels broadcast against a column (N x N)", W)
def acc_broadcast(logits, labels):
    return (logits.argmax(dim=1, keepdim=True) == labels).double().mean().item()


@case("largest_stable_lr", "0.99 * 2 / max (a safe margin)", W)
def lsl_margin(curvatures):
    return 0.99 * 2 / curvatures.max()


@case("gradient_descent_limit", "computed in float32", W)
def gdl_float32(x, y, theta0):
    x32, y32, t32 = x.float(), y.float(), theta0.float()
    return t32 + torch.linalg.pinv(x32) @ (y32 - x32 @ t32)


@case("smallest_batch_size", "algebra drops the + sigma2 in the denominator", W)
def sbs_drop_sigma(sigma2, n, rms_error):
    return math.ceil(n * sigma2 / ((n - 1) * rms_error**2))


@case("classify_stationary_point", "symmetrizes with add_(hessian.T) (aliased, in place)", W)
def csp_alias(hessian):
    hessian.add_(hessian.T).div_(2)
    ev = torch.linalg.eigvalsh(hessian)
    pos, neg = (ev > 1e-9).any(), (ev < -1e-9).any()
    if pos and neg:
        return "saddle"
    if (ev.abs() <= 1e-9).any():
        return "inconclusive"
    return "minimum" if pos else "maximum"


@case("classify_stationary_point", "zeroes tiny entries of hessian in place", W)
def csp_clean_inplace(hessian):
    hessian[hessian.abs() < 1e-9] = 0
    ev = torch.linalg.eigvalsh(hessian)
    pos, neg = (ev > 1e-9).any(), (ev < -1e-9).any()
    if pos and neg:
        return "saddle"
    if (ev.abs() <= 1e-9).any():
        return "inconclusive"
    return "minimum" if pos else "maximum"


@case("classify_stationary_point", "tolerance 1e-12", W)
def csp_tol_small(hessian):
    ev = torch.linalg.eigvalsh(hessian)
    pos, neg = (ev > 1e-12).any(), (ev < -1e-12).any()
    if pos and neg:
        return "saddle"
    if (ev.abs() <= 1e-12).any():
        return "inconclusive"
    return "minimum" if pos else "maximum"


@case("classify_stationary_point", "relative tolerance 1e-9 * max|lambda|", W)
def csp_tol_relative(hessian):
    ev = torch.linalg.eigvalsh(hessian)
    tol = 1e-9 * ev.abs().max()
    pos, neg = (ev > tol).any(), (ev < -tol).any()
    if pos and neg:
        return "saddle"
    if (ev.abs() <= tol).any():
        return "inconclusive"
    return "minimum" if pos else "maximum"
