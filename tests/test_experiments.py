"""descent.experiments: runs over seeds, their summary, and the tuning log."""

import statistics

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from descent.experiments import Repeats, Steps, over_seeds  # noqa: E402


def test_over_seeds_calls_the_run_once_per_seed_in_order():
    calls = []

    def run(seed):
        calls.append(seed)
        return seed / 10

    result = over_seeds(run, seeds=4)
    assert calls == [0, 1, 2, 3]
    assert result == Repeats((0, 1, 2, 3), (0.0, 0.1, 0.2, 0.3))
    assert over_seeds(run, seeds=[7, 3]).seeds == (7, 3)


def test_over_seeds_accepts_tensors_and_returns_floats():
    result = over_seeds(lambda seed: torch.tensor(0.5 + seed), seeds=2)
    assert result.values == (0.5, 1.5) and all(type(v) is float for v in result.values)


def test_over_seeds_is_reproducible_when_the_run_uses_its_seed():
    def run(seed):
        generator = torch.Generator().manual_seed(seed)
        return torch.rand((), generator=generator)

    assert over_seeds(run, 3) == over_seeds(run, 3)
    assert len(set(over_seeds(run, 3).values)) == 3


@pytest.mark.parametrize("seeds, error", [(0, ValueError), ([], ValueError), ([1, 1], ValueError),
                                          ([0.5], TypeError), (True, TypeError)])
def test_over_seeds_rejects_bad_seeds(seeds, error):
    with pytest.raises(error):
        over_seeds(lambda seed: 1.0, seeds)


def test_over_seeds_rejects_a_run_that_returns_no_number():
    with pytest.raises(TypeError, match="must return a number"):
        over_seeds(lambda seed: "0.9", 1)


def test_repeats_summary_matches_statistics():
    values = (0.91, 0.95, 0.93, 0.97)
    r = Repeats((0, 1, 2, 3), values)
    assert r.mean == pytest.approx(statistics.fmean(values))
    assert r.std == pytest.approx(statistics.stdev(values))
    assert (r.min, r.max) == (0.91, 0.97)
    assert Repeats((0,), (0.5,)).std == 0.0


def test_repeats_beats_means_no_overlap():
    low, high = Repeats((0, 1), (0.1, 0.3)), Repeats((0, 1), (0.31, 0.4))
    overlapping = Repeats((0, 1), (0.2, 0.5))
    assert high.beats(low) and not low.beats(high)
    assert not overlapping.beats(low) and not low.beats(overlapping)


def test_repeats_needs_one_value_per_seed():
    with pytest.raises(ValueError, match="one value per seed"):
        Repeats((0, 1), (0.5,))
    with pytest.raises(ValueError, match="no runs"):
        Repeats((), ())


def log_of_four():
    log = Steps()
    log.add("baseline", Repeats((0, 1), (0.10, 0.12)))
    log.add("better", Repeats((0, 1), (0.80, 0.90)))
    log.add("worse", Repeats((0, 1), (0.70, 0.72)), kept=False)
    log.add("best", Repeats((0, 1), (0.95, 0.97)))
    return log


def test_steps_compare_with_the_last_kept_step():
    log = log_of_four()
    assert log.reference("baseline") is None and log.change("baseline") == 0.0
    assert log.reference("worse").name == "better"
    assert log.reference("best").name == "better"     # not the rejected step
    assert log.change("best") == pytest.approx(0.96 - 0.85)
    assert log.change("worse") == pytest.approx(0.71 - 0.85)
    assert log.best().name == "best" and len(log) == 4
    assert log["worse"].mean == pytest.approx(0.71)


def test_steps_reject_duplicates_unknown_names_and_a_rejected_baseline():
    log = log_of_four()
    with pytest.raises(ValueError, match="already recorded"):
        log.add("better", Repeats((0,), (0.5,)))
    with pytest.raises(KeyError, match="no step named"):
        log["missing"]
    with pytest.raises(ValueError, match="baseline"):
        Steps().add("first", Repeats((0,), (0.5,)), kept=False)


def test_steps_table():
    table = log_of_four().table()
    lines = table.splitlines()
    assert lines[0].split() == ["step", "mean", "std", "min", "max", "change", "kept"]
    assert lines[1].split() == ["0", "baseline", "11.0%", "1.4%", "10.0%", "12.0%", "yes"]
    assert lines[3].split() == ["2", "worse", "71.0%", "1.4%", "70.0%", "72.0%", "-14.0%", "no"]
    assert lines[4].split()[-2:] == ["+11.0%", "yes"]
    assert log_of_four().table("{:.2f}").splitlines()[2].split()[2] == "0.85"


def test_steps_plot_draws_every_run_and_joins_the_kept_steps():
    fig, ax = plt.subplots()
    log_of_four().plot(ax, title="progress")
    dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert sum(len(line.get_xdata()) for line in dots) == 8
    joined = [line for line in ax.get_lines() if line.get_label() == "kept steps"]
    assert list(joined[0].get_xdata()) == [0, 1, 3]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["baseline", "better", "worse", "best"]
    assert ax.get_title() == "progress"
    plt.close(fig)
