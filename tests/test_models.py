"""descent.models.mlp: the layers it builds, their sizes, and its errors."""

from __future__ import annotations

import math

import pytest
import torch

from descent import models

NORMS = {None: None, "batch": torch.nn.BatchNorm1d, "layer": torch.nn.LayerNorm}


def expected_types(hidden, norm, activation, dropout):
    types = []
    for _ in hidden:
        types.append(torch.nn.Linear)
        if norm is not None:
            types.append(NORMS[norm])
        types.append(activation)
        if dropout > 0:
            types.append(torch.nn.Dropout)
    return types + [torch.nn.Linear]


@pytest.mark.parametrize("norm", list(NORMS))
@pytest.mark.parametrize("dropout", [0.0, 0.25])
@pytest.mark.parametrize("activation", [torch.nn.ReLU, torch.nn.Tanh, torch.nn.GELU])
@pytest.mark.parametrize("hidden", [[], [7], [16, 8], [5, 5, 5, 5]])
def test_layer_structure(norm, dropout, activation, hidden):
    model = models.mlp(12, hidden, 3, norm=norm, activation=activation, dropout=dropout)
    assert isinstance(model, torch.nn.Sequential)
    assert [type(layer) for layer in model] == expected_types(hidden, norm, activation, dropout)
    linears = [layer for layer in model if isinstance(layer, torch.nn.Linear)]
    widths = [12, *hidden, 3]
    assert [(lin.in_features, lin.out_features) for lin in linears] == list(zip(widths, widths[1:]))
    assert all(lin.bias is not None for lin in linears)
    norms = [layer for layer in model if isinstance(layer, (torch.nn.BatchNorm1d, torch.nn.LayerNorm))]
    if norm == "batch":
        assert [n.num_features for n in norms] == hidden
    elif norm == "layer":
        assert [n.normalized_shape for n in norms] == [(h,) for h in hidden]
    else:
        assert norms == []
    assert all(d.p == dropout for d in model if isinstance(d, torch.nn.Dropout))


def test_the_norm_sits_between_the_linear_map_and_the_activation():
    model = models.mlp(4, [6], 2, norm="batch", dropout=0.5)
    assert [type(layer).__name__ for layer in model] == ["Linear", "BatchNorm1d", "ReLU", "Dropout", "Linear"]


@pytest.mark.parametrize("norm", list(NORMS))
@pytest.mark.parametrize("batch", [2, 5, 33])
def test_output_shape(norm, batch):
    torch.manual_seed(0)
    model = models.mlp(64, [32, 16], 10, norm=norm, dropout=0.1)
    x = torch.randn(batch, 64)
    assert model(x).shape == (batch, 10)
    model.eval()
    assert model(x[:1]).shape == (1, 10)       # one example is fine in evaluation mode
    assert models.mlp(3, [], 1)(torch.randn(batch, 3)).shape == (batch, 1)


def test_torch_s_default_initialization_seeded():
    torch.manual_seed(3)
    ours = models.mlp(5, [4], 2, norm="layer")
    torch.manual_seed(3)
    theirs = torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.LayerNorm(4), torch.nn.ReLU(),
                                 torch.nn.Linear(4, 2))
    assert ours.state_dict().keys() == theirs.state_dict().keys()
    assert all(torch.equal(a, b) for a, b in zip(ours.state_dict().values(), theirs.state_dict().values()))


def test_dropout_acts_in_training_mode_only():
    torch.manual_seed(1)
    model = models.mlp(8, [64], 4, dropout=0.5)
    x = torch.randn(3, 8)
    assert not torch.equal(model(x), model(x))
    model.eval()
    assert torch.equal(model(x), model(x))


def test_batchnorm_uses_the_batch_in_training_and_running_statistics_in_evaluation():
    torch.manual_seed(2)
    model = models.mlp(3, [5], 2, norm="batch")
    x = 10 * torch.randn(16, 3) + 4
    model(x)
    assert not torch.equal(model[1].running_mean, torch.zeros(5))
    hidden = model[1](model[0](x))
    torch.testing.assert_close(hidden.mean(0), model[1].bias.detach(), atol=1e-5, rtol=0)
    model.eval()
    assert not torch.allclose(model[1](model[0](x)).mean(0), model[1].bias.detach(), atol=1e-3)


@pytest.mark.parametrize("norm", ["group", "Batch", "instance", "", False])
def test_unknown_norm_is_a_value_error(norm):
    with pytest.raises(ValueError, match="norm"):
        models.mlp(4, [4], 2, norm=norm)


@pytest.mark.parametrize("dropout", [-0.1, 1.0, 1.5, math.nan])
def test_dropout_outside_zero_one_is_a_value_error(dropout):
    with pytest.raises(ValueError, match="dropout"):
        models.mlp(4, [4], 2, dropout=dropout)
