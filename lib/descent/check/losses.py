"""Checks for the loss functions exercises (chapter: Loss functions)."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

from descent.check.feedback import Feedback, Forbidden
from descent.check.functions import Case, check_function, random_cases
from descent.check.mistakes import Mistake

__all__ = ["mse_loss", "cross_entropy"]


def mse_reference(input: Tensor, target: Tensor) -> Tensor:
    return ((input - target) ** 2).mean()


MSE_MISTAKES = [
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
    shape = (int(torch.randint(2, 9, (1,), generator=generator)), 3)
    x = torch.randn(shape, generator=generator, dtype=dtype).to(device)
    y = torch.randn(shape, generator=generator, dtype=dtype).to(device)
    return Case((x.requires_grad_(), y), label=f"shape {shape}")


def mse_loss(learner: Callable) -> Feedback:
    """Check ``mse_loss(input, target)``: the mean of (input − target)²."""
    return check_function(learner, name="mse_loss", reference=mse_reference,
                          cases=random_cases(mse_case), mistakes=MSE_MISTAKES,
                          equation="MSE = (1/n) Σᵢ (ŷᵢ − yᵢ)²", check_gradient=True)


def cross_entropy_reference(logits: Tensor, target: Tensor) -> Tensor:
    return torch.nn.functional.cross_entropy(logits, target)


def naive_cross_entropy(logits: Tensor, target: Tensor) -> Tensor:
    p = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)
    return -torch.log(p[torch.arange(len(target)), target]).mean()


def max_not_added_back(logits: Tensor, target: Tensor) -> Tensor:
    shifted = logits - logits.max(dim=1, keepdim=True).values
    log_sum_exp = shifted.exp().sum(dim=1).log()           # + m forgotten
    return (log_sum_exp - logits[torch.arange(len(target)), target]).mean()


CROSS_ENTROPY_MISTAKES = [
    Mistake("the max is not added back in log-sum-exp", "log Σⱼ e^{zⱼ} = m + log Σⱼ e^{zⱼ − m}: "
            "after subtracting m = maxⱼ zⱼ inside the exponentials, add it back outside the log.",
            max_not_added_back),
    Mistake("not numerically stable", "With large logits, exp(z) overflows to infinity. "
            "Subtract the largest logit of each row before exponentiating: "
            "log Σⱼ e^{zⱼ} = m + log Σⱼ e^{zⱼ − m}, m = maxⱼ zⱼ.", naive_cross_entropy),
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
    return check_function(learner, name="cross_entropy", reference=cross_entropy_reference,
                          cases=cases, mistakes=CROSS_ENTROPY_MISTAKES, check_gradient=True,
                          equation="ℓ = −zₖ + log Σⱼ e^{zⱼ}, averaged over the batch",
                          forbidden=CROSS_ENTROPY_FORBIDDEN)


# What the learner is writing: torch's own versions are off limits.
CROSS_ENTROPY_FORBIDDEN = Forbidden(functions=frozenset({"cross_entropy", "logsumexp",
                                                         "log_softmax", "nll_loss"}),
                                    modules=("descent.losses",))
