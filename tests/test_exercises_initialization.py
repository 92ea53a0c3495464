"""Correct rewrites of the initialization exercises: different code, the same answer; the
checks must accept every one."""

import math

import numpy as np
import pytest
import torch

from descent import check


def xavier_from_a_std(tensor, gain=1.0):
    fan_in = tensor.size(1) * tensor[0][0].numel()
    fan_out = tensor.size(0) * tensor[0][0].numel()
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std
    with torch.no_grad():
        tensor.uniform_(-a, a)
    return tensor


def xavier_with_rand(tensor, gain=1.0):
    receptive = tensor.numel() // (tensor.shape[0] * tensor.shape[1])
    a = gain * (6 / (receptive * (tensor.shape[0] + tensor.shape[1]))) ** 0.5
    with torch.no_grad():
        tensor.copy_(a * (2 * torch.rand(tensor.shape, dtype=tensor.dtype,
                                         device=tensor.device) - 1))
    return tensor


@torch.no_grad()
def xavier_through_data(tensor, gain=1.0):
    shape = np.array(tensor.shape)
    fan_in, fan_out = shape[1] * shape[2:].prod(), shape[0] * shape[2:].prod()
    bound = float(gain * np.sqrt(6 / (fan_in + fan_out)))
    return tensor.data.uniform_(-bound, bound)


@pytest.mark.parametrize("init", [xavier_from_a_std, xavier_with_rand, xavier_through_data])
def test_correct_rewrites_of_xavier_uniform_pass(init):
    result = check.xavier_uniform_(init)
    assert result.passed, result.message


def moment_closed_form(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    return input_second_moment * (in_features * s2 / 2) * (width * s2 / 2) ** (depth - 1)


def moment_through_pre_activations(depth, in_features, width, weight_std, input_second_moment):
    h2 = input_second_moment
    for layer in range(depth):
        z2 = (width if layer else in_features) * weight_std**2 * h2    # Var(z), E[z] = 0
        h2 = z2 / 2                                                    # ReLU keeps half
    return h2


def moment_in_logs(depth, in_features, width, weight_std, input_second_moment):
    log = (math.log(input_second_moment) + math.log(in_features * weight_std**2 / 2)
           + (depth - 1) * math.log(width * weight_std**2 / 2))
    return math.exp(log)


@pytest.mark.parametrize("formula", [moment_closed_form, moment_through_pre_activations,
                                     moment_in_logs])
def test_correct_rewrites_of_relu_stack_second_moment_pass(formula):
    result = check.relu_stack_second_moment(formula)
    assert result.passed, result.message


@pytest.mark.parametrize("answer", ["vanishes", "Vanishes ", "VANISHES"])
def test_the_right_prediction_passes_however_written(answer):
    assert check.predict_deep_activation_scale(lambda: answer).passed
