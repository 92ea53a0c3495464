"""Correct answers to the exercises of the chapter performance, written differently: each
must pass."""

import pytest
import torch

from descent import check, fast


def adam_bytes_by_name(n_params, bytes_per_value):
    reads, writes = ["theta", "grad", "m", "v"], ["theta", "m", "v"]
    return (len(reads) + len(writes)) * n_params * bytes_per_value


def adam_bytes_from_the_table(n_params, bytes_per_value):
    return fast.BYTES_PER_PARAMETER["Adam"] / 4 * bytes_per_value * n_params


@pytest.mark.parametrize("formula", [adam_bytes_by_name, adam_bytes_from_the_table])
def test_adam_bytes_per_step_rewrites_pass(formula):
    result = check.adam_bytes_per_step(formula)
    assert result.passed, result.message


def roofline_from_the_rate(n_bytes, flops, bandwidth, peak_flops):
    intensity = flops / n_bytes
    return flops / min(peak_flops, bandwidth * intensity)


def roofline_by_cases(n_bytes, flops, bandwidth, peak_flops):
    memory, arithmetic = n_bytes / bandwidth, flops / peak_flops
    if memory >= arithmetic:
        return memory          # memory-bound
    return arithmetic          # compute-bound


@pytest.mark.parametrize("formula", [roofline_from_the_rate, roofline_by_cases])
def test_roofline_time_rewrites_pass(formula):
    result = check.roofline_time(formula)
    assert result.passed, result.message


def flatten_with_cat_and_views(params):
    flat = torch.cat([p.detach().reshape(-1) for p in params])
    offset = 0
    for p in params:
        p.data = flat[offset:offset + p.numel()].view(p.shape)
        offset += p.numel()
    return flat


def flatten_with_split(params):
    sizes = [p.numel() for p in params]
    flat = params[0].new_empty(sum(sizes))
    with torch.no_grad():
        for p, piece in zip(params, flat.split(sizes)):
            piece.copy_(p.flatten())
            p.data = piece.view_as(p)
    return flat


def flatten_with_narrow(params):
    flat = torch.zeros(sum(p.numel() for p in params), dtype=params[0].dtype,
                       device=params[0].device)
    start = 0
    for p in params:
        piece = flat.narrow(0, start, p.numel())
        piece.copy_(p.data.reshape(-1))
        p.data = piece.reshape(p.shape)
        start += p.numel()
    return flat


def flatten_with_torch_utilities(params):
    flat = torch.nn.utils.parameters_to_vector(params).detach()
    torch.nn.utils.vector_to_parameters(flat, params)     # sets p.data to views of flat
    return flat


@pytest.mark.parametrize("function", [flatten_with_cat_and_views, flatten_with_split,
                                      flatten_with_narrow, flatten_with_torch_utilities])
def test_flatten_parameters_rewrites_pass(function):
    result = check.flatten_parameters(function)
    assert result.passed, result.message
