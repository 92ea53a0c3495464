"""A known mistake, and mistakes any step function can make."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Step = Callable[..., Any]


@dataclass
class Mistake:
    """A known wrong way to write a function, and what to tell the learner who made it."""

    name: str
    advice: str
    step: Step



def sign_flipped(step: Step) -> Mistake:
    def wrong(param, grad, state, **hyper):
        step(param, -grad, state, **hyper)
    return Mistake("gradient sign flipped", "Every step goes uphill: the update subtracts the "
                   "step direction, θ ← θ − α·(direction), and the direction follows +g.", wrong)


def state_not_kept(step: Step) -> Mistake:
    def wrong(param, grad, state, **hyper):
        step(param, grad, {}, **hyper)
    return Mistake("state not kept between steps", "The running averages (or the velocity) "
                   "start again from zero at every call. Store them in the `state` dict, e.g. "
                   "`state['momentum_buffer']`, and read them back on the next call.", wrong)
