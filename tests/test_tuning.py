"""descent.tuning: the learning-rate range test."""

from __future__ import annotations

import copy
import math
import random

import numpy as np
import pytest
import torch

from descent import models, tuning
from descent.check.schedules import lr_range_test_reference


def recorder(losses):
    """A train_step that returns the given losses in turn and records the rates it gets."""
    seen = []

    def train_step(lr):
        seen.append(lr)
        return losses[len(seen) - 1]
    return train_step, seen


# ------------------------------------------------------------------------------- range_test

@pytest.mark.parametrize("lr_min, lr_max, steps", [(1e-6, 10.0, 100), (1e-3, 1.0, 2), (0.5, 0.7, 7),
                                                   (1e-8, 1e8, 33)])
def test_the_rates_are_geometric_from_lr_min_to_lr_max(lr_min, lr_max, steps):
    train_step, seen = recorder([1.0] * steps)
    result = tuning.range_test(train_step, lr_min, lr_max, steps)
    assert result.lrs == seen == [lr_min * (lr_max / lr_min) ** (i / (steps - 1)) for i in range(steps)]
    assert result.lrs[0] == lr_min and result.lrs[-1] == pytest.approx(lr_max, rel=1e-12)
    assert result.lrs == pytest.approx(np.geomspace(lr_min, lr_max, steps).tolist(), rel=1e-12)
    ratios = [b / a for a, b in zip(result.lrs, result.lrs[1:])]
    assert ratios == pytest.approx([ratios[0]] * len(ratios), rel=1e-9)
    assert result.losses == [1.0] * steps


def test_stops_after_a_nan_loss_and_records_it():
    train_step, seen = recorder([3.0, 2.0, math.nan, 1.0, 1.0])
    result = tuning.range_test(train_step, 1e-3, 1.0, 5)
    assert len(seen) == 3 and result.lrs == seen
    assert result.losses[:2] == [3.0, 2.0] and math.isnan(result.losses[2])


@pytest.mark.parametrize("stop_factor, stop_at", [(4.0, 5), (2.0, 3), (10.0, None), (1.5, 3)])
def test_stops_after_a_loss_above_stop_factor_times_the_best_so_far(stop_factor, stop_at):
    losses = [5.0, 2.0, 1.0, 3.0, 4.0, 4.5, 8.0, 100.0]
    #  4.0: 4 = 4 × best is not above it, 4.5 is;  2.0: 3 > 2;  10: only 100 > 10;  1.5: 3 > 1.5
    train_step, seen = recorder(losses)
    result = tuning.range_test(train_step, 1e-4, 1.0, len(losses), stop_factor=stop_factor)
    expected = len(losses) if stop_at is None else stop_at + 1
    assert result.losses == losses[:expected] and len(seen) == expected


def test_the_first_loss_is_no_reason_to_stop_but_infinity_is():
    train_step, _ = recorder([100.0, 1.0, math.inf, 0.5])
    assert tuning.range_test(train_step, 1e-3, 1.0, 4).losses == [100.0, 1.0, math.inf]


def test_the_exercise_reference_is_this_function():
    rng = random.Random(0)
    for _ in range(100):
        steps = rng.randint(2, 40)
        losses = [rng.choice([math.nan, math.inf, 10 ** rng.uniform(-3, 3)]) if rng.random() < 0.1
                  else 10 ** rng.uniform(-1, 1) for _ in range(steps)]
        lr_min = 10 ** rng.uniform(-8, -1)
        lr_max = lr_min * 10 ** rng.uniform(0.1, 9)
        result = tuning.range_test(recorder(losses)[0], lr_min, lr_max, steps)
        expected = lr_range_test_reference(recorder(losses)[0], lr_min, lr_max, steps)
        assert result.lrs == expected[0]
        assert np.array_equal(result.losses, expected[1], equal_nan=True)


def test_the_losses_are_python_floats():
    result = tuning.range_test(lambda lr: torch.tensor(lr, dtype=torch.float64), 1e-3, 1.0, 3)
    assert all(type(loss) is float for loss in result.losses)


# ------------------------------------------------------------------------------- smoothing

def test_smoothing_by_hand():
    # s₀ = 0.02·2 = 0.04, s₁ = 0.98·0.04 + 0.02·1 = 0.0592, s₂ = 0.98·0.0592 + 0.02·3 = 0.118016
    result = tuning.RangeTest([1e-3, 1e-2, 1e-1], [2.0, 1.0, 3.0])
    assert result.smoothed == pytest.approx([0.04 / 0.02, 0.0592 / (1 - 0.98**2), 0.118016 / (1 - 0.98**3)],
                                            rel=1e-12)
    assert result.smoothed[0] == 2.0          # the bias correction: the first point is the loss itself


def test_smoothing_is_a_weighted_average_of_the_losses_so_far():
    rng = random.Random(1)
    for beta in (0.0, 0.5, 0.9, 0.98):
        losses = [rng.uniform(0, 5) for _ in range(30)]
        smoothed = tuning.smooth(losses, beta)
        for i, value in enumerate(smoothed):
            weights = [beta ** (i - j) for j in range(i + 1)]
            assert value == pytest.approx(sum(w * loss for w, loss in zip(weights, losses)) / sum(weights),
                                          rel=1e-12)
    assert tuning.smooth([1.5, 2.5], 0.0) == [1.5, 2.5]
    constant = tuning.smooth([0.7] * 50)
    assert constant == pytest.approx([0.7] * 50, rel=1e-12)


def test_a_range_test_smooths_with_beta_098():
    result = tuning.range_test(lambda lr: 1 + lr, 1e-3, 1.0, 10)
    assert result.beta == 0.98 and result.smoothed == tuning.smooth(result.losses, 0.98)


# ------------------------------------------------------------------------------- reading the curve

def curve(losses, beta=0.0, lr_min=1e-4, lr_max=1.0):
    steps = len(losses)
    lrs = [lr_min * (lr_max / lr_min) ** (i / (steps - 1)) for i in range(steps)]
    return tuning.RangeTest(lrs, list(losses), beta=beta)


def test_minimum_and_suggestion_on_a_curve_with_a_known_answer():
    #            0    1    2    3    4    5    6    7    8
    result = curve([2.0, 1.9, 1.5, 0.7, 0.5, 0.4, 0.45, 1.0, 3.0])
    assert result.smoothed == result.losses           # beta = 0: no smoothing
    assert result.minimum_lr == result.lrs[5]
    assert result.suggestion() == result.lrs[2]       # the drop 1.5 → 0.7 is the steepest


def test_the_suggestion_ignores_the_curve_after_the_minimum():
    #                                  a steeper drop after the minimum does not count
    result = curve([2.0, 1.5, 1.0, 0.2, 0.9, 5.0, 1.0, 0.5])
    assert result.minimum_lr == result.lrs[3]
    assert result.suggestion() == result.lrs[2]


def test_the_slope_is_taken_against_log_lr():
    lrs = [1e-4, 1e-3, 1.1e-3, 1e-2]                   # uneven steps in log α
    result = tuning.RangeTest(lrs, [2.0, 1.0, 0.9, 0.0], beta=0.0)
    # slopes per unit of ln α: −1/ln 10, −0.1/ln 1.1 (steepest), −0.9/ln(1/0.11)
    assert result.suggestion() == 1e-3


def test_non_finite_losses_are_ignored_by_the_minimum():
    result = curve([1.0, 0.5, 0.25, math.nan])
    assert result.minimum_lr == result.lrs[2] and result.suggestion() == result.lrs[1]
    assert result.suggestion(skip_start=0) == result.lrs[0]
    result = curve([1.0, 0.5, math.inf])
    assert result.minimum_lr == result.lrs[1]


def test_a_smoothed_curve_has_its_minimum_later_than_the_raw_one():
    # a valley in log α: the raw minimum is at the middle; the smoothing lags behind it
    steps = 60
    valley = [(i / (steps - 1) - 0.5) ** 2 + 0.1 for i in range(steps)]
    raw, smoothed = curve(valley), curve(valley, beta=0.9)
    assert raw.minimum_lr == raw.lrs[29] or raw.minimum_lr == raw.lrs[30]
    assert smoothed.minimum_lr > raw.minimum_lr
    assert raw.suggestion(skip_start=0) == raw.lrs[0]  # a parabola is steepest at its left end
    assert raw.suggestion() == raw.lrs[6]              # ... or at the first point read: ⌈0.1 · 60⌉
    assert smoothed.suggestion() < smoothed.minimum_lr


def noisy_range_curve(seed, steps=120, noise=0.05):
    """A sigmoid fall from 2.3 to 0.3 along ln α, a blow-up, and 5 % noise per batch (the
    capstone's range tests have 5 % to 9 % at their start)."""
    rng = random.Random(seed)
    losses = []
    for i in range(steps):
        u = i / (steps - 1)
        level = (0.3 + 2.0 / (1 + math.exp(20 * (u - 0.5)))) * (1 + 30 * max(0.0, u - 0.8) ** 2)
        losses.append(level * (1 + noise * rng.gauss(0, 1)))
    return curve(losses, beta=0.98, lr_min=1e-5, lr_max=10.0)


def test_the_noisy_start_is_skipped():
    # At the start the smoothed curve averages one, two, three... losses: a chance difference
    # between the first batches is its steepest drop, and reading it returns a rate near lr_min.
    misread = 0
    for seed in range(20):
        result = noisy_range_curve(seed)
        old, new = result.suggestion(skip_start=0), result.suggestion()
        misread += result.lrs.index(old) < 12
        # the fall of the sigmoid is steepest at i = 60; its steep part is 45 ≤ i ≤ 75
        assert 40 <= result.lrs.index(new) <= 80, (seed, result.lrs.index(new))
    assert misread >= 10, "the whole curve read: most seeds land in the first tenth"


def test_a_lucky_second_batch_is_not_the_steepest_descent():
    # A flat start with one low loss at i = 1, then a clean fall from i = 40 to 60.
    losses = [2.3] * 100
    losses[1] = 1.6
    for i in range(40, 100):
        losses[i] = 2.3 - 2.0 * min(1.0, (i - 40) / 20)
    result = curve(losses, beta=0.98)
    assert result.suggestion(skip_start=0) == result.lrs[0]
    assert 40 <= result.lrs.index(result.suggestion()) < 60


@pytest.mark.parametrize("steps, skip_start, first", [(20, 0.1, 2), (25, 0.1, 3), (21, 0.1, 3),
                                                      (9, 0.1, 1), (40, 0.25, 10), (40, 0.0, 0)])
def test_the_skip_is_the_first_ceil_of_skip_start_n_points(steps, skip_start, first):
    # (n − i)²: a fall that is steepest at its left end, so the first segment read wins
    result = curve([float((steps - i) ** 2) for i in range(steps)])
    assert result.suggestion(skip_start) == result.lrs[first]
    assert result.suggestion(0.0) == result.lrs[0]


@pytest.mark.parametrize("skip_start", [-0.1, 1.0, 1.5, math.nan])
def test_a_bad_skip_start_is_a_value_error(skip_start):
    with pytest.raises(ValueError, match="skip_start"):
        curve([3.0, 2.0, 1.0]).suggestion(skip_start)


def test_nothing_left_after_the_skip_is_a_value_error():
    # the minimum at point 1 of 20: within the ⌈0.1 · 20⌉ = 2 skipped points
    result = curve([2.0, 1.0] + [5.0] * 18)
    assert result.suggestion(skip_start=0) == result.lrs[0]
    with pytest.raises(ValueError, match="skipped"):
        result.suggestion()
    with pytest.raises(ValueError, match="skipped"):  # minimum at point 2: no segment 2 → 3 left
        curve([2.0, 1.5, 1.0] + [5.0] * 17).suggestion()
    result = curve([2.0, 1.5, 1.0, 0.5] + [5.0] * 16)  # minimum at point 3: segment 2 → 3 is read
    assert result.suggestion() == result.lrs[2]


def test_no_fall_no_suggestion():
    with pytest.raises(ValueError, match="lr_min"):
        curve([1.0, 2.0, 10.0]).suggestion()
    with pytest.raises(ValueError, match="finite"):
        tuning.RangeTest([1e-3], [math.nan]).minimum_lr
    result = curve([1.0, 2.0, 10.0])
    assert result.minimum_lr == result.lrs[0]


# ------------------------------------------------------------------------------- lr_range_test

class RecordingSGD(torch.optim.SGD):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rates = []

    def step(self, closure=None):
        self.rates.append([group["lr"] for group in self.param_groups])
        return super().step(closure)


def problem(seed=0, n=200, dropout=0.0):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 6, generator=generator)
    y = (x[:, 0] - x[:, 1] > 0).long() + (x[:, 2] > 1).long()
    torch.manual_seed(seed)
    model = models.mlp(6, [16], 3, norm="batch", dropout=dropout)
    return model, torch.nn.functional.cross_entropy, x, y


def snapshot(model, optimizer):
    return (copy.deepcopy(model.state_dict()), copy.deepcopy(optimizer.state_dict()),
            [None if p.grad is None else p.grad.clone() for p in model.parameters()], model.training)


def assert_same_snapshot(a, b):
    (model_a, opt_a, grads_a, mode_a), (model_b, opt_b, grads_b, mode_b) = a, b
    assert model_a.keys() == model_b.keys()
    assert all(torch.equal(model_a[k], model_b[k]) for k in model_a)
    assert opt_a["param_groups"] == opt_b["param_groups"]
    assert opt_a["state"].keys() == opt_b["state"].keys()
    for k in opt_a["state"]:
        assert opt_a["state"][k].keys() == opt_b["state"][k].keys()
        assert all(torch.equal(torch.as_tensor(opt_a["state"][k][name]), torch.as_tensor(opt_b["state"][k][name]))
                   for name in opt_a["state"][k])
    assert len(grads_a) == len(grads_b)
    assert all((g is None and h is None) or torch.equal(g, h) for g, h in zip(grads_a, grads_b))
    assert mode_a == mode_b


@pytest.mark.parametrize("make_optimizer", [
    lambda params: torch.optim.SGD(params, lr=0.05, momentum=0.9, nesterov=True),
    lambda params: torch.optim.Adam(params, lr=1e-3),
    lambda params: torch.optim.AdamW([{"params": params[:2], "lr": 1e-3}, {"params": params[2:], "lr": 1e-2}]),
], ids=["sgd-momentum", "adam", "adamw-two-groups"])
@pytest.mark.parametrize("mode", ["train", "eval"])
def test_the_model_and_the_optimizer_are_restored_exactly(make_optimizer, mode):
    model, loss_fn, x, y = problem()
    optimizer = make_optimizer(list(model.parameters()))
    for _ in range(3):                                 # momentum buffers, Adam's moments and step
        optimizer.zero_grad()
        loss_fn(model(x[:32]), y[:32]).backward()
        optimizer.step()
    model.train(mode == "train")
    before = snapshot(model, optimizer)
    result = tuning.lr_range_test(model, loss_fn, optimizer, (x, y), lr_min=1e-4, lr_max=1.0, steps=15)
    assert len(result.lrs) > 2
    assert_same_snapshot(snapshot(model, optimizer), before)
    # and training goes on exactly as if no range test had been run
    twin_model, _, _, _ = problem()
    twin_model.load_state_dict(before[0])
    twin_optimizer = make_optimizer(list(twin_model.parameters()))
    twin_optimizer.load_state_dict(before[1])
    for m, opt in ((model, optimizer), (twin_model, twin_optimizer)):
        m.train()
        opt.zero_grad()
        loss_fn(m(x[:50]), y[:50]).backward()
        opt.step()
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), twin_model.parameters()))


def test_a_fresh_optimizer_stays_without_state():
    model, loss_fn, x, y = problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    tuning.lr_range_test(model, loss_fn, optimizer, (x, y), steps=5)
    assert len(optimizer.state) == 0 and all(p.grad is None for p in model.parameters())
    assert optimizer.param_groups[0]["lr"] == 0.1 and optimizer.param_groups[0]["momentum"] == 0.9


def test_every_group_gets_the_increasing_rates_one_step_each():
    model, loss_fn, x, y = problem()
    params = list(model.parameters())
    optimizer = RecordingSGD([{"params": params[:2]}, {"params": params[2:], "lr": 0.5}], lr=0.01)
    result = tuning.lr_range_test(model, loss_fn, optimizer, (x, y), lr_min=1e-5, lr_max=1e-1, steps=12)
    assert len(result.lrs) == 12                       # small rates: no divergence
    assert optimizer.rates == [[lr, lr] for lr in result.lrs]
    assert all(a < b for a, b in zip(result.lrs, result.lrs[1:]))
    assert result.lrs[0] == 1e-5 and result.lrs[-1] == pytest.approx(1e-1)
    assert [group["lr"] for group in optimizer.param_groups] == [0.01, 0.5]


def test_a_large_rate_stops_the_test_and_the_model_is_not_left_diverged():
    model, loss_fn, x, y = problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    weights = [p.detach().clone() for p in model.parameters()]
    result = tuning.lr_range_test(model, loss_fn, optimizer, (x, y), lr_min=1e-3, lr_max=1e6,
                                  steps=60, batch_size=20)
    assert len(result.lrs) < 60
    last, best = result.losses[-1], min(result.losses[:-1])
    assert math.isnan(last) or last > 4 * best
    assert all(loss <= 4 * min(result.losses[:i + 1]) for i, loss in enumerate(result.losses[:-1]))
    assert all(torch.equal(w, p) for w, p in zip(weights, model.parameters()))
    assert result.minimum_lr < result.lrs[-1]


def test_one_pass_by_default_and_new_shuffles_when_longer():
    model, _, x, y = problem(n=100)
    sizes, targets = [], []

    def loss_fn(output, target):
        sizes.append(len(target))
        targets.append(target)
        return torch.nn.functional.cross_entropy(output, target)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    result = tuning.lr_range_test(model, loss_fn, optimizer, (x, y), lr_min=1e-5, lr_max=1e-3,
                                  batch_size=32)
    assert len(result.lrs) == 3 and sizes == [32, 32, 32]        # 100 // 32 full batches
    sizes.clear()
    tuning.lr_range_test(model, loss_fn, optimizer, (x, y), lr_min=1e-5, lr_max=1e-3, steps=10,
                         batch_size=25)
    assert sizes == [25] * 10
    # each pass of 4 batches is a permutation of the data set; the passes are shuffled anew
    passes = [torch.cat(targets[3 + 4 * k:3 + 4 * (k + 1)]) for k in range(2)]
    assert all(torch.equal(p.sort().values, y.sort().values) for p in passes)
    assert not torch.equal(passes[0], passes[1])
    sizes.clear()
    tuning.lr_range_test(model, loss_fn, optimizer, (x[:10], y[:10]), lr_min=1e-5, lr_max=1e-3,
                         steps=3, batch_size=32)
    assert sizes == [10, 10, 10]                       # fewer examples than a batch: all of them


def test_determined_by_the_seed():
    def run(seed, global_seed):
        model, loss_fn, x, y = problem(dropout=0.5)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        torch.manual_seed(global_seed)                 # dropout's masks come from the seed too
        return tuning.lr_range_test(model, loss_fn, optimizer, (x, y), steps=10, lr_min=1e-3,
                                    lr_max=1.0, seed=seed).losses
    first = run(0, 123)
    assert run(0, 456) == first
    assert run(1, 123) != first


def test_the_global_random_state_is_left_alone():
    model, loss_fn, x, y = problem(dropout=0.3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    torch.manual_seed(7)
    expected = torch.rand(5)
    torch.manual_seed(7)
    tuning.lr_range_test(model, loss_fn, optimizer, (x, y), steps=4)
    assert torch.equal(torch.rand(5), expected)


def test_the_model_is_restored_even_when_a_step_fails():
    model, _, x, y = problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    before = snapshot(model, optimizer)
    calls = []

    def loss_fn(output, target):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("boom")
        return torch.nn.functional.cross_entropy(output, target)
    with pytest.raises(RuntimeError, match="boom"):
        tuning.lr_range_test(model, loss_fn, optimizer, (x, y), steps=5)
    assert_same_snapshot(snapshot(model, optimizer), before)


# ------------------------------------------------------------------------------- errors

@pytest.mark.parametrize("kwargs, message", [
    (dict(lr_min=0.0), "lr_min"), (dict(lr_min=-1e-3), "lr_min"), (dict(lr_min=math.nan), "lr_min"),
    (dict(lr_max=1e-3), "lr_max"), (dict(lr_max=1e-4), "lr_max"), (dict(lr_max=math.nan), "lr_max"),
    (dict(steps=1), "steps"), (dict(steps=0), "steps"), (dict(steps=2.5), "steps"),
    (dict(stop_factor=1.0), "stop_factor"), (dict(stop_factor=0.5), "stop_factor"),
    (dict(stop_factor=math.nan), "stop_factor"),
])
def test_bad_arguments_are_value_errors(kwargs, message):
    arguments = dict(lr_min=1e-3, lr_max=1.0, steps=5) | kwargs
    train_step, seen = recorder([1.0] * 5)
    with pytest.raises(ValueError, match=message):
        tuning.range_test(train_step, **arguments)
    assert seen == []
    model, loss_fn, x, y = problem()
    with pytest.raises(ValueError, match=message):
        tuning.lr_range_test(model, loss_fn, torch.optim.SGD(model.parameters(), lr=0.1), (x, y), **arguments)


@pytest.mark.parametrize("batch_size", [0, -3, 2.0])
def test_a_bad_batch_size_is_a_value_error(batch_size):
    model, loss_fn, x, y = problem()
    with pytest.raises(ValueError, match="batch_size"):
        tuning.lr_range_test(model, loss_fn, torch.optim.SGD(model.parameters(), lr=0.1), (x, y),
                             batch_size=batch_size)


def test_one_batch_per_pass_needs_explicit_steps():
    model, loss_fn, x, y = problem(n=40)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="steps"):
        tuning.lr_range_test(model, loss_fn, optimizer, (x, y), batch_size=32)
    assert len(tuning.lr_range_test(model, loss_fn, optimizer, (x, y), batch_size=32, steps=4).lrs) >= 2


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_on_cuda_as_on_the_cpu_and_restored():
    model, loss_fn, x, y = problem(dropout=0.2)
    model, x, y = model.cuda(), x.cuda(), y.cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    before = snapshot(model, optimizer)
    torch.cuda.manual_seed(5)
    expected = torch.rand(3, device="cuda")
    torch.cuda.manual_seed(5)
    first = tuning.lr_range_test(model, loss_fn, optimizer, (x, y), steps=8)
    assert torch.equal(torch.rand(3, device="cuda"), expected)
    assert_same_snapshot(snapshot(model, optimizer), before)
    assert tuning.lr_range_test(model, loss_fn, optimizer, (x, y), steps=8).losses == first.losses
