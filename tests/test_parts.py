"""Adam from parts equals descent.optim's Adam; RMSprop from parts equals its RMSprop."""

import pytest
import torch

from descent import optim, parts


def run(step, options, steps=100, seed=0):
    g = torch.Generator().manual_seed(seed)
    theta = torch.randn(4, 3, generator=g, dtype=torch.float64)
    state = {}
    for _ in range(steps):
        step(theta, torch.randn(4, 3, generator=g, dtype=torch.float64), state, **options)
    return theta


@pytest.mark.parametrize("options", [dict(lr=0.01), dict(lr=0.1, beta1=0.5, beta2=0.9, eps=1e-3),
                                     dict(lr=0.01, beta1=0.0)])
def test_adam_from_parts_equals_adam(options):
    torch.testing.assert_close(run(parts.adam_from_parts, options), run(optim.adam_step, options),
                               rtol=1e-12, atol=0)


@pytest.mark.parametrize("options", [dict(lr=0.01), dict(lr=0.001, alpha=0.9, eps=1e-3)])
def test_rmsprop_from_parts_equals_rmsprop(options):
    torch.testing.assert_close(run(parts.rmsprop_from_parts, options),
                               run(optim.rmsprop_step, options), rtol=1e-12, atol=0)


def test_parts_by_hand():
    state = {}
    assert parts.count_step(state) == 1 and parts.count_step(state) == 2
    a = parts.running_average(state, "a", torch.tensor([2.0]), beta=0.9)
    assert a.item() == pytest.approx(0.2)                      # (1 − 0.9)·2
    assert parts.bias_correction(a, 0.9, 1).item() == pytest.approx(2.0)
    assert parts.rms_scaling(torch.tensor([3.0]), torch.tensor([4.0]), 0.0).item() == 1.5
