"""Checks for the learning-rate schedule exercises (chapter: Learning-rate schedules)."""

from __future__ import annotations

import math
from collections.abc import Callable

from descent import schedules
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
                          floor_warmup: bool = False, floor_progress: bool = False) -> Callable:
    def wrong(step, warmup_steps, total_steps):
        if step < warmup_steps:
            rise = (step + warmup_offset) / warmup_steps
            return float(math.floor(rise)) if floor_warmup else rise
        span = total_steps if cosine_over_total else total_steps - warmup_steps
        progress = (step - warmup_steps) / span
        progress = float(math.floor(progress)) if floor_progress else progress
        if not periodic:
            progress = min(progress, 1.0)
        if linear_decay:
            return 1 - progress
        return 0.5 * (1 + math.cos(math.pi * progress))
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
                          cases=cases, mistakes=WARMUP_COSINE_MISTAKES,
                          equation="t/W for t < W, then ½(1 + cos(π·min(1, (t − W)/(T − W))))")
