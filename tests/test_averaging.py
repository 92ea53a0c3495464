"""descent.averaging against torch.optim.swa_utils (AveragedModel, get_ema_avg_fn, update_bn)."""

from __future__ import annotations

import math
import random

import pytest
import torch
from torch.optim import swa_utils

from descent import averaging

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
DECAYS = [0.0, 0.5, 0.9, 0.99, 0.999, 1.0]


def bn_model(seed: int, dtype: torch.dtype = torch.float32, device: str = "cpu") -> torch.nn.Module:
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(),
                               torch.nn.Linear(8, 6), torch.nn.BatchNorm1d(6, momentum=0.3),
                               torch.nn.Tanh(), torch.nn.Linear(6, 2)).to(device, dtype)


def training_steps(model: torch.nn.Module, steps: int, seed: int):
    """SGD with momentum on random regression batches; yields after every optimizer step."""
    generator = torch.Generator().manual_seed(seed)
    parameter = next(model.parameters())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    model.train()
    for _ in range(steps):
        x = torch.randn(16, 5, generator=generator, dtype=parameter.dtype).to(parameter.device)
        y = torch.randn(16, 2, generator=generator, dtype=parameter.dtype).to(parameter.device)
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        yield


def assert_same_state(ours: torch.nn.Module, theirs: torch.nn.Module, exact: bool = True) -> None:
    """The same state_dict (keys, dtypes, devices, values); to the bit when ``exact`` on the CPU."""
    a, b = ours.state_dict(), theirs.state_dict()
    assert list(a) == list(b)
    for key in a:
        assert a[key].dtype == b[key].dtype and a[key].device == b[key].device, key
        if exact and a[key].device.type == "cpu":
            assert torch.equal(a[key], b[key]), key
        else:
            torch.testing.assert_close(a[key], b[key], msg=key)


def run_both(make_ours, make_theirs, *, steps: int = 12, every: int = 1, seed: int = 0,
             dtype: torch.dtype = torch.float32, device: str = "cpu", exact: bool = True):
    """Train a model, update both averaged models every ``every`` steps, compare after each update."""
    model = bn_model(seed, dtype, device)
    ours, theirs = make_ours(model), make_theirs(model)
    assert_same_state(ours, theirs)
    for step, _ in enumerate(training_steps(model, steps, seed), start=1):
        if step % every == 0:
            ours.update_parameters(model)
            theirs.update_parameters(model)
            assert_same_state(ours, theirs, exact)
    assert ours.n_averaged.item() == theirs.n_averaged.item() == steps // every
    return model, ours, theirs


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("use_buffers", [False, True])
def test_swa_equals_torch(device, dtype, use_buffers):
    for seed, every, steps in ((0, 1, 6), (1, 3, 9)):
        run_both(lambda m: averaging.AveragedModel(m, use_buffers=use_buffers),
                 lambda m: swa_utils.AveragedModel(m, use_buffers=use_buffers),
                 seed=seed, every=every, steps=steps, dtype=dtype, device=device,
                 exact=device == "cpu")  # on CUDA torch takes a fused lerp


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("use_buffers", [False, True])
def test_ema_equals_torch(device, dtype, use_buffers):
    for decay in DECAYS:
        run_both(lambda m: averaging.AveragedModel(m, avg_fn=averaging.ema_average(decay),
                                                   use_buffers=use_buffers),
                 lambda m: swa_utils.AveragedModel(m, avg_fn=swa_utils.get_ema_avg_fn(decay),
                                                   use_buffers=use_buffers),
                 steps=5, seed=int(decay * 1000), dtype=dtype, device=device)


@pytest.mark.parametrize("use_buffers", [False, True])
def test_ema_is_torch_s_multi_tensor_ema_up_to_rounding(use_buffers):
    # get_ema_multi_avg_fn takes torch.lerp: θ̄ + (1 − β)(θ − θ̄), the same number up to rounding
    for decay in (0.5, 0.9, 0.999):
        run_both(lambda m: averaging.AveragedModel(m, avg_fn=averaging.ema_average(decay),
                                                   use_buffers=use_buffers),
                 lambda m: swa_utils.AveragedModel(m, multi_avg_fn=swa_utils.get_ema_multi_avg_fn(decay),
                                                   use_buffers=use_buffers),
                 steps=6, dtype=torch.float64, exact=False)


def test_the_averaging_functions_are_torch_s():
    rng = random.Random(0)
    for _ in range(50):
        shape = tuple(rng.randint(1, 4) for _ in range(rng.randint(0, 3)))
        dtype = rng.choice([torch.float32, torch.float64])
        averaged, current = torch.randn(shape, dtype=dtype), torch.randn(shape, dtype=dtype)
        n = rng.choice([0, 1, 2, 7, 100])
        for count in (n, torch.tensor(n)):
            assert torch.equal(averaging.swa_average()(averaged, current, count),
                               swa_utils.get_swa_avg_fn()(averaged, current, count))
        decay = rng.choice(DECAYS + [rng.random()])
        assert torch.equal(averaging.ema_average(decay)(averaged, current, n),
                           swa_utils.get_ema_avg_fn(decay)(averaged, current, n))


def test_swa_is_the_mean_and_ema_the_weighted_sum_of_the_weights_seen():
    model = bn_model(3, torch.float64)
    swa = averaging.AveragedModel(model)
    decay = 0.8
    ema = averaging.AveragedModel(model, avg_fn=averaging.ema_average(decay))
    seen = []
    for _ in training_steps(model, 6, 3):
        swa.update_parameters(model)
        ema.update_parameters(model)
        seen.append([p.detach().clone() for p in model.parameters()])
    for i, (s, e) in enumerate(zip(swa.module.parameters(), ema.module.parameters())):
        history = [weights[i] for weights in seen]
        torch.testing.assert_close(s, sum(history) / len(history))
        # the first update copies θ_1: θ̄ = β^(n−1) θ_1 + Σ_{t ≥ 2} (1 − β) β^(n−t) θ_t
        n = len(history)
        expected = decay ** (n - 1) * history[0] + sum((1 - decay) * decay ** (n - t) * history[t - 1]
                                                      for t in range(2, n + 1))
        torch.testing.assert_close(e, expected)


def test_the_first_update_copies_and_the_buffers_follow_the_model_unless_averaged():
    model = bn_model(4)
    averaged = averaging.AveragedModel(model, avg_fn=averaging.ema_average(0.5))
    steps = training_steps(model, 3, 4)
    next(steps)
    averaged.update_parameters(model)
    assert_same_state(averaged.module, model)
    next(steps)
    averaged.update_parameters(model)
    assert not torch.equal(averaged.module[0].weight, model[0].weight)
    for mine, theirs in zip(averaged.module.buffers(), model.buffers()):   # copied, not averaged
        assert torch.equal(mine, theirs)
    with_buffers = averaging.AveragedModel(model, avg_fn=averaging.ema_average(0.5), use_buffers=True)
    with_buffers.update_parameters(model)
    before = model[1].running_mean.clone()
    next(steps)
    with_buffers.update_parameters(model)
    torch.testing.assert_close(with_buffers.module[1].running_mean, 0.5 * before + 0.5 * model[1].running_mean)


def test_decay_one_keeps_the_first_weights_and_zero_the_last():
    model = bn_model(5)
    keep = averaging.AveragedModel(model, avg_fn=averaging.ema_average(1.0))
    last = averaging.AveragedModel(model, avg_fn=averaging.ema_average(0.0))
    for step, _ in enumerate(training_steps(model, 4, 5)):
        keep.update_parameters(model)
        last.update_parameters(model)
        if step == 0:
            first = [p.detach().clone() for p in model.parameters()]
    assert all(torch.equal(a, b) for a, b in zip(keep.module.parameters(), first))
    assert all(torch.equal(a, b) for a, b in zip(last.module.parameters(), model.parameters()))


def test_forward_runs_the_averaged_copy_and_the_model_is_not_touched():
    model = bn_model(6).eval()
    original = {k: v.clone() for k, v in model.state_dict().items()}
    averaged = averaging.AveragedModel(model).eval()
    x = torch.randn(4, 5)
    assert torch.equal(averaged(x), model(x))
    training_model = bn_model(6)
    for _ in training_steps(training_model, 3, 6):
        averaged.update_parameters(training_model)
    assert torch.equal(averaged(x), averaged.module(x))
    assert not torch.equal(averaged(x), model(x))
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in original.items())
    assert averaged.module is not model
    assert not any(p is q for p in averaged.parameters() for q in model.parameters())


def test_state_dict_is_torch_s():
    model = bn_model(7)
    ours, theirs = averaging.AveragedModel(model), swa_utils.AveragedModel(model)
    for _ in training_steps(model, 3, 7):
        theirs.update_parameters(model)
    ours.load_state_dict(theirs.state_dict())
    assert_same_state(ours, theirs)
    assert ours.n_averaged.item() == 3


@pytest.mark.parametrize("device", DEVICES)
def test_device_argument(device):
    model = bn_model(8)                                  # on the CPU
    ours = averaging.AveragedModel(model, device=device)
    theirs = swa_utils.AveragedModel(model, device=device)
    assert all(p.device.type == device for p in ours.parameters())
    assert all(b.device.type == device for b in ours.buffers())
    assert ours.n_averaged.device.type == device
    for _ in training_steps(model, 4, 8):
        ours.update_parameters(model)
        theirs.update_parameters(model)
    assert_same_state(ours, theirs)
    assert all(p.device.type == "cpu" for p in model.parameters())


@pytest.mark.parametrize("decay", [-0.1, 1.1, -1e-12, 1 + 1e-12, 2.0])
def test_decay_outside_the_unit_interval_is_a_value_error_as_in_torch(decay):
    with pytest.raises(ValueError) as theirs:
        swa_utils.get_ema_avg_fn(decay)
    with pytest.raises(ValueError) as ours:
        averaging.ema_average(decay)
    assert str(ours.value) == str(theirs.value)


def test_nan_decay_is_a_value_error():
    with pytest.raises(ValueError):
        averaging.ema_average(math.nan)


# ------------------------------------------------------------------------------------------ update_bn

def bn_batches(seed: int, *, tuples: bool, count: int = 5, sizes=(16, 16, 9, 16, 3)):
    generator = torch.Generator().manual_seed(seed)
    for size in sizes[:count]:
        x = 3 * torch.randn(size, 5, generator=generator) + 1
        yield (x, torch.randn(size, 2, generator=generator)) if tuples else x


@pytest.mark.parametrize("tuples", [False, True])
@pytest.mark.parametrize("training", [False, True])
def test_update_bn_equals_torch(tuples, training):
    model = bn_model(9)
    averaged = averaging.AveragedModel(model)
    for _ in training_steps(model, 5, 9):
        averaged.update_parameters(model)
    ours, theirs = averaged, swa_utils.AveragedModel(model)
    theirs.load_state_dict(ours.state_dict())
    ours.train(training)
    theirs.train(training)
    averaging.update_bn(list(bn_batches(9, tuples=tuples)), ours)
    swa_utils.update_bn(list(bn_batches(9, tuples=tuples)), theirs)
    assert_same_state(ours, theirs)
    assert ours.training == training and all(m.training == training for m in ours.modules())
    assert ours.module[1].momentum == 0.1 and ours.module[4].momentum == 0.3      # restored
    assert ours.module[1].num_batches_tracked.item() == 5


def test_update_bn_takes_the_plain_average_of_the_batch_statistics():
    model = torch.nn.Sequential(torch.nn.BatchNorm1d(3))
    batches = [torch.randn(n, 3, generator=torch.Generator().manual_seed(n)) for n in (4, 7, 5)]
    averaging.update_bn(batches, model)
    torch.testing.assert_close(model[0].running_mean, sum(b.mean(0) for b in batches) / 3)
    torch.testing.assert_close(model[0].running_var, sum(b.var(0) for b in batches) / 3)


def test_update_bn_with_a_generator_a_2d_batchnorm_and_the_device_argument():
    torch.manual_seed(10)
    model = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.BatchNorm2d(3), torch.nn.ReLU(),
                                torch.nn.Flatten(), torch.nn.Linear(12, 4), torch.nn.BatchNorm1d(4))
    twin = swa_utils.AveragedModel(model).module
    make = lambda: ((torch.randn(6, 2, 4, 4, generator=torch.Generator().manual_seed(i)), i)  # noqa: E731
                    for i in range(4))
    averaging.update_bn(make(), model, device="cpu")
    swa_utils.update_bn(make(), twin, device="cpu")
    assert_same_state(model, twin)


def test_update_bn_without_batchnorm_does_nothing():
    model = torch.nn.Sequential(torch.nn.Linear(5, 3), torch.nn.LayerNorm(3)).eval()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    averaging.update_bn([torch.randn(4, 5)], model)
    assert not model.training
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in before.items())


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_update_bn_moves_cpu_batches_to_the_device():
    model = bn_model(11, device="cuda")
    twin = swa_utils.AveragedModel(model).module
    averaging.update_bn(bn_batches(11, tuples=True), model, device="cuda")
    swa_utils.update_bn(bn_batches(11, tuples=True), twin, device="cuda")
    assert_same_state(model, twin)


@pytest.mark.parametrize("use_buffers", [False, True])
def test_multi_avg_fn_is_used_as_in_torch(use_buffers):
    """torch's own in-place list updates (get_ema_multi_avg_fn) give torch's numbers."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
    ours = averaging.AveragedModel(model, multi_avg_fn=swa_utils.get_ema_multi_avg_fn(0.8),
                                   use_buffers=use_buffers)
    theirs = swa_utils.AveragedModel(model, multi_avg_fn=swa_utils.get_ema_multi_avg_fn(0.8),
                                     use_buffers=use_buffers)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(4):
        model(torch.randn(8, 3)).square().mean().backward()
        optimizer.step()
        optimizer.zero_grad()
        ours.update_parameters(model)
        theirs.update_parameters(model)
    for (name, a), b in zip(ours.state_dict().items(), theirs.state_dict().values(), strict=True):
        assert torch.equal(a, b), name
