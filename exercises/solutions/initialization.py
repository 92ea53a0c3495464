"""Solution: He (Kaiming) normal initialization for ReLU layers."""

import math

import torch


def kaiming_normal_(tensor):
    """Fill `tensor` in place with N(0, 2 / fan_in); return it."""
    fan_in = tensor.shape[1] * math.prod(tensor.shape[2:])   # in_features (x kernel size)
    with torch.no_grad():
        return tensor.normal_(0.0, math.sqrt(2.0 / fan_in))
