"""Checks for the initialization exercises (chapter: Initialization)."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from descent.check.feedback import (Feedback, Forbidden, LearnerError, call, describe, devices,
                                    failed, forbidden_module_use, forbidding, passed)


__all__ = ["kaiming_normal_"]


def kaiming_normal_(learner: Callable) -> Feedback:
    """Check ``kaiming_normal_(tensor)``: fills tensor in place with N(0, 2/fan_in) (ReLU, fan_in)."""
    name = "kaiming_normal_"
    problem = forbidden_module_use(name, learner, KAIMING_FORBIDDEN)
    if problem:
        return problem
    try:
        with forbidding(KAIMING_FORBIDDEN):
            for device in devices():
                for shape in ((300, 100), (64, 16, 3, 3)):
                    problem = check_initializer_once(learner, name, shape, device)
                    if problem:
                        return problem
    except LearnerError as error:
        return error.feedback
    return passed(f"{name} fills the tensor in place with mean 0 and std √(2/fan_in), normally "
                  "distributed, for linear and convolution weights.")


KAIMING_FORBIDDEN = Forbidden(functions=frozenset({"kaiming_normal_", "kaiming_normal"}),
                              modules=("torch.nn.init", "descent.init"))


def check_initializer_once(learner: Callable, name: str, shape: tuple[int, ...], device: str) -> Feedback | None:
    torch.manual_seed(0)
    tensor = torch.full(shape, float("nan"), device=device)
    out = call(name, learner, tensor)
    if torch.isnan(tensor).all():
        where = f" It returned {describe(out)} instead." if out is not None else ""
        return failed(f"{name} did not fill the tensor in place.{where} Initializers change the "
                      "given tensor: use `tensor.normal_(0, std)` (inside torch.no_grad()).",
                      "out of place")
    if out is None:
        return failed(f"{name} returned None. It should return the tensor it filled, like "
                      "torch.nn.init does (`return tensor`).", "returned None")
    if out is not tensor:
        return failed(f"{name} should return the tensor it filled (like torch.nn.init does), "
                      f"not {describe(out)}.", "wrong return")
    fan_in = shape[1] * math.prod(shape[2:])
    fan_out = shape[0] * math.prod(shape[2:])
    std = tensor.std().item()
    expected = math.sqrt(2 / fan_in)
    for wrong_std, mistake, advice in [
        (math.sqrt(2 / fan_out), "fan_out used instead of fan_in",
         "He initialization in mode 'fan_in' uses fan_in = tensor.shape[1] × kernel size."),
        (math.sqrt(1 / fan_in), "the gain √2 for ReLU is missing", "std = √2/√fan_in."),
        (2 / fan_in, "variance used as the standard deviation", "Var(w) = 2/fan_in, so "
         "std = √(2/fan_in)."),
        (math.sqrt(2 / (fan_in + fan_out)), "this is Xavier's variance", "He uses 2/fan_in."),
        (math.sqrt(2 / shape[1]), "the kernel size is missing from fan_in", "For a convolution "
         "weight (out, in, kh, kw), fan_in = in × kh × kw."),
    ]:
        if abs(wrong_std - expected) > 0.05 * expected and abs(std - wrong_std) < 0.03 * wrong_std:
            return failed(f"{name}: {mistake}. {advice}", mistake)
    if abs(std - expected) > 0.03 * expected:
        return failed(f"{name}: the standard deviation is {std:.4g}; expected √(2/fan_in) = "
                      f"{expected:.4g} for shape {shape}.", "wrong std")
    # The sample mean of n draws of N(0, σ²) is within 5σ/√n of 0 (all but 1 in 10⁶).
    if abs(tensor.mean().item()) > 5 * std / math.sqrt(tensor.numel()):
        return failed(f"{name}: the weights should have mean 0, got {tensor.mean().item():.3g} "
                      f"(std {std:.3g}). Draw from N(0, σ²): `tensor.normal_(0, std)`.", "mean")
    centred = tensor - tensor.mean()
    kurtosis = ((centred**4).mean() / centred.var() ** 2).item()
    if abs(kurtosis - 1.8) < 0.3:
        return failed(f"{name}: the values look uniformly distributed (kurtosis {kurtosis:.2f}); "
                      "kaiming_normal_ draws from a normal distribution.", "uniform")
    return None
