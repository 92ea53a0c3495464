"""descent.schedules against torch.optim.lr_scheduler and closed forms."""

from __future__ import annotations

import math
import warnings

import pytest
import torch
from torch.optim import lr_scheduler

from descent import schedules

BASE_LR = 0.1
STEPS = 60


def optimizer():
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=BASE_LR)


def learning_rates(make_scheduler, steps=STEPS):
    """The learning rate used at steps 0..steps-1 under a torch scheduler."""
    opt = optimizer()
    scheduler = make_scheduler(opt)
    rates = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SequentialLR's deprecation chatter
        for _ in range(steps):
            rates.append(opt.param_groups[0]["lr"])
            opt.step()
            scheduler.step()
    return rates


def ours(schedule, steps=STEPS):
    return learning_rates(lambda opt: lr_scheduler.LambdaLR(opt, lr_lambda=schedule), steps)


TORCH_EQUIVALENTS = [
    ("constant", schedules.constant(), lambda o: lr_scheduler.LambdaLR(o, lambda t: 1.0)),
    ("step", schedules.step_decay(7, gamma=0.5), lambda o: lr_scheduler.StepLR(o, 7, gamma=0.5)),
    ("multi-step", schedules.multi_step([10, 25, 40], gamma=0.3),
     lambda o: lr_scheduler.MultiStepLR(o, [10, 25, 40], gamma=0.3)),
    ("exponential", schedules.exponential(0.95), lambda o: lr_scheduler.ExponentialLR(o, 0.95)),
    ("cosine", schedules.cosine(STEPS), lambda o: lr_scheduler.CosineAnnealingLR(o, STEPS)),
    ("cosine with floor", schedules.cosine(STEPS, floor=0.1),
     lambda o: lr_scheduler.CosineAnnealingLR(o, STEPS, eta_min=0.1 * BASE_LR)),
    ("warm-up", schedules.linear_warmup(10, start_factor=0.1),
     lambda o: lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=10)),
    ("warm-up then cosine", schedules.sequence([schedules.linear_warmup(10, 0.1), schedules.cosine(50)], [10]),
     lambda o: lr_scheduler.SequentialLR(o, [lr_scheduler.LinearLR(o, 0.1, total_iters=10),
                                             lr_scheduler.CosineAnnealingLR(o, 50)], milestones=[10])),
    ("product", schedules.product(schedules.exponential(0.9), schedules.step_decay(5, 0.5)),
     lambda o: lr_scheduler.ChainedScheduler([lr_scheduler.ExponentialLR(o, 0.9),
                                              lr_scheduler.StepLR(o, 5, 0.5)])),
]


@pytest.mark.parametrize("name, schedule, make_torch", TORCH_EQUIVALENTS, ids=[t[0] for t in TORCH_EQUIVALENTS])
def test_equals_torch_scheduler(name, schedule, make_torch):
    assert ours(schedule) == pytest.approx(learning_rates(make_torch), rel=1e-9, abs=1e-15)


def test_inverse_time_closed_form():
    schedule = schedules.inverse_time(decay_rate=0.5, decay_steps=10)
    assert [schedule(t) for t in (0, 10, 20, 30)] == pytest.approx([1, 1 / 1.5, 1 / 2, 1 / 2.5])


def test_cosine_stays_at_floor_after_total_steps():
    schedule = schedules.cosine(20, floor=0.05)
    assert schedule(0) == 1.0
    assert schedule(10) == pytest.approx(0.05 + 0.95 * 0.5)
    assert schedule(20) == schedule(100) == pytest.approx(0.05)


def test_warmup_from_zero():
    schedule = schedules.linear_warmup(4)
    assert [schedule(t) for t in range(6)] == [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]


def test_schedules_are_pure():
    schedule = schedules.sequence([schedules.linear_warmup(5), schedules.exponential(0.9)], [5])
    first = [schedule(t) for t in range(20)]
    assert [schedule(t) for t in reversed(range(20))][::-1] == first


@pytest.mark.parametrize("build", [
    lambda: schedules.step_decay(0), lambda: schedules.step_decay(5, gamma=0.0),
    lambda: schedules.multi_step([0, 3]), lambda: schedules.exponential(1.5),
    lambda: schedules.inverse_time(-1.0), lambda: schedules.cosine(0), lambda: schedules.cosine(10, floor=2),
    lambda: schedules.linear_warmup(10, start_factor=-0.1),
    lambda: schedules.sequence([schedules.constant()], [5]),
    lambda: schedules.sequence([schedules.constant()] * 3, [5, 5]),
    lambda: schedules.product(),
])
def test_invalid_arguments_raise_value_error(build):
    with pytest.raises(ValueError):
        build()


@pytest.mark.parametrize("t", [-1, 1.5, "3"])
def test_invalid_step_raises_value_error(t):
    with pytest.raises(ValueError, match="step"):
        schedules.cosine(10)(t)


def test_misspelt_keyword_is_an_error():
    with pytest.raises(TypeError):
        schedules.cosine(10, flor=0.1)


def test_cosine_matches_math_midpoint():
    assert schedules.cosine(100)(50) == pytest.approx(0.5 * (1 + math.cos(math.pi / 2)))
