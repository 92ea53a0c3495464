"""Checks for the loss functions exercises (chapter: Loss functions)."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

from descent.check.feedback import (Feedback, Forbidden, LearnerError, call, devices, failed,
                                    one_thread, passed, seeded)
from descent.check.functions import Case, check_function, clone, random_cases
from descent.check.mistakes import Mistake

__all__ = ["mse_loss", "cross_entropy", "bce_with_logits", "huber_loss", "cross_entropy_gradient",
           "train_classifier_fixed"]


def mse_reference(input: Tensor, target: Tensor) -> Tensor:
    return ((input - target) ** 2).mean()


MSE_MISTAKES = [
    Mistake("divided by the number of rows, not the number of elements", "MSE averages over "
            "all n elements: `.mean()`, or divide by `input.numel()`, not by `len(input)`.",
            lambda input, target: ((input - target) ** 2).sum() / len(input)),
    Mistake("divided by the size of the last dimension, not the number of elements", "MSE "
            "averages over all n elements: `.mean()` or `/ input.numel()`.",
            lambda input, target: ((input - target) ** 2).sum() / input.shape[-1]),
    Mistake("an extra factor ½", "MSE is mean((ŷ − y)²); the ½ belongs to other conventions "
            "such as the article's J.", lambda input, target: 0.5 * ((input - target) ** 2).mean()),
    Mistake("divided by n − 1", "That is the unbiased variance's convention; MSE divides by n.",
            lambda input, target: ((input - target) ** 2).sum() / (input.numel() - 1)),
    Mistake("summed instead of averaged", "MSE is the mean over all elements: divide the sum "
            "of squared errors by their number (or use `.mean()`).",
            lambda input, target: ((input - target) ** 2).sum()),
    Mistake("absolute error instead of squared error", "That is the L1 loss (MAE); MSE squares "
            "the error: (ŷ − y)².", lambda input, target: (input - target).abs().mean()),
    Mistake("square root taken (that is RMSE)", "MSE has no square root: mean((ŷ − y)²).",
            lambda input, target: ((input - target) ** 2).mean().sqrt()),
    Mistake("squared the mean error instead of averaging the squared errors",
            "Square each error first, then average: mean((ŷ − y)²), not (mean(ŷ − y))².",
            lambda input, target: (input - target).mean() ** 2),
    Mistake("no reduction", "Return one number, the mean of the squared errors.",
            lambda input, target: (input - target) ** 2),
]


def mse_case(generator: torch.Generator, dtype: torch.dtype, device: str) -> Case:
    rows = int(torch.randint(2, 9, (1,), generator=generator))
    shape = [(rows, 3), (rows,), (rows, 4, 2)][int(torch.randint(0, 3, (1,), generator=generator))]
    x = torch.randn(shape, generator=generator, dtype=dtype).to(device)
    y = torch.randn(shape, generator=generator, dtype=dtype).to(device)
    return Case((x.requires_grad_(), y), label=f"shape {shape}")


def mse_loss(learner: Callable) -> Feedback:
    """Check ``mse_loss(input, target)``: the mean of (input − target)²."""
    return check_function(learner, name="mse_loss", reference=mse_reference,
                          cases=random_cases(mse_case), mistakes=MSE_MISTAKES,
                          equation="MSE = (1/n) Σᵢ (ŷᵢ − yᵢ)²", check_gradient=True,
                          forbidden=Forbidden(functions=frozenset({"mse_loss"}),
                                              modules=("descent.losses",)))


def cross_entropy_reference(logits: Tensor, target: Tensor) -> Tensor:
    return torch.nn.functional.cross_entropy(logits, target)


def naive_cross_entropy(logits: Tensor, target: Tensor) -> Tensor:
    p = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)
    return -torch.log(p[torch.arange(len(target)), target]).mean()


def max_not_added_back(logits: Tensor, target: Tensor) -> Tensor:
    shifted = logits - logits.max(dim=1, keepdim=True).values
    log_sum_exp = shifted.exp().sum(dim=1).log()           # + m forgotten
    return (log_sum_exp - logits[torch.arange(len(target)), target]).mean()


def global_max_subtracted(logits: Tensor, target: Tensor) -> Tensor:
    m = logits.max()                                        # one m for the whole batch
    log_sum_exp = m + (logits - m).exp().sum(dim=1).log()
    return (log_sum_exp - logits[torch.arange(len(target)), target]).mean()


def log_of_softmax(logits: Tensor, target: Tensor) -> Tensor:
    return -torch.log(torch.softmax(logits, dim=1))[torch.arange(len(target)), target].mean()


def target_column_block(logits: Tensor, target: Tensor) -> Tensor:
    log_sum_exp = torch.logsumexp(logits, dim=1, keepdim=True)
    return (log_sum_exp - logits[:, target]).mean()        # an N×N block, not N entries


STABILITY = ("With large logits, exp(z) overflows to infinity (or underflows to 0 inside a "
             "log). Subtract the largest logit of each row before exponentiating: "
             "log Σⱼ e^{zⱼ} = m + log Σⱼ e^{zⱼ − m}, m = maxⱼ zⱼ, and never take the log of a "
             "probability.")

def direct_log_sum_exp(logits: Tensor, target: Tensor) -> Tensor:
    log_sum_exp = torch.log(torch.exp(logits).sum(dim=1))  # e^{1000} = inf
    return (log_sum_exp - logits[torch.arange(len(target)), target]).mean()


CROSS_ENTROPY_MISTAKES = [
    Mistake("not numerically stable", STABILITY, direct_log_sum_exp),
    Mistake("one max for the whole batch instead of one per row", "Subtract each row's own "
            "largest logit, m = z.max(dim=1, keepdim=True).values; with the batch's max, the "
            "exponentials of a row with smaller logits underflow to 0.", global_max_subtracted),
    Mistake("not numerically stable", STABILITY, log_of_softmax),
    Mistake("logits[:, target] picks an N×N block", "Pick one logit per row: "
            "logits[torch.arange(N), target] (or logits.gather(1, target[:, None])).",
            target_column_block),
    Mistake("the max is not added back in log-sum-exp", "log Σⱼ e^{zⱼ} = m + log Σⱼ e^{zⱼ − m}: "
            "after subtracting m = maxⱼ zⱼ inside the exponentials, add it back outside the log.",
            max_not_added_back),
    Mistake("not numerically stable", STABILITY, naive_cross_entropy),
    Mistake("summed over the batch instead of averaged", "Return the mean over the N examples.",
            lambda z, k: torch.nn.functional.cross_entropy(z, k, reduction="sum")),
    Mistake("minus sign missing", "The loss is −log softmax(z)_k, which is ≥ 0.",
            lambda z, k: -torch.nn.functional.cross_entropy(z, k)),
    Mistake("softmax taken over the batch (dim 0) instead of the classes (dim 1)",
            "Normalize each row: log-sum-exp over dim=1.",
            lambda z, k: -(z - torch.logsumexp(z, dim=0, keepdim=True))[torch.arange(len(k)), k].mean()),
    Mistake("probability used instead of its logarithm", "Cross-entropy is −log p_k, not −p_k.",
            lambda z, k: -torch.softmax(z, dim=1)[torch.arange(len(k)), k].mean()),
]


def cross_entropy_case(scale: float) -> Callable[[torch.Generator, torch.dtype, str], Case]:
    def make(generator: torch.Generator, dtype: torch.dtype, device: str) -> Case:
        logits = scale * torch.randn(5, 4, generator=generator, dtype=dtype)
        target = torch.randint(0, 4, (5,), generator=generator)
        return Case((logits.to(device).requires_grad_(), target.to(device)),
                    label=f"logits of size about {scale:g}")
    return make


def cross_entropy(learner: Callable) -> Feedback:
    """Check ``cross_entropy(logits, target)``: mean of −log softmax(logits)[target], stably."""
    cases = random_cases(cross_entropy_case(1.0)) + random_cases(cross_entropy_case(1000.0))
    result = check_function(learner, name="cross_entropy", reference=cross_entropy_reference,
                            cases=cases, mistakes=CROSS_ENTROPY_MISTAKES, check_gradient=True,
                            equation="ℓ = −zₖ + log Σⱼ e^{zⱼ}, averaged over the batch",
                            forbidden=CROSS_ENTROPY_FORBIDDEN)
    if result.mistake == "not finite":  # right for small logits, inf or NaN for large ones
        return failed(f"cross_entropy: not numerically stable. {STABILITY}",
                      "not numerically stable")
    return result


# What the learner is writing: torch's own versions are off limits.
CROSS_ENTROPY_FORBIDDEN = Forbidden(functions=frozenset({"cross_entropy", "logsumexp",
                                                         "log_softmax", "nll_loss"}),
                                    modules=("descent.losses",))


# --- Binary cross-entropy with logits ------------------------------------------------------

F = torch.nn.functional


def bce_reference(logits: Tensor, target: Tensor) -> Tensor:
    return F.binary_cross_entropy_with_logits(logits, target)


def bce_terms(z: Tensor, y: Tensor, *, positive_part: Tensor | None = None, sign: float = -1.0,
              exponent: Tensor | None = None, log_term: bool = True) -> Tensor:
    """max(z, 0) − y·z + log(1 + e^{−|z|}), element-wise, with one part changed."""
    positive_part = z.clamp(min=0) if positive_part is None else positive_part
    exponent = -z.abs() if exponent is None else exponent
    return positive_part + sign * y * z + (torch.log1p(torch.exp(exponent)) if log_term else 0)


BCE_MISTAKES = [
    Mistake("summed instead of averaged", "Return the mean over all elements (`.mean()`).",
            lambda z, y: bce_terms(z, y).sum()),
    Mistake("divided by the number of rows instead of the number of elements", "The mean is "
            "over every element: divide by `z.numel()`, or use `.mean()`.",
            lambda z, y: bce_terms(z, y).sum() / z.shape[0]),
    Mistake("the sign of y·z is flipped", "ℓ = max(z, 0) − y·z + log(1 + e^{−|z|}): the "
            "target term enters with a minus sign.", lambda z, y: bce_terms(z, y, sign=1.0).mean()),
    Mistake("max(z, 0) is missing", "log(1 + e^{z}) = max(z, 0) + log(1 + e^{−|z|}): keep the "
            "max(z, 0) that was factored out.",
            lambda z, y: bce_terms(z, y, positive_part=torch.zeros_like(z)).mean()),
    Mistake("|z| where the formula has max(z, 0), or e^{−z} where it has e^{−|z|}",
            "Factor out e^{z} only when z > 0: log(1 + e^{z}) = max(z, 0) + log(1 + e^{−|z|}). "
            "(|z| + log(1 + e^{−|z|}) and max(z, 0) + log(1 + e^{−z}) both equal "
            "log(1 + e^{|z|}) for z < 0, which is wrong, and e^{−z} overflows for z ≪ 0.)",
            lambda z, y: bce_terms(z, y, positive_part=z.abs()).mean()),
    Mistake("e^{−z} where the formula has e^{−|z|}", "For z < 0 that is log(1 + e^{|z|}), "
            "which is neither right nor safe: use log(1 + e^{−|z|}).",
            lambda z, y: bce_terms(z, y, exponent=-z).mean()),
    Mistake("the log(1 + e^{−|z|}) term is missing", "ℓ = max(z, 0) − y·z + log(1 + e^{−|z|}); "
            "the last term matters most near z = 0 (it is log 2 there).",
            lambda z, y: bce_terms(z, y, log_term=False).mean()),
    Mistake("the 1 + inside the log is missing", "The last term is log(1 + e^{−|z|}) "
            "(`torch.log1p(torch.exp(-z.abs()))`), not log(e^{−|z|}) = −|z|.",
            lambda z, y: bce_terms(z, y, log_term=False).mean() - z.abs().mean()),
    Mistake("log(1 − σ(z)) written as log σ(z)", "The label-0 term is (1 − y)·log(1 − σ(z)), "
            "and log(1 − σ(z)) = log σ(−z): the sign of z flips.",
            lambda z, y: -(y * F.logsigmoid(z) + (1 - y) * F.logsigmoid(z)).mean()),
    Mistake("targets flipped (y and 1 − y swapped)", "The loss is −(y log σ(z) + (1 − y) "
            "log(1 − σ(z))): y goes with log σ(z), the probability of class 1.",
            lambda z, y: bce_terms(z, 1 - y).mean()),
    Mistake("the logits are used as probabilities (the sigmoid is missing)", "z is a logit, "
            "any real number: p = σ(z). Better, use the stable form in z directly.",
            lambda z, y: -(y * torch.log(z) + (1 - y) * torch.log(1 - z)).mean()),
]

BCE_EQUATION = "ℓ = max(z, 0) − y·z + log(1 + e^{−|z|}), averaged over all elements"
BCE_FORBIDDEN = Forbidden(functions=frozenset({"binary_cross_entropy_with_logits"}),
                          modules=("descent.losses",))


def bce_case(huge: bool) -> Callable[[torch.Generator, torch.dtype, str], Case]:
    def make(generator: torch.Generator, dtype: torch.dtype, device: str) -> Case:
        shape = [(7,), (4, 3), (5, 2)][int(torch.randint(0, 3, (1,), generator=generator))]
        logits = 3 * torch.randn(shape, generator=generator, dtype=dtype)
        target = torch.randint(0, 2, shape, generator=generator).to(dtype)
        if huge:  # the largest logits a confident network produces, with both labels
            flat = logits.view(-1)
            flat[0], flat[1], flat[2], flat[3] = 1000.0, -1000.0, 1000.0, -1000.0
            target.view(-1)[:4] = torch.tensor([0.0, 1.0, 1.0, 0.0], dtype=dtype)
        return Case((logits.to(device).requires_grad_(), target.to(device)),
                    label=f"shape {shape}" + (", logits of ±1000" if huge else ""))
    return make


def bce_with_logits(learner: Callable) -> Feedback:
    """Check ``bce_with_logits(logits, target)``: the mean binary cross-entropy on logits,
    stable for logits of ±1000 (values and gradients against PyTorch's)."""
    name = "bce_with_logits"
    options = dict(name=name, reference=bce_reference, mistakes=BCE_MISTAKES,
                   equation=BCE_EQUATION, check_gradient=True, forbidden=BCE_FORBIDDEN)
    ordinary = random_cases(bce_case(huge=False))
    result = check_function(learner, cases=ordinary, **options)
    if result.mistake in {"unrecognized", "float32 precision"} and \
            roughly_right(name, learner, ordinary):
        return failed(f"{name}: not numerically stable. It is close to the right value but "
                      "not within rounding: going through σ(z) loses digits (1 − σ(z) cancels "
                      "for z > 0, and an ε added inside a log shifts it). Use the form in z "
                      "directly: ℓ = max(z, 0) − y·z + log(1 + e^{−|z|}).",
                      "not numerically stable")
    if not result.passed:
        return result
    huge = random_cases(bce_case(huge=True))  # right so far: only stability can fail here
    result = check_function(learner, cases=huge, **{**options, "mistakes": ()})
    if result.passed:
        return passed(f"{name} matches PyTorch's binary_cross_entropy_with_logits, values and "
                      f"gradients, on all {len(ordinary) + len(huge)} test cases, logits of "
                      "±1000 included.")
    if result.mistake in {"unrecognized", "not finite", "float32 precision"}:
        return failed(f"{name}: not numerically stable. It is right for ordinary logits but "
                      "wrong for logits of ±1000: log(1 + e^{z}) overflows (e^{1000} = inf), "
                      "and σ(z) rounds to exactly 0 or 1, so log σ(z) or log(1 − σ(z)) is "
                      "log 0. Never exponentiate a positive number: "
                      "ℓ = max(z, 0) − y·z + log(1 + e^{−|z|}).", "not numerically stable")
    if result.mistake == "wrong gradient":
        return failed(f"{name}: not numerically stable. The value is right, but the gradient "
                      "is wrong (NaN) for logits of ±1000. `torch.where` evaluates both "
                      "branches, and the gradient of the branch not taken (through e^{1000} = "
                      "inf) is NaN. Use one formula that never exponentiates a positive number: "
                      "ℓ = max(z, 0) − y·z + log(1 + e^{−|z|}).", "not numerically stable")
    return result


def roughly_right(name: str, learner: Callable, cases: list[Case]) -> bool:
    """Is the learner's loss within 10⁻⁴ (relative) of the reference on every case?"""
    for case in cases:
        try:
            got = call(name, learner, *clone(case.args))
        except LearnerError:
            return False
        expected = bce_reference(*case.args)
        if not isinstance(got, Tensor) or got.shape != expected.shape or \
                not torch.allclose(got.detach().double(), expected.detach().double(), rtol=1e-4):
            return False
    return True


# --- Huber loss ----------------------------------------------------------------------------

def huber_reference(input: Tensor, target: Tensor, delta: float) -> Tensor:
    return F.huber_loss(input, target, delta=delta)


def huber_variant(*, half: float = 0.5, linear_scale: float | None = None, offset: float = 0.5,
                  swapped: bool = False, signed_condition: bool = False,
                  signed_error: bool = False) -> Callable[[Tensor, Tensor, float], Tensor]:
    """The Huber loss with one part of the formula changed (``linear_scale`` None: δ)."""
    def wrong(input: Tensor, target: Tensor, delta: float) -> Tensor:
        e = input - target
        size = e if signed_error else e.abs()
        small = (e if signed_condition or signed_error else e.abs()) < delta
        scale = delta if linear_scale is None else linear_scale
        quadratic, linear = half * e**2, scale * (size - offset * delta)
        return torch.where(small, linear, quadratic).mean() if swapped else \
            torch.where(small, quadratic, linear).mean()
    return wrong


HUBER_MISTAKES = [
    Mistake("the ½ is missing in the quadratic part", "Near the target ℓ = ½e², so that the "
            "two pieces meet at |e| = δ with the same slope.", huber_variant(half=1.0)),
    Mistake("the branches are swapped", "Quadratic for small errors (|e| < δ), linear for "
            "large ones.", huber_variant(swapped=True)),
    Mistake("δ does not scale the linear part", "The linear piece is δ·(|e| − ½δ): its slope "
            "is δ, the slope of ½e² at |e| = δ.", huber_variant(linear_scale=1.0)),
    Mistake("this is the smooth L1 loss (the Huber loss divided by δ)", "PyTorch's "
            "smooth_l1_loss with β = δ is Huber/δ: ½e²/δ and |e| − ½δ. Huber is ½e² and "
            "δ·(|e| − ½δ).", lambda x, y, delta: F.smooth_l1_loss(x, y, beta=delta)),
    Mistake("δ is ignored (δ = 1 is used)", "Use the `delta` argument in both the condition and "
            "the linear part.", lambda x, y, delta: F.huber_loss(x, y, delta=1.0)),
    Mistake("the linear part is not shifted by −½δ²", "δ·(|e| − ½δ) = δ|e| − ½δ², which makes "
            "the two pieces meet at |e| = δ.", huber_variant(offset=0.0)),
    Mistake("δ² instead of ½δ² in the linear part", "The linear piece is δ·(|e| − ½δ) = "
            "δ|e| − ½δ².", huber_variant(offset=1.0)),
    Mistake("+½δ instead of −½δ in the linear part", "The linear piece is δ·(|e| − ½δ): "
            "it meets ½e² at |e| = δ, where both are ½δ².", huber_variant(offset=-0.5)),
    Mistake("½δ instead of ½δ² in the linear part", "δ·(|e| − ½δ) = δ|e| − ½δ²: the offset "
            "is squared.", lambda x, y, delta: torch.where(
                (x - y).abs() < delta, 0.5 * (x - y) ** 2,
                delta * (x - y).abs() - 0.5 * delta).mean()),
    Mistake("the absolute value of the error is missing", "Both the test |e| < δ and the linear "
            "piece δ·(|e| − ½δ) use the size of the error: negative errors count as much as "
            "positive ones.", huber_variant(signed_condition=True)),
    Mistake("the absolute value of the error is missing", "Both the test |e| < δ and the linear "
            "piece δ·(|e| − ½δ) use the size of the error: negative errors count as much as "
            "positive ones.", huber_variant(signed_error=True)),
    Mistake("the linear part is missing (½e² everywhere)", "Beyond |e| = δ the loss grows "
            "linearly: δ·(|e| − ½δ).", lambda x, y, delta: (0.5 * (x - y) ** 2).mean()),
    Mistake("this is the mean squared error", "Huber is ½e² only for |e| < δ, and linear "
            "beyond: δ·(|e| − ½δ).", lambda x, y, delta: F.mse_loss(x, y)),
    Mistake("this is the L1 loss (mean absolute error)", "Huber is quadratic near the target, "
            "½e² for |e| < δ, and δ·(|e| − ½δ) beyond.", lambda x, y, delta: F.l1_loss(x, y)),
    Mistake("summed instead of averaged", "Return the mean over all elements.",
            lambda x, y, delta: F.huber_loss(x, y, delta=delta, reduction="sum")),
]


def huber_case(generator: torch.Generator, dtype: torch.dtype, device: str) -> Case:
    shape = (int(torch.randint(4, 9, (1,), generator=generator)), 3)
    x = 2 * torch.randn(shape, generator=generator, dtype=dtype)
    y = torch.randn(shape, generator=generator, dtype=dtype)
    delta = round(0.5 + 2 * float(torch.rand((), generator=generator)), 2)  # never 1
    delta = delta + 0.25 if abs(delta - 1) < 0.1 else delta
    return Case((x.to(device).requires_grad_(), y.to(device), delta),
                label=f"shape {shape}, δ = {delta:g}")


def huber_loss(learner: Callable) -> Feedback:
    """Check ``huber_loss(input, target, delta)``: the mean Huber loss, as F.huber_loss."""
    return check_function(learner, name="huber_loss", reference=huber_reference,
                          cases=random_cases(huber_case), mistakes=HUBER_MISTAKES,
                          equation="ℓ = ½e² if |e| < δ, else δ·(|e| − ½δ); e = ŷ − y; mean",
                          check_gradient=True,
                          forbidden=Forbidden(functions=frozenset({"huber_loss"}),
                                              modules=("descent.losses",)))


# --- The gradient of the cross-entropy (derive) --------------------------------------------

def cross_entropy_gradient_reference(logits: Tensor, target: Tensor) -> Tensor:
    z = logits.detach().clone().requires_grad_()
    (gradient,) = torch.autograd.grad(F.cross_entropy(z, target), z)
    return gradient


def one_hot(logits: Tensor, target: Tensor) -> Tensor:
    return F.one_hot(target, logits.shape[1]).to(logits.dtype)


CROSS_ENTROPY_GRADIENT_MISTAKES = [
    Mistake("not divided by N", "J is the mean over the N examples, so each row of the "
            "gradient is divided by N: (softmax(z) − y)/N.",
            lambda z, k: torch.softmax(z, dim=1) - one_hot(z, k)),
    Mistake("sign flipped (one-hot − softmax)", "∂ℓ/∂z_c = p_c − y_c: the right class's logit "
            "gets p_k − 1 < 0, so gradient descent raises it.",
            lambda z, k: (one_hot(z, k) - torch.softmax(z, dim=1)) / len(k)),
    Mistake("the softmax is missing (z − one-hot)", "Differentiate log Σⱼ e^{zⱼ}: its "
            "derivative with respect to z_c is e^{z_c}/Σⱼ e^{zⱼ} = softmax(z)_c, not z_c.",
            lambda z, k: (z - one_hot(z, k)) / len(k)),
    Mistake("the log-softmax instead of the softmax", "The derivative of log Σⱼ e^{zⱼ} is the "
            "softmax itself, p = softmax(z), not its logarithm.",
            lambda z, k: (torch.log_softmax(z, dim=1) - one_hot(z, k)) / len(k)),
    Mistake("the one-hot target is missing", "Differentiate −z_k too: it contributes −1 to the "
            "right class's entry, so the gradient is p − y.",
            lambda z, k: torch.softmax(z, dim=1) / len(k)),
    Mistake("only the right class's logit gets a gradient", "Every logit appears in "
            "log Σⱼ e^{zⱼ}: the other classes get p_c, the right one p_k − 1.",
            lambda z, k: one_hot(z, k) * (torch.softmax(z, dim=1) - 1) / len(k)),
    Mistake("the sigmoid instead of the softmax", "With C classes the probabilities come from "
            "the softmax over each row; σ(z) − y is the two-class formula.",
            lambda z, k: (torch.sigmoid(z) - one_hot(z, k)) / len(k)),
    Mistake("the softmax is taken over the batch (dim 0)", "Normalize each example's row: "
            "softmax over the classes, dim=1.",
            lambda z, k: (torch.softmax(z, dim=0) - one_hot(z, k)) / len(k)),
    Mistake("the class index is subtracted instead of a one-hot vector", "y is one-hot: 1 in "
            "the column of the right class, 0 elsewhere (`F.one_hot(target, C)`), not the "
            "number k.", lambda z, k: (torch.softmax(z, dim=1) - k[:, None].to(z.dtype)) / len(k)),
    Mistake("divided by N·C instead of N", "J averages over the N examples, not over the N·C "
            "logits: divide by N.", lambda z, k: (torch.softmax(z, dim=1) - one_hot(z, k)) / z.numel()),
    Mistake("divided by C instead of N", "J averages over the N examples (rows), not over the "
            "C classes: divide by N = len(target).",
            lambda z, k: (torch.softmax(z, dim=1) - one_hot(z, k)) / z.shape[1]),
]


def cross_entropy_gradient_case(generator: torch.Generator, dtype: torch.dtype,
                                device: str) -> Case:
    n, c = [(6, 4), (3, 5), (8, 3)][int(torch.randint(0, 3, (1,), generator=generator))]
    logits = 2 * torch.randn(n, c, generator=generator, dtype=dtype)
    target = torch.randint(0, c - 1, (n,), generator=generator)  # the last class never appears
    return Case((logits.to(device), target.to(device)), label=f"N = {n}, C = {c}")


def cross_entropy_gradient(learner: Callable) -> Feedback:
    """Check ``cross_entropy_gradient(logits, target)``: ∇_z of the mean cross-entropy,
    (softmax(z) − onehot(k)) / N, written as a formula (autograd is not allowed)."""
    return check_function(learner, name="cross_entropy_gradient",
                          reference=cross_entropy_gradient_reference,
                          cases=random_cases(cross_entropy_gradient_case),
                          mistakes=CROSS_ENTROPY_GRADIENT_MISTAKES,
                          equation="∂J/∂z_{ic} = (softmax(z_i)_c − [c = k_i]) / N",
                          forbidden=Forbidden(functions=frozenset({"grad", "backward"}),
                                              modules=("torch.autograd", "torch.func")))


# --- Debug: softmax applied before the cross-entropy ---------------------------------------

def make_classifier(seed: int, n_inputs: int, n_classes: int, dtype: torch.dtype,
                    device: str) -> torch.nn.Module:
    """A small network that outputs logits, initialized from ``seed`` (the caller's random
    state is left alone)."""
    with seeded(seed):
        model = torch.nn.Sequential(torch.nn.Linear(n_inputs, 8), torch.nn.ReLU(),
                                    torch.nn.Linear(8, n_classes))
    return model.to(dtype=dtype, device=device)


def classification_data(seed: int, dtype: torch.dtype, device: str) -> tuple[Tensor, Tensor]:
    """Four Gaussian clouds in 5 dimensions, 15 points each."""
    generator = torch.Generator().manual_seed(seed)
    y = torch.arange(60) % 4
    centres = 2 * torch.randn(4, 5, generator=generator, dtype=dtype)
    x = centres[y] + torch.randn(60, 5, generator=generator, dtype=dtype)
    return x.to(device), y.to(device)


def training_loop(loss_of: Callable[[Tensor, Tensor], Tensor], *, zero_grad: bool = True,
                  epoch_change: int = 0, update: bool = True) -> Callable:
    """Full-batch gradient descent on ``loss_of(logits, y)``: the given loop and its variants."""
    def train(model: torch.nn.Module, x: Tensor, y: Tensor, lr: float, epochs: int) -> list[float]:
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)
        losses = []
        for _ in range(epochs + epoch_change):
            loss = loss_of(model(x), y)
            if zero_grad:
                optimizer.zero_grad()
            loss.backward()
            if update:
                optimizer.step()
            losses.append(loss.item())
        return losses
    return train


def trained_parameters(train: Callable) -> Callable:
    """Run ``train(model, x, y, lr, epochs)`` on a fresh classifier; return its parameters."""
    def run(x: Tensor, y: Tensor, lr: float, epochs: int, seed: int) -> tuple[Tensor, ...]:
        model = make_classifier(seed, x.shape[1], int(y.max()) + 1, x.dtype, x.device.type)
        train(model, x, y, lr, epochs)
        return tuple(p.detach() for p in model.parameters())
    return run


def onehot_like(z: Tensor, y: Tensor) -> Tensor:
    return F.one_hot(y, z.shape[1]).to(z.dtype)


TRAINING_MISTAKES = [
    Mistake("softmax applied before cross_entropy", "`F.cross_entropy` expects logits and "
            "applies the softmax itself; on probabilities the softmax is applied twice, so the "
            "loss cannot get near 0 and its gradients shrink. Pass the logits: "
            "`F.cross_entropy(model(x), y)`.",
            trained_parameters(training_loop(lambda z, y: F.cross_entropy(z.softmax(dim=1), y)))),
    Mistake("softmax applied before cross_entropy", "`F.cross_entropy` expects logits and "
            "applies the softmax itself, over the classes; pass the logits unchanged: "
            "`F.cross_entropy(model(x), y)`.",
            trained_parameters(training_loop(lambda z, y: F.cross_entropy(z.softmax(dim=0), y)))),
    Mistake("MSE on the logits", "The mean squared error between logits and one-hot targets is "
            "not a classification loss; use `F.cross_entropy(logits, y)`.",
            trained_parameters(training_loop(lambda z, y: F.mse_loss(z, onehot_like(z, y))))),
    Mistake("MSE on the probabilities", "Squared error on softmax probabilities has gradients "
            "that vanish when the model is confidently wrong; use `F.cross_entropy(logits, y)`.",
            trained_parameters(training_loop(
                lambda z, y: F.mse_loss(z.softmax(dim=1), onehot_like(z, y))))),
    Mistake("NLL loss on raw logits", "`F.nll_loss` expects log-probabilities: it only picks "
            "−input[k], so on raw logits the loss is −z_k, which has no minimum. Use "
            "`F.cross_entropy(logits, y)` (= nll_loss(log_softmax(logits), y)).",
            trained_parameters(training_loop(lambda z, y: F.nll_loss(z, y)))),
    Mistake("NLL loss on probabilities (the log is missing)", "`F.nll_loss` expects "
            "log-probabilities; on probabilities it computes −p_k, not −log p_k. Use "
            "`F.cross_entropy(logits, y)`.",
            trained_parameters(training_loop(lambda z, y: F.nll_loss(z.softmax(dim=1), y)))),
    Mistake("sigmoid applied before cross_entropy", "`F.cross_entropy` expects logits; pass "
            "`model(x)` unchanged.",
            trained_parameters(training_loop(lambda z, y: F.cross_entropy(torch.sigmoid(z), y)))),
    Mistake("binary cross-entropy on one-hot targets", "With one class per example, the loss "
            "is the softmax cross-entropy: `F.cross_entropy(logits, y)`.",
            trained_parameters(training_loop(
                lambda z, y: F.binary_cross_entropy_with_logits(z, onehot_like(z, y))))),
    Mistake("loss summed instead of averaged", "Keep the mean over the examples (the default "
            "`reduction='mean'`); with the sum the step is N times larger.",
            trained_parameters(training_loop(
                lambda z, y: F.cross_entropy(z, y, reduction="sum")))),
    Mistake("zero_grad missing: gradients accumulate", "PyTorch adds each backward()'s "
            "gradients to `.grad`; call `optimizer.zero_grad()` before `loss.backward()`.",
            trained_parameters(training_loop(F.cross_entropy, zero_grad=False))),
    Mistake("the parameters are never updated", "Call `optimizer.step()` after "
            "`loss.backward()`, in every epoch.",
            trained_parameters(training_loop(F.cross_entropy, update=False))),
    Mistake("one epoch too few", "Loop `for epoch in range(epochs)`.",
            trained_parameters(training_loop(F.cross_entropy, epoch_change=-1))),
    Mistake("one epoch too many", "Loop `for epoch in range(epochs)`.",
            trained_parameters(training_loop(F.cross_entropy, epoch_change=1))),
]


def training_case(seed: int, device: str) -> Case:
    x, y = classification_data(seed, torch.float64, device)
    return Case((x, y, 0.5, 20, seed), label=f"four classes, 20 epochs, seed {seed}, {device}")


def train_classifier_fixed(learner: Callable) -> Feedback:
    """Check ``train_classifier_fixed(model, x, y, lr, epochs)``: the given loop with the loss
    fixed (cross-entropy on the logits), run beside the correct loop from the same start."""
    name = "train_classifier_fixed"
    cases = [training_case(seed, device) for device in devices() for seed in (0, 1)]
    reference = trained_parameters(training_loop(F.cross_entropy))
    with one_thread():
        reference(*cases[0].args)  # torch's one-time set-up is not charged to the learner
        result = check_function(trained_parameters(learner), name=name, reference=reference,
                                cases=cases, mistakes=TRAINING_MISTAKES,
                                equation="loss = F.cross_entropy(model(x), y), then "
                                         "zero_grad, backward, step")
    if result.passed:
        return passed(f"{name} trains exactly like the correct loop (cross-entropy on the "
                      f"logits) on {'both' if len(cases) == 2 else f'all {len(cases)}'} test runs.")
    return result
