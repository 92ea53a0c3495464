"""descent.data: the article's example, synthetic problems, the digits, 2-D test functions."""

from __future__ import annotations

import pytest
import torch

from descent import data, optim


def test_article_example_is_the_articles():
    ex = data.article_example()
    assert ex.x.tolist() == [[1.0, 1.0], [1.0, -1.0]]       # rows: (x1_i, x2_i)
    assert ex.y.tolist() == [2.0, -2.0]
    assert ex.w.tolist() == [0.1, -0.1] and ex.b.item() == 0.0
    assert ex.lr == 0.01 and ex.iterations == 1000


def test_gradient_descent_on_the_article_example_finds_the_minimizer_nearest_the_start():
    """J has a line of minimizers (w2 = 2, w1 + b = 0); GD only moves in the row space of
    the data, so it keeps the start's component along (1, 0, −1): w1 − b = 0.1."""
    ex = data.article_example()
    w, b = ex.w.clone().requires_grad_(), ex.b.clone().requires_grad_()
    sgd = optim.SGD([w, b], lr=ex.lr)
    for _ in range(ex.iterations):
        sgd.zero_grad()
        (0.5 * ((ex.y - (ex.x @ w + b)) ** 2).sum()).backward()
        sgd.step()
    torch.testing.assert_close(w.detach(), torch.tensor([0.05, 2.0], dtype=torch.float64))
    torch.testing.assert_close(b.detach(), torch.tensor(-0.05, dtype=torch.float64))


def test_regression_is_reproducible_and_follows_its_model():
    x, y, w, b = data.regression(1000, 3, noise=0.1, seed=4)
    x2, y2, _, _ = data.regression(1000, 3, noise=0.1, seed=4)
    assert torch.equal(x, x2) and torch.equal(y, y2)
    assert x.shape == (1000, 3) and y.shape == (1000,) and w.shape == (3,)
    assert (y - x @ w - b).std().item() == pytest.approx(0.1, rel=0.1)


def test_two_class_is_balanced_and_separated():
    x, y = data.two_class(200, separation=4.0)
    assert x.shape == (200, 2) and y.sum().item() == 100
    assert (x[y == 1].mean(0) - x[y == 0].mean(0)).tolist() == pytest.approx([4.0, 4.0], abs=0.5)


def test_digits_split():
    x_train, y_train, x_test, y_test = data.digits(test_size=500, seed=0)
    assert x_train.shape == (1297, 64) and x_test.shape == (500, 64)
    assert 0 <= x_train.min() and x_train.max() <= 1
    assert set(y_train.unique().tolist()) == set(range(10)) and y_train.dtype == torch.long
    again = data.digits(test_size=500, seed=0)
    assert torch.equal(again[0], x_train)
    # no image is in both sets
    train_rows = {tuple(r) for r in x_train.tolist()}
    assert sum(tuple(r) in train_rows for r in x_test.tolist()) < 5  # the data has a few duplicates
    with pytest.raises(ValueError, match="test_size"):
        data.digits(test_size=0)


def test_quadratic_gradient_curvature_and_bound():
    q = data.Quadratic((1.0, 10.0))
    theta = torch.tensor([2.0, -3.0], requires_grad=True)
    q(theta).backward()
    assert theta.grad.tolist() == [2.0, -30.0]
    assert q.smoothness == 10.0 and q.condition_number == 10.0
    assert q(torch.zeros(5, 7, 2)).shape == (5, 7)
    with pytest.raises(ValueError):
        data.Quadratic((1.0, -1.0))


def test_rotated_quadratic_has_the_same_curvatures_along_rotated_axes():
    import math
    q = data.Quadratic((1.0, 10.0), angle=math.pi / 6)
    hessian = torch.autograd.functional.hessian(q, torch.zeros(2, dtype=torch.float64))
    assert torch.linalg.eigvalsh(hessian).tolist() == pytest.approx([1.0, 10.0])
    axis = torch.tensor([math.cos(math.pi / 6), math.sin(math.pi / 6)], dtype=torch.float64)
    assert q(3 * axis).item() == pytest.approx(0.5 * 9)      # along the first principal axis
    assert q(torch.tensor([2.0, 0.0])).item() != data.Quadratic((1.0, 10.0))(torch.tensor([2.0, 0.0])).item()
    # the start turns with the bowl: the same value as the aligned bowl's start
    assert q(torch.tensor(q.start)).item() == pytest.approx(data.Quadratic((1.0, 10.0))(torch.tensor((-4.0, 1.0))).item())


def test_rosenbrock_minimum():
    r = data.Rosenbrock()
    theta = torch.tensor(r.minimum, requires_grad=True)
    value = r(theta)
    value.backward()
    assert value.item() == 0.0 and theta.grad.tolist() == [0.0, 0.0]
    assert r(torch.tensor([0.0, 0.0])).item() == 1.0


@pytest.mark.parametrize("call", [lambda: data.regression(0, 2), lambda: data.regression(5, 2.5),
                                  lambda: data.two_class(-1)])
def test_bad_sizes(call):
    with pytest.raises(ValueError, match="positive int"):
        call()


DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def labelled(n_per_class=(30, 15, 5), device="cpu"):
    y = torch.cat([torch.full((k,), c) for c, k in enumerate(n_per_class)])
    y = y[torch.randperm(len(y), generator=torch.Generator().manual_seed(1))]
    x = torch.arange(2 * len(y), dtype=torch.float32).reshape(len(y), 2)   # row i is (2i, 2i + 1)
    return x.to(device), y.to(device)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("stratify", [True, False])
def test_validation_split_is_a_partition_on_the_input_device(stratify, device):
    x, y = labelled(device=device)
    (x_train, y_train), (x_val, y_val) = data.validation_split(x, y, 0.2, stratify=stratify)
    assert (len(x_train), len(x_val)) == (40, 10) and len(y_train) == 40 and len(y_val) == 10
    assert {t.device.type for t in (x_train, y_train, x_val, y_val)} == {torch.device(device).type}
    rows = torch.cat([x_train[:, 0], x_val[:, 0]]).div(2).long().cpu()   # which examples went where
    assert sorted(rows.tolist()) == list(range(50))                        # disjoint and complete
    assert torch.equal(torch.cat([y_train, y_val]).cpu(), y.cpu()[rows])   # labels stay with their x
    assert torch.equal(x_val[:, 0], x_val[:, 0].sort().values)             # original order kept


def test_stratified_validation_split_keeps_each_class_share():
    x, y = labelled((30, 15, 5))
    (_, y_train), (_, y_val) = data.validation_split(x, y, 0.2)
    assert y_val.bincount().tolist() == [6, 3, 1] and y_train.bincount().tolist() == [24, 12, 4]
    # 30 % of (30, 15, 5) is (9, 4.5, 1.5): 15 in all, the two halves go to the largest remainders
    (_, y_train), (_, y_val) = data.validation_split(x, y, 0.3)
    assert len(y_val) == 15 and y_val.bincount().tolist() in ([9, 5, 1], [9, 4, 2])


def test_validation_split_is_determined_by_the_seed():
    x, y = labelled()
    for stratify in (True, False):
        first, second, other = (data.validation_split(x, y, 0.2, seed=s, stratify=stratify)[1][0]
                                for s in (0, 0, 1))
        assert torch.equal(first, second) and not torch.equal(first, other)


def test_validation_split_of_regression_targets_is_plain():
    x, y, _, _ = data.regression(20, 2)
    (x_train, y_train), (x_val, y_val) = data.validation_split(x, y, 0.25)   # stratify ignored
    assert len(x_val) == len(y_val) == 5 and len(x_train) == 15


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5, 0.001, 0.999])
def test_validation_split_rejects_a_fraction_that_leaves_a_side_empty(fraction):
    x, y = labelled()
    with pytest.raises(ValueError, match="fraction"):
        data.validation_split(x, y, fraction)


def test_validation_split_rejects_x_and_y_of_different_lengths():
    with pytest.raises(ValueError, match="same length"):
        data.validation_split(torch.zeros(5, 2), torch.zeros(4))
