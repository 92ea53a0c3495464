"""Learning-rate schedules as pure functions of the step.

Each function here *builds* a schedule: a function ``factor(t)`` of the step
t = 0, 1, 2, ... that returns the multiplier of the base learning rate α₀, so
the learning rate at step t is α_t = α₀ · factor(t). A schedule has no state,
so it can be plotted, tested and composed like any function, and it plugs
straight into PyTorch::

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=cosine(total_steps=100))

(``LambdaLR`` calls ``lr_lambda`` with its step count, 0 before the first
``scheduler.step()``.) Where PyTorch has a scheduler of its own, the tests
check that both give the same learning rates.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence

Schedule = Callable[[int], float]

__all__ = ["constant", "step_decay", "multi_step", "exponential", "inverse_time", "cosine",
           "linear_warmup", "sequence", "product", "one_cycle", "one_cycle_momentum", "Schedule"]


def check_step(t: int) -> None:
    if not (isinstance(t, int) and t >= 0):
        raise ValueError(f"a schedule takes a step t >= 0 (an int), got {t!r}")


def check_positive_int(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")


def check_in_unit_interval(name: str, value: float, *, include_zero: bool = True) -> None:
    low_ok = value >= 0 if include_zero else value > 0
    if not (low_ok and value <= 1):
        raise ValueError(f"{name} must be in {'[' if include_zero else '('}0, 1], got {value!r}")


def constant() -> Schedule:
    """α_t = α₀."""
    def factor(t: int) -> float:
        check_step(t)
        return 1.0
    return factor


def step_decay(step_size: int, gamma: float = 0.1) -> Schedule:
    """α_t = α₀ · γ^⌊t / step_size⌋: multiply by γ every ``step_size`` steps (torch's ``StepLR``)."""
    check_positive_int("step_size", step_size)
    check_in_unit_interval("gamma", gamma, include_zero=False)

    def factor(t: int) -> float:
        check_step(t)
        return gamma ** (t // step_size)
    return factor


def multi_step(milestones: Sequence[int], gamma: float = 0.1) -> Schedule:
    """α_t = α₀ · γ^(number of milestones ≤ t) (torch's ``MultiStepLR``)."""
    milestones = sorted(milestones)
    for m in milestones:
        check_positive_int("each milestone", m)
    check_in_unit_interval("gamma", gamma, include_zero=False)

    def factor(t: int) -> float:
        check_step(t)
        return gamma ** bisect.bisect_right(milestones, t)
    return factor


def exponential(gamma: float) -> Schedule:
    """α_t = α₀ · γ^t (torch's ``ExponentialLR``)."""
    check_in_unit_interval("gamma", gamma, include_zero=False)

    def factor(t: int) -> float:
        check_step(t)
        return gamma**t
    return factor


def inverse_time(decay_rate: float, decay_steps: int = 1) -> Schedule:
    """α_t = α₀ / (1 + k · t / decay_steps), with k = ``decay_rate``.

    The decay of the source article's FAQ (Q4); torch has no scheduler for it.
    """
    if not decay_rate >= 0:
        raise ValueError(f"decay_rate must be >= 0, got {decay_rate!r}")
    check_positive_int("decay_steps", decay_steps)

    def factor(t: int) -> float:
        check_step(t)
        return 1.0 / (1.0 + decay_rate * t / decay_steps)
    return factor


def cosine(total_steps: int, floor: float = 0.0) -> Schedule:
    r"""Half a cosine from 1 down to ``floor`` over ``total_steps``, then flat at ``floor``.

    .. math:: \text{factor}(t) = f + (1 - f)\,\tfrac12\big(1 + \cos(\pi \min(t, T) / T)\big)

    Equal to torch's ``CosineAnnealingLR(T_max=T, eta_min=f·α₀)`` for t ≤ T
    (after T torch's curve rises again; this one stays at the floor).
    Reference: Loshchilov & Hutter (2017).
    """
    check_positive_int("total_steps", total_steps)
    check_in_unit_interval("floor", floor)

    def factor(t: int) -> float:
        check_step(t)
        progress = min(t, total_steps) / total_steps
        return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))
    return factor


def linear_warmup(warmup_steps: int, start_factor: float = 0.0) -> Schedule:
    """Rise linearly from ``start_factor`` to 1 over ``warmup_steps``, then stay at 1.

    Equal to torch's ``LinearLR(start_factor, end_factor=1.0, total_iters=warmup_steps)``
    (torch needs ``start_factor > 0``). Reference: Goyal et al. (2017).
    """
    check_positive_int("warmup_steps", warmup_steps)
    check_in_unit_interval("start_factor", start_factor)

    def factor(t: int) -> float:
        check_step(t)
        return start_factor + (1 - start_factor) * min(t, warmup_steps) / warmup_steps
    return factor


def one_cycle_phases(total_steps: int, pct_start: float, anneal_strategy: str,
                     three_phase: bool) -> list[tuple[float, str, str]]:
    """The phases of one cycle: (last step of the phase, start level, end level).

    The levels are named ``"low"``, ``"high"`` and ``"final"``; the step
    arithmetic is torch's ``OneCycleLR``'s, so both agree step for step.
    """
    if isinstance(total_steps, bool) or not isinstance(total_steps, int) or total_steps <= 0:
        raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
    if not (isinstance(pct_start, float) and 0 <= pct_start <= 1):
        raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
    if anneal_strategy not in ("cos", "linear"):
        raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}")
    rise_end = float(pct_start * total_steps) - 1
    if three_phase:
        return [(rise_end, "low", "high"), (float(2 * pct_start * total_steps) - 2, "high", "low"),
                (total_steps - 1, "low", "final")]
    return [(rise_end, "low", "high"), (total_steps - 1, "high", "final")]


def anneal(start: float, end: float, progress: float, strategy: str) -> float:
    """From ``start`` (progress 0) to ``end`` (progress 1): along half a cosine, or a straight line."""
    if strategy == "cos":
        return end + (start - end) / 2.0 * (math.cos(math.pi * progress) + 1)
    return (end - start) * progress + start


def one_cycle_value(levels: dict[str, float], phases: list[tuple[float, str, str]],
                    strategy: str, total_steps: int, t: int) -> float:
    """The value at step t of a curve that moves between ``levels`` phase by phase."""
    check_step(t)
    if t > total_steps:
        raise ValueError(f"Tried to step {t} times. The specified number of total steps is {total_steps}")
    phase_start = 0.0
    for i, (phase_end, start, end) in enumerate(phases):
        if t <= phase_end or i == len(phases) - 1:
            if phase_end == phase_start:  # torch divides by zero here
                raise ValueError(f"step {t} falls in a phase of no length (it starts and ends at step "
                                 f"{phase_end:g}); choose another pct_start or total_steps")
            return anneal(levels[start], levels[end], (t - phase_start) / (phase_end - phase_start), strategy)
        phase_start = phase_end
    raise AssertionError("unreachable: the last phase always answers")


def one_cycle(total_steps: int, pct_start: float = 0.3, anneal_strategy: str = "cos",
              div_factor: float = 25.0, final_div_factor: float = 1e4,
              three_phase: bool = False) -> Schedule:
    r"""One cycle (Smith & Topping, 2019): up from α_max / d to α_max, then down to far below the start.

    Here α₀ is the peak α_max. The factor rises from 1/d (d = ``div_factor``)
    to 1 over the first ``pct_start`` of the ``total_steps`` steps, then
    anneals to 1/(d·d_f) (d_f = ``final_div_factor``) at the last step, along
    half a cosine (``anneal_strategy="cos"``) or a line. With
    ``three_phase=True`` it comes back down to 1/d symmetrically before the
    final annealing. Within a phase from a to b, at progress p ∈ [0, 1]:

    .. math:: \text{cos: } b + \tfrac{a - b}{2}\,(1 + \cos \pi p), \qquad \text{linear: } a + (b - a)\,p

    Equal to torch's ``OneCycleLR(max_lr=α₀, total_steps=T, ...)`` step for
    step: t = 0 .. T (torch raises past T, and so does this). The momentum
    moves the opposite way: :func:`one_cycle_momentum`.
    """
    phases = one_cycle_phases(total_steps, pct_start, anneal_strategy, three_phase)
    if not (div_factor > 0 and final_div_factor > 0):
        raise ValueError(f"div_factor and final_div_factor must be positive, got {div_factor} "
                         f"and {final_div_factor}")
    levels = {"low": 1 / div_factor, "high": 1.0, "final": 1 / div_factor / final_div_factor}

    def factor(t: int) -> float:
        return one_cycle_value(levels, phases, anneal_strategy, total_steps, t)
    return factor


def one_cycle_momentum(total_steps: int, base_momentum: float = 0.85, max_momentum: float = 0.95,
                       pct_start: float = 0.3, anneal_strategy: str = "cos",
                       three_phase: bool = False) -> Callable[[int], float]:
    """The momentum β (SGD's ``momentum``, Adam's β₁) that one cycle uses at step t.

    It mirrors :func:`one_cycle`: from ``max_momentum`` down to
    ``base_momentum`` while the learning rate rises, then back up while it
    falls, so a large step comes with less momentum. This returns β itself,
    not a factor; torch's ``OneCycleLR(cycle_momentum=True)`` sets the same
    values.
    """
    if not 0 <= base_momentum <= max_momentum:
        raise ValueError(f"need 0 <= base_momentum <= max_momentum, got {base_momentum} and {max_momentum}")
    phases = one_cycle_phases(total_steps, pct_start, anneal_strategy, three_phase)
    levels = {"low": max_momentum, "high": base_momentum, "final": max_momentum}

    def momentum(t: int) -> float:
        return one_cycle_value(levels, phases, anneal_strategy, total_steps, t)
    return momentum


def sequence(schedules: Sequence[Schedule], milestones: Sequence[int]) -> Schedule:
    """Run ``schedules[0]`` until ``milestones[0]``, then ``schedules[1]`` restarted at 0, and so on.

    Warm-up then cosine decay over T steps in total::

        sequence([linear_warmup(W), cosine(T - W)], milestones=[W])

    Like torch's ``SequentialLR``: each schedule counts its own steps from 0.
    """
    if len(milestones) != len(schedules) - 1:
        raise ValueError(f"{len(schedules)} schedules need {len(schedules) - 1} milestones, "
                         f"got {len(milestones)}")
    if list(milestones) != sorted(set(milestones)):
        raise ValueError(f"milestones must be increasing, got {list(milestones)}")
    starts = [0, *milestones]

    def factor(t: int) -> float:
        check_step(t)
        i = bisect.bisect_right(starts, t) - 1
        return schedules[i](t - starts[i])
    return factor


def product(*schedules: Schedule) -> Schedule:
    """Multiply the factors of several schedules (torch's ``ChainedScheduler`` for these)."""
    if not schedules:
        raise ValueError("product needs at least one schedule")

    def factor(t: int) -> float:
        result = 1.0
        for schedule in schedules:
            result *= schedule(t)
        return result
    return factor
