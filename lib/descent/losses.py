"""Loss functions, named and called like ``torch.nn.functional``.

Each takes the prediction ``input`` (ŷ) and the ``target`` (y), computes the
per-example loss ℓ(ŷ, y) and reduces it with ``reduction``:
``"mean"`` (the default), ``"sum"`` or ``"none"`` (no reduction).

Unlike PyTorch, which broadcasts mismatched shapes with only a warning,
every function here raises ``ValueError`` when ``input`` and ``target`` do not
have the shapes it expects.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = [
    "mse_loss", "l1_loss", "huber_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "cross_entropy", "logsumexp", "log_softmax",
]

REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def reduce(loss: Tensor, reduction: str) -> Tensor:
    """Average, sum or keep the per-example losses."""
    check_reduction(reduction)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def check_pair(input: Tensor, target: Tensor, *, same_shape: bool = True) -> None:
    """Raise a clear error unless ``input`` and ``target`` are comparable tensors."""
    for name, value in (("input", input), ("target", target)):
        if not isinstance(value, Tensor):
            raise TypeError(f"{name} must be a Tensor, got {type(value).__name__}")
    if input.device != target.device:
        raise ValueError(f"input is on {input.device} but target is on {target.device}")
    if same_shape and input.shape != target.shape:
        raise ValueError(f"input has shape {tuple(input.shape)} but target has shape "
                         f"{tuple(target.shape)}; they must be equal (no broadcasting)")
    if not input.is_floating_point():
        raise ValueError(f"input must be a floating-point tensor, got {input.dtype}")
    if same_shape and target.dtype != input.dtype:
        raise ValueError(f"input has dtype {input.dtype} but target has dtype {target.dtype}")


def mse_loss(input: Tensor, target: Tensor, *, reduction: str = "mean") -> Tensor:
    r"""Mean squared error: :math:`\ell(\hat y, y) = (\hat y - y)^2`."""
    check_reduction(reduction)
    check_pair(input, target)
    return reduce((input - target) ** 2, reduction)


def l1_loss(input: Tensor, target: Tensor, *, reduction: str = "mean") -> Tensor:
    r"""Mean absolute error: :math:`\ell(\hat y, y) = |\hat y - y|`."""
    check_reduction(reduction)
    check_pair(input, target)
    return reduce((input - target).abs(), reduction)


def huber_loss(input: Tensor, target: Tensor, *, reduction: str = "mean",
               delta: float = 1.0) -> Tensor:
    r"""Huber loss: quadratic near the target, linear far from it.

    .. math::

        \ell(\hat y, y) = \begin{cases}
            \tfrac12 (\hat y - y)^2 & |\hat y - y| < \delta \\
            \delta\,(|\hat y - y| - \tfrac12 \delta) & \text{otherwise}
        \end{cases}

    Its gradient is the error clipped to [−δ, δ]. Reference: Huber (1964).
    """
    check_reduction(reduction)
    check_pair(input, target)
    if not delta > 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    error = (input - target).abs()
    loss = torch.where(error < delta, 0.5 * error**2, delta * (error - 0.5 * delta))
    return reduce(loss, reduction)


class ClampedBinaryCrossEntropy(torch.autograd.Function):
    """Element-wise −(y log p + (1 − y) log(1 − p)), each log clamped at −100, with
    PyTorch's gradient (p − y) / max(p(1 − p), 10⁻¹²).

    Autograd through the clamped logs would give 0 · ∞ = NaN at p = 0 or 1,
    so the gradient is written out: d ℓ / d p = (p − y) / (p (1 − p)).
    """

    @staticmethod
    def forward(ctx, p: Tensor, y: Tensor) -> Tensor:
        ctx.save_for_backward(p, y)
        log_p = torch.log(p).clamp(min=-100)
        log_1_minus_p = torch.log(1 - p).clamp(min=-100)
        return -(y * log_p + (1 - y) * log_1_minus_p)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> tuple[Tensor, None]:
        p, y = ctx.saved_tensors
        return grad_output * (p - y) / (p * (1 - p)).clamp(min=1e-12), None


def binary_cross_entropy(input: Tensor, target: Tensor, *, reduction: str = "mean") -> Tensor:
    r"""Binary cross-entropy between probabilities ``input`` = p and targets y in [0, 1].

    .. math:: \ell(p, y) = -\big(y \log p + (1 - y) \log(1 - p)\big),
              \qquad \frac{\partial \ell}{\partial p} = \frac{p - y}{p(1 - p)}

    Each log is clamped at −100, as in PyTorch, so p = 0 or 1 gives a large
    finite loss instead of infinity (and a finite gradient, see
    :class:`ClampedBinaryCrossEntropy`). Prefer
    :func:`binary_cross_entropy_with_logits`, which never forms p.
    """
    check_reduction(reduction)
    check_pair(input, target)
    if ((input < 0) | (input > 1)).any():
        raise ValueError("binary_cross_entropy: all elements of input should be between 0 and 1 "
                         "(pass probabilities, or use binary_cross_entropy_with_logits on logits)")
    return reduce(ClampedBinaryCrossEntropy.apply(input, target), reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, *,
                                     reduction: str = "mean") -> Tensor:
    r"""Binary cross-entropy on a logit z (p = σ(z)), computed stably.

    Substituting p = σ(z) = 1/(1 + e^{−z}) into the binary cross-entropy gives
    ℓ = log(1 + e^{z}) − y z, which overflows for large z. The same value,
    rearranged so that no exponential of a positive number is ever taken:

    .. math:: \ell(z, y) = \max(z, 0) - y z + \log\!\big(1 + e^{-|z|}\big)

    Its gradient is σ(z) − y. At z = 0 autograd takes one-sided slopes of the
    kinks of max(z, 0) and |z|; they add up to σ(0) = ½ only if both are taken
    on the same side, so |z| is written as 2 max(z, 0) − z.
    """
    check_reduction(reduction)
    check_pair(input, target)
    z = input
    positive_part = z.clamp(min=0)      # max(z, 0)
    abs_z = 2 * positive_part - z       # |z|
    loss = positive_part - target * z + torch.log1p(torch.exp(-abs_z))
    return reduce(loss, reduction)


def logsumexp(input: Tensor, dim: int = -1) -> Tensor:
    r"""log Σ_j e^{z_j}, computed stably by factoring out the largest z.

    .. math:: \log \sum_j e^{z_j} = m + \log \sum_j e^{z_j - m},\qquad m = \max_j z_j

    Every exponent z_j − m is ≤ 0, so nothing overflows.
    """
    m = input.amax(dim=dim, keepdim=True).detach()
    m = torch.where(torch.isfinite(m), m, torch.zeros_like(m))  # all −inf: leave as is
    return (m + torch.log(torch.exp(input - m).sum(dim=dim, keepdim=True))).squeeze(dim)


def log_softmax(input: Tensor, dim: int = -1) -> Tensor:
    r"""log softmax(z)_k = z_k − log Σ_j e^{z_j}, stable via :func:`logsumexp`."""
    return input - logsumexp(input, dim=dim).unsqueeze(dim)


def cross_entropy(input: Tensor, target: Tensor, *, reduction: str = "mean") -> Tensor:
    r"""Cross-entropy between logits ``input`` (N, C) and the targets.

    ``target`` is either class indices (N,) with values in [0, C), or class
    probabilities (N, C). With z the logits of one example and k its class:

    .. math:: \ell(z, k) = -\log \operatorname{softmax}(z)_k = \log \sum_j e^{z_j} - z_k

    and with probabilities q, ℓ = −Σ_k q_k log softmax(z)_k. The log-softmax
    is computed stably (:func:`log_softmax`), so logits of ±10⁴ are fine.
    """
    check_reduction(reduction)
    soft_targets = isinstance(target, Tensor) and target.is_floating_point()
    check_pair(input, target, same_shape=soft_targets)
    if input.dim() != 2:
        raise ValueError(f"cross_entropy expects logits of shape (N, C), got {tuple(input.shape)}")
    log_probabilities = log_softmax(input, dim=1)
    if soft_targets:
        loss = -(target * log_probabilities).sum(dim=1)
    else:
        if target.dtype != torch.long or target.shape != input.shape[:1]:
            raise ValueError(f"class-index targets must be a long tensor of shape ({input.shape[0]},), "
                             f"got {target.dtype} of shape {tuple(target.shape)}")
        if target.numel() and (target.min() < 0 or target.max() >= input.shape[1]):
            raise ValueError(f"class indices must be in [0, {input.shape[1]}), "
                             f"got values from {target.min().item()} to {target.max().item()}")
        loss = -log_probabilities.gather(1, target.unsqueeze(1)).squeeze(1)
    return reduce(loss, reduction)
