"""Solutions: He (Kaiming) normal and Xavier (Glorot) uniform initialization; the second
moment after a stack of ReLU layers; what a deep ReLU network does without the gain."""

import math

import torch


def kaiming_normal_(tensor):
    """Fill `tensor` in place with N(0, 2 / fan_in); return it."""
    fan_in = tensor.shape[1] * math.prod(tensor.shape[2:])   # in_features (x kernel size)
    with torch.no_grad():
        return tensor.normal_(0.0, math.sqrt(2.0 / fan_in))


def xavier_uniform_(tensor, gain=1.0):
    """Fill `tensor` in place with U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)); return it."""
    receptive_field = math.prod(tensor.shape[2:])     # kernel size; 1 for a linear layer
    fan_in = tensor.shape[1] * receptive_field
    fan_out = tensor.shape[0] * receptive_field
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-bound, bound)


def relu_stack_second_moment(depth, in_features, width, weight_std, input_second_moment):
    """E[h_D^2] after `depth` layers h = ReLU(W h), W ~ N(0, weight_std^2), no biases."""
    variance = weight_std**2
    # layer 1: E[z^2] = in_features * variance * q, and ReLU keeps half of it
    moment = in_features * variance * input_second_moment / 2
    for _ in range(depth - 1):                        # the other layers have fan-in `width`
        moment = width * variance * moment / 2
    return moment


def predict_deep_activation_scale():
    """Weights N(0, 1/fan_in) in a 50-layer ReLU network: the activations..."""
    return "vanishes"   # each layer multiplies E[h^2] by (1/2) * fan_in * (1/fan_in) = 1/2
