"""Checks for the learning-rate schedule exercises (chapter: Learning-rate schedules)."""

from __future__ import annotations

import math
from collections.abc import Callable

from descent import schedules, tuning
from descent.check.feedback import Feedback
from descent.check.functions import Case, check_function
from descent.check.mistakes import Mistake

__all__ = ["warmup_cosine"]


def warmup_cosine_reference(step: int, warmup_steps: int, total_steps: int) -> float:
    schedule = schedules.sequence([schedules.linear_warmup(warmup_steps),
                                   schedules.cosine(total_steps - warmup_steps)], [warmup_steps])
    return schedule(step)


def warmup_cosine_variant(*, warmup_offset: int = 0, cosine_over_total: bool = False,
                          linear_decay: bool = False, periodic: bool = False,
                          floor_warmup: bool = False, floor_progress: bool = False,
                          progress_from_zero: bool = False, half: float = 0.5,
                          angle: float = math.pi) -> Callable:
    def wrong(step, warmup_steps, total_steps):
        if step < warmup_steps:
            rise = (step + warmup_offset) / warmup_steps
            return float(math.floor(rise)) if floor_warmup else rise
        span = total_steps if cosine_over_total else total_steps - warmup_steps
        progress = (step - (0 if progress_from_zero else warmup_steps)) / span
        progress = float(math.floor(progress)) if floor_progress else progress
        if not periodic:
            progress = min(progress, 1.0)
        if linear_decay:
            return 1 - progress
        return half * (1 + math.cos(angle * progress))
    return wrong


INTEGER_DIVISION = ("integer division", "`a // b` rounds down to a whole number, so the factor "
                    "jumps instead of changing smoothly. Use `/`: t / W and (t − W)/(T − W).")

WARMUP_COSINE_MISTAKES = [
    Mistake(*INTEGER_DIVISION, warmup_cosine_variant(floor_warmup=True, floor_progress=True)),
    Mistake(*INTEGER_DIVISION, warmup_cosine_variant(floor_warmup=True)),
    Mistake(*INTEGER_DIVISION, warmup_cosine_variant(floor_progress=True)),
    Mistake("warm-up off by one", "At step 0 the factor is 0 and it reaches 1 at step W: "
            "factor = t / W for t < W.", warmup_cosine_variant(warmup_offset=1)),
    Mistake("cosine spans all the steps, not the steps after warm-up", "The decay starts at W "
            "and lasts T − W steps: progress = (t − W)/(T − W).",
            warmup_cosine_variant(cosine_over_total=True)),
    Mistake("progress counted from step 0, not from the end of warm-up", "The cosine starts "
            "at 1 when warm-up ends: progress = (t − W)/(T − W), not t/T.",
            warmup_cosine_variant(cosine_over_total=True, progress_from_zero=True)),
    Mistake("the factor ½ is missing", "½(1 + cos(π·progress)) goes from 1 to 0; without ½ it "
            "starts at 2.", warmup_cosine_variant(half=1.0)),
    Mistake("π is missing in the cosine", "Half a period is cos(π·progress), so that the "
            "factor reaches 0 at progress = 1.", warmup_cosine_variant(angle=1.0)),
    Mistake("linear decay instead of cosine", "Use ½(1 + cos(π·progress)).",
            warmup_cosine_variant(linear_decay=True)),
    Mistake("the cosine rises again after T", "After T steps the factor stays at 0: "
            "clip progress at 1.", warmup_cosine_variant(periodic=True)),
]


def warmup_cosine(learner: Callable) -> Feedback:
    """Check ``warmup_cosine(step, warmup_steps, total_steps) -> factor``."""
    cases = [Case((t, w, total), label=f"step {t}, W = {w}, T = {total}")
             for w, total in ((5, 20), (10, 100)) for t in range(0, total + 15, 1)]
    return check_function(learner, name="warmup_cosine", reference=warmup_cosine_reference,
                          cases=cases, mistakes=WARMUP_COSINE_MISTAKES, python_number=True,
                          equation="t/W for t < W, then ½(1 + cos(π·min(1, (t − W)/(T − W))))")


# ---------------------------------------------------------------------------
# The learning-rate range test, and a scheduler stepped in the wrong place
# ---------------------------------------------------------------------------

import warnings  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import torch  # noqa: E402
from torch.optim import lr_scheduler  # noqa: E402

from descent.check.feedback import (LearnerError, call, describe, failed,  # noqa: E402
                                    largest_difference, passed)

__all__ += ["lr_range_test", "train_with_schedule"]


def lr_range_test_reference(train_step: Callable[[float], float], lr_min: float, lr_max: float,
                            steps: int) -> tuple[list[float], list[float]]:
    """Smith's learning-rate range test: rates spaced geometrically from lr_min to lr_max, one
    training step each; stop after a loss that is NaN or above 4 × the best loss so far
    (:func:`descent.tuning.range_test`)."""
    result = tuning.range_test(train_step, lr_min, lr_max, steps, stop_factor=4.0)
    return result.lrs, result.losses


def range_test_variant(*, rates: Callable[[float, float, int], Sequence[float]] | None = None,
                       stop: str = "best", record_stop: bool = True, nan_stops: bool = True,
                       best_start: float = math.inf) -> Callable:
    """The range test with one part changed, for the catalogue of mistakes.

    ``stop``: "best" (4 × the best so far), "first" (4 × the first loss), "previous"
    (4 × the previous loss), "increase" (any increase over the best), "never"."""
    def wrong(train_step, lr_min, lr_max, steps):
        grid = rates(lr_min, lr_max, steps) if rates else [
            lr_min * (lr_max / lr_min) ** (i / (steps - 1)) for i in range(steps)]
        lrs, losses, best = [], [], best_start
        for lr in grid:
            loss = float(train_step(lr))
            reference = {"best": 4 * min(best, loss), "first": 4 * (losses[0] if losses else loss),
                         "previous": 4 * (losses[-1] if losses else loss),
                         "increase": best, "never": math.inf}[stop]
            stopping = loss > reference or (nan_stops and math.isnan(loss))
            if stopping and not record_stop:
                break
            lrs.append(lr)
            losses.append(loss)
            best = min(best, loss)
            if stopping:
                break
        return lrs, losses
    return wrong


def range_test_smoothed(train_step, lr_min, lr_max, steps, beta=0.98):
    """fastai's lr_find: an exponentially smoothed, bias-corrected loss."""
    lrs, losses, best, average = [], [], math.inf, 0.0
    for i in range(steps):
        lr = lr_min * (lr_max / lr_min) ** (i / (steps - 1))
        average = beta * average + (1 - beta) * float(train_step(lr))
        smoothed = average / (1 - beta ** (i + 1))
        lrs.append(lr)
        losses.append(smoothed)
        best = min(best, smoothed)
        if math.isnan(smoothed) or smoothed > 4 * best:
            break
    return lrs, losses


def geometric(exponents: Callable[[int], Sequence[float]]) -> Callable:
    return lambda lo, hi, steps: [lo * (hi / lo) ** e for e in exponents(steps)]


OFF_BY_ONE = ("off by one at the ends", "Take exactly `steps` rates, the first lr_min and the "
              "last lr_max: lr_i = lr_min·(lr_max/lr_min)^(i/(steps − 1)) for i = 0, …, steps − 1.")
LINEAR = ("linear instead of geometric spacing", "Equal steps in lr spend nearly every "
          "evaluation near lr_max. Space the rates by a constant factor: "
          "lr_i = lr_min·(lr_max/lr_min)^(i/(steps − 1)) (np.geomspace, or torch.logspace of "
          "the base-10 logarithms).")

LR_RANGE_TEST_MISTAKES = [
    Mistake(*LINEAR, range_test_variant(
        rates=lambda lo, hi, n: [lo + (hi - lo) * i / (n - 1) for i in range(n)])),
    Mistake(*OFF_BY_ONE, range_test_variant(rates=geometric(lambda n: [i / n for i in range(n)]))),
    Mistake(*OFF_BY_ONE, range_test_variant(
        rates=geometric(lambda n: [(i + 1) / n for i in range(n)]))),
    Mistake(*OFF_BY_ONE, range_test_variant(
        rates=geometric(lambda n: [i / n for i in range(n + 1)]))),
    Mistake(*OFF_BY_ONE, range_test_variant(
        rates=geometric(lambda n: [i / (n - 1) for i in range(n - 1)]))),
    Mistake(*OFF_BY_ONE, range_test_variant(
        rates=geometric(lambda n: [i / (n - 1) for i in range(1, n)]))),
    Mistake("logspace takes exponents, not rates", "torch.logspace(a, b, n) and np.logspace "
            "return 10^a … 10^b: pass log10(lr_min) and log10(lr_max), or use np.geomspace.",
            range_test_variant(rates=lambda lo, hi, n: [
                10 ** (lo + (hi - lo) * i / (n - 1)) for i in range(n)])),
    Mistake("natural logarithms given to a base-10 logspace", "logspace raises 10 to the "
            "exponents: give it log10(lr_min) and log10(lr_max) (or base=math.e), not "
            "ln(lr_min) and ln(lr_max).",
            range_test_variant(rates=lambda lo, hi, n: [
                10 ** (math.log(lo) + (math.log(hi) - math.log(lo)) * i / (n - 1))
                for i in range(n)])),
    Mistake("NaN does not stop the test", "`loss > 4 * best` is False when the loss is NaN: "
            "test `math.isnan(loss)` too, and stop.", range_test_variant(nan_stops=False)),
    Mistake("no early stop", "Stop as soon as the loss exceeds 4 × the best loss so far (or "
            "is NaN): past that point the training run has diverged and the rest of the curve "
            "says nothing.", range_test_variant(stop="never", nan_stops=False)),
    Mistake("no early stop", "Stop as soon as the loss exceeds 4 × the best loss so far (or "
            "is NaN): past that point the training run has diverged and the rest of the curve "
            "says nothing.", range_test_variant(stop="never")),
    Mistake("stops at the first increase", "One loss above the best is noise, not divergence: "
            "stop only when the loss exceeds 4 × the best loss so far.",
            range_test_variant(stop="increase")),
    Mistake("compares with the first loss, not the best so far", "Keep the smallest loss seen "
            "so far, best = min(best, loss), and stop when loss > 4 × best.",
            range_test_variant(stop="first")),
    Mistake("compares with the previous loss, not the best so far", "A steady climb never "
            "quadruples from one step to the next. Keep the smallest loss seen so far and stop "
            "when loss > 4 × best.", range_test_variant(stop="previous")),
    Mistake("the loss that stopped the test is missing", "Record the rate and the loss of the "
            "step that triggers the stop too, then stop: the lists end with the diverging "
            "point.", range_test_variant(record_stop=False)),
    Mistake("the best loss starts at 0", "Start from best = ∞ (or the first loss): with 0, "
            "the first loss is already above 4 × best.", range_test_variant(best_start=0.0)),
    Mistake("the losses are smoothed", "fastai smooths the losses before comparing them; this "
            "exercise does not: record each loss as train_step returns it, and compare it "
            "with 4 × the best.", range_test_smoothed),
    Mistake("lrs and losses swapped", "Return the rates first: `return lrs, losses`.",
            lambda *args: tuple(reversed(lr_range_test_reference(*args)))),
]


class RecordedTraining:
    """A fake ``train_step(lr)``: a deterministic training run (or loss curve) that records
    the learning rates it was called with."""

    def __init__(self, label: str, loss: Callable[[float], float]) -> None:
        self.label, self.loss, self.calls = label, loss, []

    def __call__(self, lr: Any) -> float:
        lr = float(lr)
        self.calls.append(lr)
        return self.loss(lr)


def falling_loss() -> RecordedTraining:
    return RecordedTraining("a loss that falls as the rate grows, 1/(1 + α)",
                            lambda lr: 1 / (1 + lr))


def valley() -> RecordedTraining:
    return RecordedTraining("a loss with a valley at α = 0.01, 1 + (log10 α + 2)²",
                            lambda lr: 1 + (math.log10(lr) + 2) ** 2)


def quadratic_training() -> RecordedTraining:
    """Gradient descent on f(θ) = ½ Σ λⱼθⱼ², λ = (0.5, 1, 2, 4), one step per call."""
    curvatures = torch.tensor([0.5, 1.0, 2.0, 4.0], dtype=torch.float64)
    theta = torch.ones(4, dtype=torch.float64)

    def step(lr: float) -> float:
        theta.sub_(lr * curvatures * theta)
        return float(0.5 * (curvatures * theta**2).sum())
    return RecordedTraining("gradient descent on ½ Σ λθ², λ = (0.5, 1, 2, 4), from θ = 1, "
                            "one step per rate", step)


def nan_training() -> RecordedTraining:
    return RecordedTraining("a training run that turns NaN for α ≥ 0.5",
                            lambda lr: 1 / (1 + 10 * lr) if lr < 0.5 else math.nan)


RANGE_TEST_CASES = [  # (fake training, lr_min, lr_max, steps)
    (falling_loss, 1e-4, 1.0, 9),
    (valley, 1e-3, 10.0, 25),
    (quadratic_training, 1e-3, 10.0, 30),
    (nan_training, 1e-3, 10.0, 20),
]


def as_floats(name: str, value: Any, what: str) -> list[float]:
    if isinstance(value, torch.Tensor):
        value = value.detach().flatten().tolist()
    try:
        return [float(v) for v in value]
    except (TypeError, ValueError):
        raise LearnerError(failed(f"{name} returned {describe(value)} as {what}; return a list "
                                  "of numbers.", "wrong type")) from None


def range_test_result(name: str, result: Any) -> tuple[list[float], list[float]]:
    if result is None:
        raise LearnerError(failed(f"{name} returned None. Did you forget `return lrs, losses`?",
                                  "returned None"))
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise LearnerError(failed(f"{name} returned {describe(result)}; return two lists, "
                                  "`return lrs, losses`.", "wrong type"))
    lrs, losses = as_floats(name, result[0], "lrs"), as_floats(name, result[1], "losses")
    if len(lrs) != len(losses):
        raise LearnerError(failed(f"{name} returned {len(lrs)} rates but {len(losses)} losses; "
                                  "record one loss per rate.", "lists of different lengths"))
    return lrs, losses


def same_lists(a: tuple[list[float], list[float]], b: tuple[list[float], list[float]]) -> bool:
    return all(len(x) == len(y) and all(
        (math.isnan(u) and math.isnan(v)) or math.isclose(u, v, rel_tol=1e-5, abs_tol=1e-12)
        for u, v in zip(x, y)) for x, y in zip(a, b))


def preview_list(values: Sequence[float], start: int = 0) -> str:
    """Four values from ``start`` (the first place two lists differ), and the list's length."""
    part = values[start:start + 4]
    shown = ", ".join(f"{v:.3g}" for v in part)
    before = "…, " if start else ""
    after = ", …" if len(values) > start + 4 else ""
    where = f"; these are #{start} to #{start + len(part) - 1}" if start else ""
    return f"[{before}{shown}{after}] ({len(values)} values{where})"


def first_difference(a: Sequence[float], b: Sequence[float]) -> int:
    """The first index where two lists of numbers differ (or where the shorter one ends)."""
    for i, (x, y) in enumerate(zip(a, b)):
        if not (x == y or math.isclose(x, y, rel_tol=1e-9) or (x != x and y != y)):
            return i
    return min(len(a), len(b))


def lr_range_test(learner: Callable) -> Feedback:
    """Check ``lr_range_test(train_step, lr_min, lr_max, steps) -> (lrs, losses)``."""
    name = "lr_range_test"
    equation = ("lr_i = lr_min·(lr_max/lr_min)^(i/(steps − 1)), i = 0, …, steps − 1; stop after "
                "recording a loss that is NaN or > 4 × the best loss so far")
    results = []
    try:
        for make, lr_min, lr_max, steps in RANGE_TEST_CASES:
            training = make()
            got = range_test_result(name, call(name, learner, training, lr_min, lr_max, steps))
            expected = lr_range_test_reference(make(), lr_min, lr_max, steps)
            results.append((make, lr_min, lr_max, steps, got, expected))
    except LearnerError as error:
        return error.feedback
    failing = [r for r in results if not same_lists(r[4], r[5])]
    if not failing:
        return passed(f"{name} matches the reference on all {len(results)} training runs: the "
                      "same rates, the same losses, and the same stopping point.")
    for mistake in LR_RANGE_TEST_MISTAKES:
        if all(same_lists(got, mistake.step(make(), lr_min, lr_max, steps))
               for make, lr_min, lr_max, steps, got, _ in results):
            return failed(f"{name}: {mistake.name}. {mistake.advice}", mistake.name)
    make, lr_min, lr_max, steps, got, expected = failing[0]
    where = f"({make().label}; lr_min = {lr_min:g}, lr_max = {lr_max:g}, steps = {steps})"
    at = min(first_difference(got[0], expected[0]), first_difference(got[1], expected[1]))
    at = max(at - 1, 0)  # one value of context before the first difference
    return failed(f"{name} returns other results than the reference {where}: expected rates "
                  f"{preview_list(expected[0], at)} and losses {preview_list(expected[1], at)}, "
                  f"got {preview_list(got[0], at)} and {preview_list(got[1], at)}. Check the "
                  f"definition: {equation}.", "unrecognized")


# A training loop that steps its learning-rate scheduler in the wrong place.

class RecordingSGD(torch.optim.SGD):
    """SGD that records the learning rate of every step it takes."""

    def __init__(self, params: Any, lr: float) -> None:
        super().__init__(params, lr=lr)
        self.rates: list[float] = []

    def step(self, closure: Any = None) -> Any:
        self.rates.append(self.param_groups[0]["lr"])
        return super().step(closure)


@dataclass
class ScheduledRun:
    label: str
    model: torch.nn.Module
    optimizer: RecordingSGD
    scheduler: Any
    batches: list[tuple[torch.Tensor, torch.Tensor]]
    epochs: int

    def weights(self) -> torch.Tensor:
        return torch.cat([p.detach().flatten() for p in self.model.parameters()])


def scheduled_run(kind: str) -> ScheduledRun:
    """A small regression problem (float64), its model, SGD and a scheduler of ``kind``."""
    generator = torch.Generator().manual_seed(0 if kind == "step" else 1)
    n, batch = (24, 6) if kind == "step" else (15, 5)
    x = torch.randn(n, 3, generator=generator, dtype=torch.float64)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]], dtype=torch.float64) + 0.3
    model = torch.nn.Linear(3, 1, dtype=torch.float64)
    with torch.no_grad():
        model.weight.copy_(torch.randn(1, 3, generator=generator, dtype=torch.float64))
        model.bias.zero_()
    optimizer = RecordingSGD(model.parameters(), lr=0.1)
    if kind == "step":
        epochs = 6
        scheduler, label = lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5), \
            "StepLR(step_size=2, gamma=0.5), 4 batches, 6 epochs"
    else:
        epochs = 5
        scheduler, label = lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs), \
            "CosineAnnealingLR(T_max=5), 3 batches, 5 epochs"
    batches = [(x[i:i + batch], y[i:i + batch]) for i in range(0, n, batch)]
    return ScheduledRun(label, model, optimizer, scheduler, batches, epochs)


def train_with_schedule_reference(model, optimizer, scheduler, batches, epochs):
    for _ in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        scheduler.step()                            # once per epoch, after its updates


def scheduled_loop(*, per_batch: bool = False, per_batch_before: bool = False,
                   per_epoch: bool = True, epoch_start: bool = False, zero_grad: bool = True,
                   optimizer_step: bool = True, epoch_argument: bool = False,
                   zero_grad_late: bool = False) -> Callable:
    """The training loop with the scheduler (or something else) in another place."""
    def loop(model, optimizer, scheduler, batches, epochs):
        for epoch in range(epochs):
            if epoch_start:
                scheduler.step()
            for x, y in batches:
                if zero_grad:
                    optimizer.zero_grad()
                torch.nn.functional.mse_loss(model(x), y).backward()
                if zero_grad_late:
                    optimizer.zero_grad()
                if per_batch_before:
                    scheduler.step()
                if optimizer_step:
                    optimizer.step()
                if per_batch:
                    scheduler.step()
            if per_epoch:
                scheduler.step(epoch) if epoch_argument else scheduler.step()
    return loop


PER_BATCH = ("scheduler stepped per batch", "The schedule counts epochs (StepLR's step_size, "
             "CosineAnnealingLR's T_max are in epochs here), so call `scheduler.step()` once "
             "per epoch, after the loop over the batches, not inside it.")

TRAIN_WITH_SCHEDULE_MISTAKES = [
    Mistake(*PER_BATCH, scheduled_loop(per_batch=True, per_epoch=False)),
    Mistake(*PER_BATCH, scheduled_loop(per_batch_before=True, per_epoch=False)),
    Mistake(*PER_BATCH, scheduled_loop(per_batch=True)),
    Mistake("scheduler stepped before the epoch's updates", "Step the scheduler at the end of "
            "the epoch, after its optimizer.step() calls: stepped first, it skips the first "
            "learning rate, and PyTorch warns \"Detected call of lr_scheduler.step() before "
            "optimizer.step()\".", scheduled_loop(epoch_start=True, per_epoch=False)),
    Mistake("scheduler never stepped", "Without `scheduler.step()` the learning rate stays at "
            "its initial value: call it once per epoch, after the loop over the batches.",
            scheduled_loop(per_epoch=False)),
    Mistake("scheduler.step(epoch) lags one epoch", "Passing the epoch to step() is "
            "deprecated, and step(epoch) after epoch `epoch` sets the rate of that epoch again: "
            "call `scheduler.step()` without argument.", scheduled_loop(epoch_argument=True)),
    Mistake("zero_grad missing (gradients accumulate)", "Clear the gradients before each "
            "backward pass, `optimizer.zero_grad()`, or every step adds up all the gradients "
            "so far.", scheduled_loop(zero_grad=False)),
    Mistake("optimizer.step() missing", "Without `optimizer.step()` the parameters never "
            "change: call it after `loss.backward()` for every batch.",
            scheduled_loop(optimizer_step=False)),
    Mistake("zero_grad between backward and step", "`optimizer.zero_grad()` after "
            "`loss.backward()` erases the gradients the step needs: clear them before the "
            "forward pass.", scheduled_loop(zero_grad_late=True)),
]


def run_loop(loop: Callable, kind: str, name: str = "") -> ScheduledRun:
    run = scheduled_run(kind)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")            # step() order and deprecation warnings
        arguments = (run.model, run.optimizer, run.scheduler, run.batches, run.epochs)
        if name:
            call(name, loop, *arguments)
        else:
            loop(*arguments)
    return run


def same_run(a: ScheduledRun, b: ScheduledRun) -> bool:
    return (len(a.optimizer.rates) == len(b.optimizer.rates)
            and all(math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-15)
                    for u, v in zip(a.optimizer.rates, b.optimizer.rates))
            and torch.allclose(a.weights(), b.weights(), rtol=1e-9, atol=1e-12, equal_nan=True))


def train_with_schedule(learner: Callable) -> Feedback:
    """Check ``train_with_schedule(model, optimizer, scheduler, batches, epochs)`` (debug)."""
    name = "train_with_schedule"
    kinds = ("step", "cosine")
    try:
        got = {kind: run_loop(learner, kind, name) for kind in kinds}
    except LearnerError as error:
        return error.feedback
    expected = {kind: run_loop(train_with_schedule_reference, kind) for kind in kinds}
    failing = [kind for kind in kinds if not same_run(got[kind], expected[kind])]
    if not failing:
        return passed(f"{name} steps the scheduler once per epoch: the same learning rates "
                      "and the same final weights as the correct loop, with StepLR and with "
                      "CosineAnnealingLR.")
    for mistake in TRAIN_WITH_SCHEDULE_MISTAKES:
        if all(same_run(got[kind], run_loop(mistake.step, kind)) for kind in kinds):
            return failed(f"{name}: {mistake.name}. {mistake.advice}", mistake.name)
    kind = failing[0]
    mine, right = got[kind], expected[kind]
    if mine.optimizer.rates != right.optimizer.rates:
        at = max(first_difference(mine.optimizer.rates, right.optimizer.rates) - 1, 0)
        detail = (f"the learning rates of the optimizer steps were "
                  f"{preview_list(mine.optimizer.rates, at)}; expected "
                  f"{preview_list(right.optimizer.rates, at)}")
    else:
        detail = ("the learning rates are right but the final weights differ, "
                  f"{largest_difference(mine.weights(), right.weights())}")
    return failed(f"{name} does not train like the correct loop ({expected[kind].label}): "
                  f"{detail}. One epoch: for each batch zero_grad, forward, mse_loss, backward, "
                  "optimizer.step(); then scheduler.step().", "unrecognized")
