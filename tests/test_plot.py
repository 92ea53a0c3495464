"""descent.plot draws what it is given (smoke tests on the Agg backend)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402

from descent import data, plot  # noqa: E402


def test_use_style_sets_the_palette():
    plot.use_style()
    assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"] == plot.PALETTE


def test_loss_curves_draws_one_line_per_curve():
    fig, ax = plt.subplots()
    plot.loss_curves({"a": [1.0, 0.5, 0.25], "b": [2.0, 1.0]}, ax)
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert list(ax.get_lines()[1].get_xdata()) == [1, 2]
    plt.close(fig)


def test_contour_paths_draws_paths_and_minimum():
    fig, ax = plt.subplots()
    q = data.Quadratic()
    path = torch.tensor([[-4.0, 1.0], [-2.0, 0.5], [0.0, 0.0]])
    plot.contour_paths(q, {"GD": path}, xlim=(-5, 5), ylim=(-2, 2), minimum=q.minimum, ax=ax)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["GD", "minimum"]
    assert ax.get_lines()[0].get_xdata().tolist() == [-4.0, -2.0, 0.0]
    plt.close(fig)


def test_moving_average_matches_a_convolution():
    values = torch.rand(50, dtype=torch.float64)
    expected = torch.nn.functional.conv1d(values[None, None], torch.ones(1, 1, 10, dtype=torch.float64) / 10)
    assert torch.allclose(torch.tensor(plot.moving_average(values.tolist()), dtype=torch.float64), expected[0, 0])
