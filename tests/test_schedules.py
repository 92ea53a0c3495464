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


# ---------------------------------------------------------------------------------------- one cycle

def one_cycle_configs(count: int, seed: int | str = 0) -> list[dict]:
    """Random OneCycleLR settings: short and long cycles, pct_start from 0 to 1 (some giving
    a phase of no length), both strategies, two or three phases."""
    import random
    rng = random.Random(seed)
    configs = []
    for _ in range(count):
        total = rng.choice([1, 2, 3, 4, 5, 7, 10, rng.randint(1, 40), rng.randint(40, 300)])
        pct = rng.choice([0.0, 0.1, 0.25, 0.3, 0.5, 0.75, 1.0, 1 / total, min(2 / total, 1.0),
                          round(rng.random(), 3), rng.random()])
        configs.append(dict(total_steps=total, pct_start=float(pct),
                            anneal_strategy=rng.choice(["cos", "linear"]),
                            div_factor=rng.choice([25.0, 10.0, 1.0, 3.7, 1e3]),
                            final_div_factor=rng.choice([1e4, 1.0, 100.0, 0.5]),
                            three_phase=rng.random() < 0.4))
    return configs


def torch_one_cycle(config: dict, max_lr: float, kind: str, base_momentum: float, max_momentum: float):
    """The (lr, momentum) torch's OneCycleLR sets at steps 0, 1, ..., and the error that ends them."""
    parameter = torch.zeros(1, requires_grad=True)
    opt = (torch.optim.SGD([parameter], lr=0.123, momentum=0.5) if kind == "sgd"
           else torch.optim.Adam([parameter], lr=0.123, betas=(0.5, 0.999)))
    values = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            scheduler = lr_scheduler.OneCycleLR(opt, max_lr=max_lr, base_momentum=base_momentum,
                                                max_momentum=max_momentum, **config)
            for _ in range(config["total_steps"] + 2):
                group = opt.param_groups[0]
                values.append((group["lr"], group["momentum"] if kind == "sgd" else group["betas"][0]))
                opt.step()
                scheduler.step()
        except (ValueError, ZeroDivisionError) as error:
            return values, error
    raise AssertionError("OneCycleLR did not stop after total_steps")


def ours_one_cycle(config: dict, max_lr: float, base_momentum: float, max_momentum: float):
    """The same from descent.schedules, up to the first error."""
    factor = schedules.one_cycle(**config)
    momentum = schedules.one_cycle_momentum(
        config["total_steps"], base_momentum, max_momentum, pct_start=config["pct_start"],
        anneal_strategy=config["anneal_strategy"], three_phase=config["three_phase"])
    values = []
    for t in range(config["total_steps"] + 2):
        try:
            values.append((max_lr * factor(t), momentum(t)))
        except ValueError as error:
            return values, error
    raise AssertionError("one_cycle did not stop after total_steps")


@pytest.mark.parametrize("kind", ["sgd", "adam"])
@pytest.mark.parametrize("max_lr", [1.0, 0.1, 3e-4, 2.5])
def test_one_cycle_equals_one_cycle_lr_at_every_step(kind, max_lr):
    configs = one_cycle_configs(150, seed=f"{kind} {max_lr}")
    for i, config in enumerate(configs):
        momenta = [(0.85, 0.95), (0.9, 0.99), (0.0, 0.9), (0.8, 0.8)][i % 4]
        theirs, their_error = torch_one_cycle(config, max_lr, kind, *momenta)
        mine, my_error = ours_one_cycle(config, max_lr, *momenta)
        assert len(mine) == len(theirs), config          # both stop at the same step
        for (my_lr, my_momentum), (their_lr, their_momentum) in zip(mine, theirs):
            # the momentum is computed alike: the same float. The rate is α₀ · factor here and
            # an annealing between α₀/d and α₀ in torch: exact for α₀ = 1, otherwise the same
            # up to rounding errors of the size of α₀ · 10⁻¹⁶ (the annealing subtracts levels)
            assert my_momentum == their_momentum, config
            if max_lr == 1.0:
                assert my_lr == their_lr, config
            else:
                assert my_lr == pytest.approx(their_lr, rel=1e-12, abs=1e-15 * max_lr), config
        if isinstance(their_error, ZeroDivisionError):    # a phase of no length
            assert "no length" in str(my_error), config
        else:                                             # past total_steps: torch's words
            assert len(mine) == config["total_steps"] + 1
            assert str(my_error) == str(their_error)


def test_one_cycle_through_lambda_lr_equals_one_cycle_lr():
    for config in one_cycle_configs(30, seed=7):
        try:
            factor = schedules.one_cycle(**config)
            [factor(t) for t in range(config["total_steps"] + 1)]
        except ValueError:
            continue
        expected, _ = torch_one_cycle(config, BASE_LR, "sgd", 0.85, 0.95)
        total = config["total_steps"]       # LambdaLR steps past the last rate it gives
        got = ours(factor, steps=total)
        assert got == pytest.approx([lr for lr, _ in expected[:total]], rel=1e-12, abs=1e-16)


def test_one_cycle_defaults_are_torch_s():
    total = 100
    factor, momentum = schedules.one_cycle(total), schedules.one_cycle_momentum(total)
    expected, _ = torch_one_cycle(dict(total_steps=total), 1.0, "sgd", 0.85, 0.95)
    assert [(factor(t), momentum(t)) for t in range(total + 1)] == expected
    assert factor(0) == pytest.approx(1 / 25) and factor(29) == 1.0 and factor(99) == pytest.approx(1 / 25 / 1e4)
    assert momentum(0) == 0.95 and momentum(29) == 0.85 and momentum(99) == pytest.approx(0.95)


def test_one_cycle_past_total_steps_is_torch_s_value_error():
    with pytest.raises(ValueError, match="Tried to step 11 times. The specified number of total steps is 10"):
        schedules.one_cycle(10)(11)
    with pytest.raises(ValueError, match="Tried to step 11 times"):
        schedules.one_cycle_momentum(10)(11)


@pytest.mark.parametrize("total, pct, three_phase, step", [
    (10, 0.1, False, 0),     # the rise ends at step 0
    (10, 0.1, True, 0),
    (10, 1.0, False, 10),    # the fall has no length: only step total_steps reaches it
    (10, 0.55, True, 10),    # the third phase starts and ends at step 9
])
def test_a_phase_of_no_length_is_a_value_error(total, pct, three_phase, step):
    factor = schedules.one_cycle(total, pct_start=pct, three_phase=three_phase)
    momentum = schedules.one_cycle_momentum(total, pct_start=pct, three_phase=three_phase)
    for t in range(step):
        factor(t), momentum(t)
    for schedule in (factor, momentum):
        with pytest.raises(ValueError, match="no length"):
            schedule(step)
    with pytest.raises(ZeroDivisionError), warnings.catch_warnings():   # torch divides by zero
        warnings.simplefilter("ignore")
        scheduler = lr_scheduler.OneCycleLR(optimizer(), 1.0, total_steps=total, pct_start=pct,
                                            three_phase=three_phase)
        for _ in range(step):
            scheduler.optimizer.step()
            scheduler.step()


@pytest.mark.parametrize("build, message", [
    (lambda: schedules.one_cycle(10, pct_start=1.5), "pct_start"),
    (lambda: schedules.one_cycle(10, pct_start=-0.1), "pct_start"),
    (lambda: schedules.one_cycle(10, pct_start=1), "pct_start"),          # an int, as torch
    (lambda: schedules.one_cycle(10, pct_start=math.nan), "pct_start"),
    (lambda: schedules.one_cycle(10, anneal_strategy="cosine"), "anneal_strategy"),
    (lambda: schedules.one_cycle(0), "total_steps"),
    (lambda: schedules.one_cycle(10.0), "total_steps"),
    (lambda: schedules.one_cycle(10, div_factor=0.0), "div_factor"),
    (lambda: schedules.one_cycle(10, final_div_factor=-1.0), "final_div_factor"),
    (lambda: schedules.one_cycle_momentum(10, pct_start=2.0), "pct_start"),
    (lambda: schedules.one_cycle_momentum(10, anneal_strategy="lin"), "anneal_strategy"),
    (lambda: schedules.one_cycle_momentum(10, base_momentum=0.95, max_momentum=0.85), "momentum"),
    (lambda: schedules.one_cycle_momentum(10, base_momentum=-0.1), "momentum"),
])
def test_one_cycle_bad_arguments_are_value_errors(build, message):
    with pytest.raises(ValueError, match=message):
        build()


@pytest.mark.parametrize("kwargs", [dict(pct_start=1.5), dict(pct_start=-0.1), dict(pct_start=1),
                                    dict(anneal_strategy="cosine"), dict(total_steps=0)])
def test_one_cycle_argument_errors_use_torch_s_words(kwargs):
    arguments = dict(total_steps=10) | kwargs
    with pytest.raises(ValueError) as theirs:
        lr_scheduler.OneCycleLR(optimizer(), 1.0, **arguments)
    with pytest.raises(ValueError) as mine:
        schedules.one_cycle(**arguments)
    assert str(mine.value) == str(theirs.value)
