"""Comparing training setups fairly: one setup, several seeds, a record of the steps.

One training run is one sample. Another seed (other initial weights, another
order of the mini-batches) gives another accuracy, and on a small validation
set the difference between two seeds can be larger than the effect of the change
being tested. So a setup is run over several seeds and summarized by the mean
and the spread, and a change counts as a gain only when it is clearly larger
than the spread (Godbole et al. 2023, the Deep Learning Tuning Playbook).

- :func:`over_seeds`: run a setup once per seed, collect one number from each;
- :class:`Repeats`: those numbers, with their mean, standard deviation, min and max;
- :class:`Steps`: a tuning log, the named setups tried one after another, each
  kept or rejected, as a text table and as a figure.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Repeats", "over_seeds", "Steps"]


@dataclass(frozen=True)
class Repeats:
    """One number per seed from runs of the same setup (e.g. the validation accuracy).

    >>> r = Repeats(seeds=(0, 1, 2), values=(0.90, 0.94, 0.92))
    >>> round(r.mean, 2), round(r.std, 2), r.min, r.max
    (0.92, 0.02, 0.9, 0.94)
    >>> r.beats(Repeats((0, 1, 2), (0.80, 0.85, 0.89)))   # every run above every other run
    True
    """

    seeds: tuple[int, ...]
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.seeds) != len(self.values):
            raise ValueError(f"one value per seed: got {len(self.seeds)} seeds and {len(self.values)} values")
        if not self.values:
            raise ValueError("no runs: give at least one seed")

    @property
    def mean(self) -> float:
        return statistics.fmean(self.values)

    @property
    def std(self) -> float:
        """The sample standard deviation (divisor n − 1); 0 for a single run."""
        return statistics.stdev(self.values) if len(self.values) > 1 else 0.0

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def max(self) -> float:
        return max(self.values)

    def beats(self, other: Repeats) -> bool:
        """True when every run of this setup scored above every run of ``other`` (no overlap)."""
        return self.min > other.max


def over_seeds(run: Callable[[int], float], seeds: int | Sequence[int] = 3) -> Repeats:
    """Call ``run(seed)`` once per seed and collect the numbers it returns.

    ``seeds`` is a count (``3`` means seeds 0, 1, 2) or the seeds themselves.
    ``run`` must use the seed for everything random in the run (initial
    weights, mini-batch order, dropout), e.g. with ``descent.seed_everything(seed)``
    and ``fit(..., seed=seed)``, and return one number, such as the final
    validation accuracy.

    >>> over_seeds(lambda seed: 10 * seed, seeds=[1, 2])
    Repeats(seeds=(1, 2), values=(10.0, 20.0))
    """
    if isinstance(seeds, bool):
        raise TypeError("seeds must be a count or a sequence of ints, got a bool")
    if isinstance(seeds, int):
        if seeds < 1:
            raise ValueError(f"the number of seeds must be positive, got {seeds}")
        seeds = range(seeds)
    seeds = tuple(seeds)
    if not seeds:
        raise ValueError("no seeds given")
    if any(isinstance(s, bool) or not isinstance(s, int) for s in seeds):
        raise TypeError(f"seeds must be ints, got {seeds!r}")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"each seed once: {seeds!r} repeats one")
    values = []
    for seed in seeds:
        value = run(seed)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                value = value.item()   # a 0-d tensor or NumPy scalar
            except AttributeError:
                raise TypeError(f"run({seed}) must return a number, got {type(value).__name__}") from None
        values.append(float(value))
    return Repeats(seeds, tuple(values))


@dataclass(frozen=True)
class Step:
    """One row of a :class:`Steps` log."""
    name: str
    result: Repeats
    kept: bool


class Steps:
    """A tuning log: the setups tried, in order, each kept (the new best setup) or not.

    Each step is compared with the last *kept* step before it, the setup it
    changed: a rejected step is not the starting point of the next one.

    >>> log = Steps()
    >>> _ = log.add("baseline", Repeats((0, 1), (0.50, 0.52)))
    >>> _ = log.add("bigger", Repeats((0, 1), (0.70, 0.74)))
    >>> _ = log.add("smaller", Repeats((0, 1), (0.69, 0.71)), kept=False)
    >>> log.change("smaller") < 0 < log.change("bigger"), log.best().name
    (True, 'bigger')
    """

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def add(self, name: str, result: Repeats, kept: bool = True) -> Repeats:
        """Record a step; returns its result. The first step (the baseline) must be kept."""
        if any(step.name == name for step in self.steps):
            raise ValueError(f"a step named {name!r} is already recorded")
        if not self.steps and not kept:
            raise ValueError("the first step is the baseline: it must be kept")
        self.steps.append(Step(name, result, bool(kept)))
        return result

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, name: str) -> Repeats:
        return self.step(name).result

    def step(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(f"no step named {name!r}; recorded: {[s.name for s in self.steps]}")

    def reference(self, name: str) -> Step | None:
        """The last kept step before ``name``: the setup it changed (None for the first step)."""
        index = [s.name for s in self.steps].index(self.step(name).name)
        return next((s for s in reversed(self.steps[:index]) if s.kept), None)

    def change(self, name: str) -> float:
        """Mean of step ``name`` minus the mean of its reference step (0 for the first step)."""
        reference = self.reference(name)
        return 0.0 if reference is None else self[name].mean - reference.result.mean

    def best(self) -> Step:
        """The last kept step: the current setup."""
        return [s for s in self.steps if s.kept][-1]

    def table(self, number: str = "{:.1%}") -> str:
        """The log as a text table: mean, standard deviation, min and max over seeds, and the change.

        ``number`` formats each value (default: a percentage with one decimal).
        """
        rows = [["", "step", "mean", "std", "min", "max", "change", "kept"]]
        for i, step in enumerate(self.steps):
            r = step.result
            change = "" if i == 0 else ("+" if self.change(step.name) >= 0 else "") + number.format(
                self.change(step.name))
            rows.append([str(i), step.name, *(number.format(v) for v in (r.mean, r.std, r.min, r.max)),
                         change, "yes" if step.kept else "no"])
        widths = [max(len(row[j]) for row in rows) for j in range(len(rows[0]))]
        left = {1}   # the names are left-aligned, the numbers right-aligned
        return "\n".join("  ".join(cell.ljust(w) if j in left else cell.rjust(w)
                                   for j, (cell, w) in enumerate(zip(row, widths))).rstrip()
                         for row in rows)

    def plot(self, ax=None, *, ylabel: str = "validation accuracy", title: str | None = None):
        """Each step's runs (dots) and mean (a bar from min to max), kept steps joined by a line.

        Rejected steps are drawn in grey. Returns the matplotlib Axes.
        """
        import matplotlib.pyplot as plt   # imported here: only the figure needs it

        ax = ax if ax is not None else plt.gca()
        kept_x, kept_y = [], []
        for i, step in enumerate(self.steps):
            r = step.result
            colour = "C0" if step.kept else "0.6"
            ax.plot([i] * len(r.values), r.values, linestyle="none", marker="o", markersize=4,
                    color=colour, alpha=0.6)
            ax.errorbar([i], [r.mean], yerr=[[r.mean - r.min], [r.max - r.mean]], marker="D",
                        markersize=7, color=colour, capsize=4, linestyle="none")
            if step.kept:
                kept_x.append(i)
                kept_y.append(r.mean)
        ax.plot(kept_x, kept_y, color="C0", linewidth=1, zorder=0, label="kept steps")
        ax.set_xticks(range(len(self.steps)), [s.name for s in self.steps], rotation=30, ha="right")
        ax.set(ylabel=ylabel, xlim=(-0.5, max(len(self.steps), 2) - 0.5))
        if title:
            ax.set_title(title)
        return ax
