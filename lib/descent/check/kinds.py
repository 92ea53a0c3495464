"""Checks for the exercises that are not "implement this function".

The course has five kinds of exercise (see exercises/README.md):

- **implement**: write a function; :func:`descent.check.functions.check_function`
  and :func:`descent.check.steps.check_step_function` compare it with the reference.
- **derive**: work a quantity out by hand and return it as a formula, a
  function of the problem's numbers (``def largest_stable_lr(L): return ...``).
  :func:`check_formula` evaluates it on several problems, so a number copied
  from one run does not pass, and names the usual wrong derivations.
- **predict, then run**: return a prediction (one of a few choices) *before*
  running a prepared experiment; :func:`check_prediction` runs the experiment
  and says whether, and why, the prediction held.
- **experiment**: tune something (λ, a learning rate) within a budget of
  evaluations; :class:`Budget` counts them and the chapter's check grades the
  result against a threshold, with no single right answer.
- **debug**: a given training loop has one bug; the learner writes the fixed
  loop and the check runs it beside a correct loop (a function check whose
  catalogue of mistakes holds the original bug).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from descent.check.feedback import (NOTHING_FORBIDDEN, BudgetExceeded, Feedback, Forbidden,
                                    LearnerError, call, clock_paused, failed, passed)
from descent.check.functions import Case, check_function
from descent.check.mistakes import Mistake


def check_formula(learner: Callable, *, name: str, reference: Callable, cases: Sequence[Case],
                  mistakes: Sequence[Mistake] = (), equation: str,
                  forbidden: Forbidden = NOTHING_FORBIDDEN) -> Feedback:
    """A derived formula, checked like a function on several problems (numbers in, a number out)."""
    return check_function(learner, name=name, reference=reference, cases=cases,
                          mistakes=mistakes, equation=equation, forbidden=forbidden)


def check_prediction(learner: Callable[[], str], *, name: str, choices: Mapping[str, str],
                     experiment: Callable[[], tuple[str, str]],
                     why_not: Mapping[str, str] | None = None) -> Feedback:
    """Compare the learner's prediction with what ``experiment`` shows.

    ``choices`` maps each allowed answer (lower case) to how it reads in a
    sentence; ``experiment()`` returns the outcome (one of the choices) and the
    measured evidence; ``why_not`` may explain, for a wrong choice, the
    reasoning that leads there and where it fails.
    """
    try:
        answer = call(name, learner)
    except LearnerError as error:
        return error.feedback
    if not isinstance(answer, str) or answer.strip().lower() not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        return failed(f"{name} returned {answer!r}; return one of {allowed}.",
                      "invalid prediction")
    prediction = answer.strip().lower()
    outcome, evidence = experiment()
    if prediction == outcome:
        return passed(f"{name}: you predicted {choices[prediction]}, and the experiment agrees. "
                      f"{evidence}")
    reason = (why_not or {}).get(prediction, "")
    return failed(f"{name}: you predicted {choices[prediction]}, but the experiment shows "
                  f"{choices[outcome]}. {evidence} {reason}".rstrip(), "wrong prediction")


class Budget:
    """``function``, callable at most ``calls`` times: an experiment's evaluation budget.

    The learner's tuning code receives a Budget (e.g. "validation loss after
    training with weight decay λ") and may call it ``calls`` times; one call
    more raises :class:`~descent.check.feedback.BudgetExceeded`, which the
    check reports as "over budget". ``history`` keeps every (arguments, result).
    """

    def __init__(self, function: Callable[..., Any], calls: int) -> None:
        self.function, self.calls = function, calls
        self.history: list[tuple[Any, Any]] = []

    @property
    def used(self) -> int:
        return len(self.history)

    def __call__(self, *args: Any) -> Any:
        if self.used >= self.calls:
            raise BudgetExceeded(f"the budget is {self.calls} evaluations, and this is one more")
        with clock_paused():  # the training runs are the check's work, not the learner's
            result = self.function(*args)
        self.history.append((args[0] if len(args) == 1 else args, result))
        return result
