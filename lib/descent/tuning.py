r"""The learning-rate range test: one short run that sweeps α upwards to find where training works.

Smith (2017, {cite}`smith2017cyclical`) trains for a few hundred steps while
the learning rate grows geometrically from a tiny α_min to a huge α_max,

.. math:: \alpha_i = \alpha_{\min} \left(\frac{\alpha_{\max}}{\alpha_{\min}}\right)^{i/(n-1)},
   \qquad i = 0, \dots, n - 1,

one training step at each rate, and records the loss. At first α is too small
and the loss barely moves; then it falls; then α is too large and it blows up.
The test stops after a loss that is NaN or larger than ``stop_factor`` (4) times
the best loss so far: past that point the run has diverged and the rest of the
curve says nothing.

The raw curve is noisy (each point is one mini-batch), so it is read after an
exponential smoothing with bias correction, as fastai's ``lr_find`` does
(β = 0.98):

.. math:: s_i = \beta s_{i-1} + (1 - \beta)\,\ell_i, \quad s_{-1} = 0, \qquad
   \bar\ell_i = \frac{s_i}{1 - \beta^{i+1}}.

**Reading it.** Two rates are usual: :attr:`RangeTest.minimum_lr`, the α at the
smallest smoothed loss, divided by about 10 (the rule of thumb), and
:meth:`RangeTest.suggestion`, the α where the smoothed loss falls fastest
against log α, past the first tenth of the curve (where the smoothed values still
average only a few losses). Both are starting points for a real run, not answers:

- the curve is noisy, and its shape depends on the batch size and on the number
  of steps (fewer, larger jumps in α give the loss less time to respond);
- the loss at step i reflects all the training before it, so it responds late:
  by the time the loss is at its minimum, α is already close to diverging, which
  is why the minimum itself is too high and one divides it by 10;
- the smoothing lags too (β = 0.98 averages about 50 steps), pushing the
  smoothed minimum to still larger rates on a short test;
- it tests the *start* of training only: the best rate for the whole run, with a
  schedule, warm-up or another batch size, can differ.

:func:`range_test` is the method itself, for any ``train_step(α) -> loss``;
:func:`lr_range_test` runs it on a model with an optimizer and mini-batches,
and puts the model and the optimizer back as they were.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import torch
from torch import Tensor

__all__ = ["RangeTest", "range_test", "lr_range_test", "smooth"]

Loss = Callable[[Tensor, Tensor], Tensor]


def smooth(losses: list[float], beta: float = 0.98) -> list[float]:
    """Exponential smoothing with bias correction (fastai's ``lr_find``).

    s_i = β s_{i−1} + (1 − β) ℓ_i from s_{−1} = 0, and the result s_i / (1 − β^{i+1}): a
    weighted mean of ℓ_0 … ℓ_i with weights β^{i−j}, so the first point is ℓ_0 itself.

    >>> smooth([1.0, 3.0], beta=0.5)      # [1, (0.5·0.5 + 0.5·3) / 0.75]
    [1.0, 2.3333333333333335]
    """
    average, smoothed = 0.0, []
    for i, loss in enumerate(losses):
        average = beta * average + (1 - beta) * loss
        smoothed.append(average / (1 - beta ** (i + 1)))
    return smoothed


@dataclass
class RangeTest:
    """The result of a range test: the rates tried, the loss at each, and the smoothed loss."""

    lrs: list[float]
    losses: list[float]
    beta: float = 0.98
    smoothed: list[float] = field(init=False)

    def __post_init__(self) -> None:
        self.smoothed = smooth(self.losses, self.beta)

    def minimum_index(self) -> int:
        finite = [i for i, s in enumerate(self.smoothed) if math.isfinite(s)]
        if not finite:
            raise ValueError("the range test has no finite loss; lower lr_min")
        return min(finite, key=lambda i: self.smoothed[i])

    @property
    def minimum_lr(self) -> float:
        """The α at the smallest smoothed loss. Too high to train with: divide it by about 10."""
        return self.lrs[self.minimum_index()]

    def suggestion(self, skip_start: float = 0.1) -> float:
        r"""The α where the smoothed loss falls fastest against log α, past its start.

        **The start is skipped.** The first ``k = ⌈skip_start · n⌉`` of the n points
        recorded are not read: the smoothed value at point i is a weighted mean of only the
        i + 1 losses so far (the first is the raw loss of one mini-batch, the second nearly
        the mean of two), so at the start the "smoothed" curve is as noisy as the raw one, and
        a chance difference between two batches there can look like the steepest descent of
        the whole curve, returning a rate near ``lr_min``. With the default 0.1, past the
        first 20 points of a 200-step test every value averages 20 losses or more (with
        nearly equal weights when β = 0.98): its noise is at most about 1/√20 ≈ 1/4.5 of
        one batch's.
        fastai's ``lr_find`` skips the first tenth of its steps for the same reason.
        ``skip_start=0`` reads the whole curve; on very noisy batches (10 % of the loss or
        more) a reading just past the skipped start is still suspect: skip more.

        **The slope.** Over each segment i → i + 1 with k ≤ i < m, where m is the index of
        the smoothed minimum, the slope is (ℓ̄_{i+1} − ℓ̄_i) / (ln α_{i+1} − ln α_i); the
        result is α_i at the start of the most negative one (the forward-difference
        derivative at α_i; the first on a tie).

        A curve that falls from its very first steps, because the loss starts far above its
        level at chance (log C for C classes: a confidently wrong network), has its steepest
        descent in that fall, at a small α; check the initial loss first.

        Raises ``ValueError`` when ``skip_start`` is not in [0, 1), or when no segment is
        left: the smoothed loss never falls below its first value, or reaches its minimum
        within the skipped start (lower ``lr_min``, or take more steps).
        """
        if not 0 <= skip_start < 1:
            raise ValueError(f"skip_start must be in [0, 1), got {skip_start}")
        end = self.minimum_index()
        if end == 0:
            raise ValueError("the smoothed loss never falls below its first value: "
                             "lower lr_min or take more steps")
        start = math.ceil(skip_start * len(self.lrs))
        if end <= start:
            raise ValueError(f"the smoothed loss reaches its minimum at point {end} of "
                             f"{len(self.lrs)}, before any segment past the {start} points "
                             f"skipped (skip_start={skip_start}): nothing is left to read; "
                             "lower lr_min or take more steps")
        slopes = {i: (self.smoothed[i + 1] - self.smoothed[i])
                  / (math.log(self.lrs[i + 1]) - math.log(self.lrs[i]))
                  for i in range(start, end)}
        return self.lrs[min(range(start, end), key=lambda i: slopes[i])]


def check_range(lr_min: float, lr_max: float, steps: int | None, stop_factor: float) -> None:
    if not lr_min > 0:
        raise ValueError(f"lr_min must be positive, got {lr_min}")
    if not lr_max > lr_min:
        raise ValueError(f"lr_max must be larger than lr_min, got lr_min={lr_min}, lr_max={lr_max}")
    if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int) or steps < 2):
        raise ValueError(f"steps must be an int >= 2, got {steps!r}")
    if not stop_factor > 1:
        raise ValueError(f"stop_factor must be larger than 1, got {stop_factor}")


def range_test(train_step: Callable[[float], float], lr_min: float, lr_max: float, steps: int,
               stop_factor: float = 4.0) -> RangeTest:
    """Call ``train_step(α)`` for α from ``lr_min`` to ``lr_max``, geometrically spaced.

    ``train_step`` takes one training step with learning rate α and returns its
    loss. There are ``steps`` rates, the first ``lr_min`` and the last
    ``lr_max``; the test stops after recording a loss that is NaN or above
    ``stop_factor`` × the best loss so far.

    >>> result = range_test(lambda lr: (lr - 0.1) ** 2 + 1, 1e-3, 10.0, 5)
    >>> [f"{lr:g}" for lr in result.lrs], [round(loss, 3) for loss in result.losses]
    (['0.001', '0.01', '0.1', '1', '10'], [1.01, 1.008, 1.0, 1.81, 99.01])
    """
    check_range(lr_min, lr_max, steps, stop_factor)
    lrs, losses, best = [], [], math.inf
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        loss = float(train_step(lr))
        lrs.append(lr)
        losses.append(loss)
        best = min(best, loss)
        if math.isnan(loss) or loss > stop_factor * best:
            break
    return RangeTest(lrs, losses)


def shuffled_batches(n: int, batch_size: int, generator: torch.Generator) -> Iterator[Tensor]:
    """Index batches of exactly ``batch_size`` (or all n if fewer), a new shuffle for every pass."""
    size = min(batch_size, n)
    while True:
        order = torch.randperm(n, generator=generator)
        for start in range(0, n - size + 1, size):
            yield order[start:start + size]


def lr_range_test(model: torch.nn.Module, loss_fn: Loss, optimizer: torch.optim.Optimizer,
                  train_data: tuple[Tensor, Tensor], *, lr_min: float = 1e-6, lr_max: float = 10.0,
                  steps: int | None = None, batch_size: int = 32, seed: int = 0,
                  stop_factor: float = 4.0) -> RangeTest:
    """The range test of a model, an optimizer and the data (x, y), leaving no trace.

    Each step draws a shuffled mini-batch of ``batch_size`` examples (the
    order, and dropout's random numbers, are seeded by ``seed``; the examples
    left over at the end of a pass are skipped, so that every batch has the
    same size), sets the ``lr`` of every parameter group to α, and takes one
    optimizer step. ``steps=None`` takes one
    pass over the data, n // batch_size steps; more steps keep going over new
    shuffles. Afterwards the model's and the optimizer's states (momentum
    buffers, learning rates), the gradients, the train/eval mode and the random
    number generators are restored, so the test does not change the run that
    follows it. The model and the data must be on the same device.
    """
    x, y = train_data
    n = len(x)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    if steps is None:
        steps = max(n // batch_size, 1)
        if steps < 2:
            raise ValueError(f"one pass over {n} examples in batches of {batch_size} is "
                             f"{steps} step; give steps >= 2 or a smaller batch_size")
    check_range(lr_min, lr_max, steps, stop_factor)

    model_state = copy.deepcopy(model.state_dict())
    optimizer_state = copy.deepcopy(optimizer.state_dict())
    grads = [None if p.grad is None else p.grad.clone() for p in model.parameters()]
    was_training = model.training
    cuda = sorted({torch.cuda.current_device() if p.device.index is None else p.device.index
                   for p in model.parameters() if p.device.type == "cuda"})
    batches = shuffled_batches(n, batch_size, torch.Generator().manual_seed(seed))

    def train_step(lr: float) -> float:
        for group in optimizer.param_groups:
            if isinstance(group["lr"], Tensor):
                group["lr"].fill_(lr)
            else:
                group["lr"] = lr
        batch = next(batches).to(x.device)
        loss = loss_fn(model(x[batch]), y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    try:
        with torch.random.fork_rng(devices=cuda):   # dropout's random numbers: seeded, then put back
            torch.random.default_generator.manual_seed(seed)
            for device in cuda:
                torch.cuda.default_generators[device].manual_seed(seed)
            model.train()
            return range_test(train_step, lr_min, lr_max, steps, stop_factor)
    finally:
        model.load_state_dict(model_state)
        optimizer.load_state_dict(optimizer_state)
        for p, g in zip(model.parameters(), grads):
            p.grad = g
        model.train(was_training)
