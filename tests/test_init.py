"""descent.init against torch.nn.init: the same draws, and the right statistics."""

from __future__ import annotations

import math

import pytest
import torch

from descent import init

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
CASES = [
    ("xavier_uniform_", {}), ("xavier_uniform_", {"gain": 5 / 3}),
    ("xavier_normal_", {}), ("xavier_normal_", {"gain": 2.0}),
    ("kaiming_uniform_", {}), ("kaiming_uniform_", {"nonlinearity": "relu"}),
    ("kaiming_uniform_", {"a": 0.2, "mode": "fan_out"}),
    ("kaiming_normal_", {}), ("kaiming_normal_", {"nonlinearity": "relu", "mode": "fan_out"}),
]
SHAPES = [(300, 200), (64, 16, 3, 3)]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name, options", CASES, ids=[f"{n}{o}" for n, o in CASES])
def test_same_draws_as_torch(name, options, shape, device):
    ours, theirs = torch.empty(shape, device=device), torch.empty(shape, device=device)
    getattr(init, name)(ours, generator=torch.Generator(device).manual_seed(0), **options)
    getattr(torch.nn.init, name)(theirs, generator=torch.Generator(device).manual_seed(0), **options)
    assert torch.equal(ours, theirs)


def expected_std(name, options, fan_in, fan_out):
    if name.startswith("xavier"):
        return options.get("gain", 1.0) * math.sqrt(2 / (fan_in + fan_out))
    fan = fan_in if options.get("mode", "fan_in") == "fan_in" else fan_out
    gain = init.calculate_gain(options.get("nonlinearity", "leaky_relu"), options.get("a", 0))
    return gain / math.sqrt(fan)


@pytest.mark.parametrize("name, options", CASES, ids=[f"{n}{o}" for n, o in CASES])
def test_statistics_over_many_draws(name, options):
    fan_out, fan_in = 400, 250
    w = getattr(init, name)(torch.empty(fan_out, fan_in), generator=torch.Generator().manual_seed(1), **options)
    std = expected_std(name, options, fan_in, fan_out)
    assert w.mean().item() == pytest.approx(0.0, abs=5 * std / math.sqrt(w.numel()))
    assert w.std().item() == pytest.approx(std, rel=0.01)
    if name.endswith("uniform_"):
        assert w.abs().max().item() <= math.sqrt(3) * std
        assert w.abs().max().item() > 0.99 * math.sqrt(3) * std


def test_fans_of_linear_and_convolution_weights():
    assert init.fan_in_and_fan_out(torch.empty(10, 20)) == (20, 10)
    assert init.fan_in_and_fan_out(torch.empty(8, 3, 5, 5)) == (75, 200)


@pytest.mark.parametrize("nonlinearity, param", [("linear", None), ("sigmoid", None), ("tanh", None),
                                                 ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2),
                                                 ("selu", None), ("conv2d", None)])
def test_gains_match_torch(nonlinearity, param):
    assert init.calculate_gain(nonlinearity, param) == torch.nn.init.calculate_gain(nonlinearity, param)


def test_bad_input_matches_torchs_errors():
    for call in [lambda m: m.xavier_uniform_(torch.empty(5)),
                 lambda m: m.kaiming_normal_(torch.empty(3, 3), mode="fan_middle"),
                 lambda m: m.calculate_gain("swish")]:
        with pytest.raises(ValueError) as theirs:
            call(torch.nn.init)
        with pytest.raises(ValueError) as ours:
            call(init)
        assert str(ours.value) == str(theirs.value)
