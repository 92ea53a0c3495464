"""Regularization: penalties on the weights, dropout, and early stopping."""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch
from torch import Tensor

__all__ = ["l1_penalty", "l2_penalty", "dropout", "EarlyStopping"]


def check_strength(lam: float) -> None:
    if not lam >= 0:
        raise ValueError(f"the penalty strength lam must be >= 0, got {lam!r}")


def l1_penalty(params: Iterable[Tensor], lam: float) -> Tensor:
    r"""L1 penalty :math:`\lambda \sum_j |w_j|`, to add to the loss.

    Its (sub)gradient λ·sign(w) has the same size for small and large weights,
    which is why it drives weights to exactly zero (sparsity).
    """
    check_strength(lam)
    return lam * sum(p.abs().sum() for p in params)


def l2_penalty(params: Iterable[Tensor], lam: float) -> Tensor:
    r"""L2 penalty :math:`\tfrac{\lambda}{2} \sum_j w_j^2`, to add to the loss.

    Its gradient is λw, so under plain SGD adding it equals weight decay λ:
    ``SGD(weight_decay=lam)``. Under Adam it does not (see ``AdamW``).
    """
    check_strength(lam)
    return lam / 2 * sum((p**2).sum() for p in params)


def dropout(input: Tensor, p: float = 0.5, training: bool = True,
            generator: torch.Generator | None = None) -> Tensor:
    r"""Inverted dropout: zero each element with probability p, scale the rest by 1/(1 − p).

    .. math:: y = \frac{\text{mask} \odot x}{1 - p},\qquad \text{mask}_j \sim \text{Bernoulli}(1 - p)

    The scaling keeps the expected value of every element unchanged, so at
    evaluation time (``training=False``) the input passes through untouched.
    Same arguments as ``torch.nn.functional.dropout``.
    Reference: Srivastava et al. (2014).
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    keep = torch.empty_like(input).bernoulli_(1 - p, generator=generator)  # 1 with prob. 1 − p
    return input * (keep / (1 - p))


class EarlyStopping:
    """Stop when the validation loss has not improved for ``patience`` checks.

    An improvement is a loss lower than the best so far by more than
    ``min_delta``. Call :meth:`step` after each evaluation; it returns True
    when training should stop. ``best_epoch`` is the (0-based) check with the
    lowest loss, whose parameters you would keep; in a history from
    ``descent.train.fit`` (whose epochs count from 1) that epoch is
    ``history["epoch"][best_epoch]``, that is ``best_epoch + 1``.
    With ``restore_best=True``, ``fit`` keeps a copy of the weights at every
    improvement and loads the best one at the end.

    >>> stopper = EarlyStopping(patience=2)
    >>> [stopper.step(loss) for loss in [1.0, 0.8, 0.9, 0.85]]
    [False, False, False, True]
    >>> stopper.best_epoch
    1
    """

    def __init__(self, patience: int, min_delta: float = 0.0, restore_best: bool = False) -> None:
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
            raise ValueError(f"patience must be a positive int, got {patience!r}")
        if not min_delta >= 0:
            raise ValueError(f"min_delta must be >= 0, got {min_delta!r}")
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best = bool(restore_best)
        self.best_loss = math.inf
        self.best_epoch = -1
        self.checks = 0

    @property
    def bad_checks(self) -> int:
        """How many checks since the last improvement."""
        return self.checks - 1 - self.best_epoch

    @property
    def improved(self) -> bool:
        """Whether the latest check set a new best: the time to keep a copy of the weights."""
        return self.checks > 0 and self.bad_checks == 0

    def step(self, loss: float) -> bool:
        loss = float(loss)
        if math.isnan(loss):
            raise ValueError("the validation loss is NaN: training has diverged")
        if loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch = loss, self.checks
        self.checks += 1
        return self.bad_checks >= self.patience
