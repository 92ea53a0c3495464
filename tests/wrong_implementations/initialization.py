"""Wrong solutions, written the way learners write them: the initialization exercises
(xavier_uniform_, relu_stack_second_moment, predict_deep_activation_scale)."""

import math

import torch

from wrong_implementations.registry import wrong


def fans(tensor):
    k = math.prod(tensor.shape[2:])
    return tensor.shape[1] * k, tensor.shape[0] * k


# --- xavier_uniform_ -------------------------------------------------------------------------

@wrong("xavier_uniform_", "normal instead of uniform")
def xavier_normal_instead(tensor, gain=1.0):
    fan_in, fan_out = fans(tensor)
    with torch.no_grad():
        return tensor.normal_(0, gain * math.sqrt(2 / (fan_in + fan_out)))


@wrong("xavier_uniform_", "normal instead of uniform")
def xavier_normal_with_the_bound(tensor, gain=1.0):
    fan_in, fan_out = fans(tensor)
    with torch.no_grad():
        return tensor.normal_(0, gain * math.sqrt(6 / (fan_in + fan_out)))


@wrong("xavier_uniform_", "bound √(3/(fan_in + fan_out)): the 3 of the uniform counted without "
                          "the 2 of Xavier")
def xavier_sqrt_3(tensor, gain=1.0):
    fan_in, fan_out = fans(tensor)
    a = gain * math.sqrt(3 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@wrong("xavier_uniform_", "the standard deviation used as the bound")
def xavier_std_as_bound(tensor, gain=1.0):
    fan_in, fan_out = fans(tensor)
    a = gain * math.sqrt(2 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@wrong("xavier_uniform_", "fan_out missing: only fan_in used")
def xavier_fan_in_only(tensor, gain=1.0):
    fan_in, _ = fans(tensor)
    a = gain * math.sqrt(6 / fan_in)
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@wrong("xavier_uniform_", "fan_out missing: only fan_in used")
def xavier_lecun_uniform(tensor, gain=1.0):
    fan_in = tensor[0].numel()
    a = gain * math.sqrt(3 / fan_in)
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@wrong("xavier_uniform_", "the kernel size is missing from the fans")
def xavier_without_kernel(tensor, gain=1.0):
    fan_out, fan_in = tensor.shape[0], tensor.shape[1]
    a = gain * math.sqrt(6 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@wrong("xavier_uniform_", "the fans taken from the last two dimensions")
def xavier_last_two_dimensions(tensor, gain=1.0):
    fan_out, fan_in = tensor.shape[-2], tensor.shape[-1]
    a = gain * math.sqrt(6 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@wrong("xavier_uniform_", "gain ignored")
def xavier_gain_ignored(tensor, gain=1.0):
    fan_in, fan_out = fans(tensor)
    a = math.sqrt(6 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@wrong("xavier_uniform_", "gain inside the square root")
def xavier_gain_under_root(tensor, gain=1.0):
    fan_in, fan_out = fans(tensor)
    a = math.sqrt(6 * gain / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@wrong("xavier_uniform_", "out of place")
def xavier_new_tensor(tensor, gain=1.0):
    fan_in, fan_out = fans(tensor)
    a = gain * math.sqrt(6 / (fan_in + fan_out))
    return (torch.rand_like(tensor) * 2 - 1) * a


@wrong("xavier_uniform_", "out of place")
def xavier_rebinds_the_name(tensor, gain=1.0):
    fan_in, fan_out = fans(tensor)
    a = gain * math.sqrt(6 / (fan_in + fan_out))
    tensor = torch.empty(tensor.shape).uniform_(-a, a)
    return tensor


@wrong("xavier_uniform_", "returned None")
def xavier_without_return(tensor, gain=1.0):
    fan_in, fan_out = fans(tensor)
    a = gain * math.sqrt(6 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.uniform_(-a, a)


@wrong("xavier_uniform_", "not inside torch.no_grad()")
def xavier_without_no_grad(tensor, gain=1.0):
    fan_in, fan_out = fans(tensor)
    a = gain * math.sqrt(6 / (fan_in + fan_out))
    return tensor.uniform_(-a, a)


@wrong("xavier_uniform_", "U(0, a) instead of U(−a, a)")
def xavier_positive_only(tensor, gain=1.0):
    fan_in, fan_out = fans(tensor)
    a = gain * math.sqrt(6 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.copy_(torch.rand_like(tensor) * a)


@wrong("xavier_uniform_", "(rand − 0.5)·a draws from U(−a/2, a/2)")
def xavier_half_interval(tensor, gain=1.0):
    fan_in, fan_out = fans(tensor)
    a = gain * math.sqrt(6 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.copy_((torch.rand_like(tensor) - 0.5) * a)


@wrong("xavier_uniform_", "the same numbers on every call")
def xavier_seeded_inside(tensor, gain=1.0):
    torch.manual_seed(0)
    fan_in, fan_out = fans(tensor)
    a = gain * math.sqrt(6 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


@wrong("xavier_uniform_", "not one independent draw per weight")
def xavier_one_row_broadcast(tensor, gain=1.0):
    fan_in, fan_out = fans(tensor)
    a = gain * math.sqrt(6 / (fan_in + fan_out))
    with torch.no_grad():
        row = torch.empty(tensor.shape[1:], dtype=tensor.dtype, device=tensor.device)
        return tensor.copy_(row.uniform_(-a, a).expand_as(tensor))


@wrong("xavier_uniform_", "forbidden call")
def xavier_from_torch(tensor, gain=1.0):
    return torch.nn.init.xavier_uniform_(tensor, gain=gain)


# --- relu_stack_second_moment ----------------------------------------------------------------

@wrong("relu_stack_second_moment", "the ½ of ReLU missing")
def moment_without_half(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    return input_second_moment * in_features * s2 * (width * s2) ** (depth - 1)


@wrong("relu_stack_second_moment", "σ used where σ² belongs")
def moment_with_std(depth, in_features, width, weight_std, input_second_moment):
    moment = input_second_moment
    for k in range(depth):
        fan_in = in_features if k == 0 else width
        moment = fan_in * weight_std * moment / 2
    return moment


@wrong("relu_stack_second_moment", "width used as the first layer's fan-in")
def moment_width_everywhere(depth, in_features, width, weight_std, input_second_moment):
    return input_second_moment * (width * weight_std**2 / 2) ** depth


@wrong("relu_stack_second_moment", "the ½ of ReLU counted once instead of at every layer")
def moment_half_once(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    return 0.5 * input_second_moment * in_features * s2 * (width * s2) ** (depth - 1)


@wrong("relu_stack_second_moment", "a standard deviation instead of the second moment")
def moment_as_std(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    return math.sqrt(input_second_moment * in_features * s2 / 2 * (width * s2 / 2) ** (depth - 1))


@wrong("relu_stack_second_moment", "one layer too many")
def moment_one_layer_too_many(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    return input_second_moment * in_features * s2 / 2 * (width * s2 / 2) ** depth


@wrong("relu_stack_second_moment", "the pre-activation's second moment (before the last ReLU)")
def moment_before_last_relu(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    return input_second_moment * in_features * s2 * (width * s2 / 2) ** (depth - 1)


@wrong("relu_stack_second_moment", "the inputs' second moment q left out")
def moment_without_q(depth, in_features, width, weight_std, input_second_moment):
    s2 = weight_std**2
    return in_features * s2 / 2 * (width * s2 / 2) ** (depth - 1)


# --- predict_deep_activation_scale ------------------------------------------------------------

@wrong("predict_deep_activation_scale", "wrong prediction")
def predict_stays():
    return "stays"


@wrong("predict_deep_activation_scale", "wrong prediction")
def predict_explodes():
    return "explodes"


@wrong("predict_deep_activation_scale", "invalid prediction")
def predict_a_sentence():
    return "it gets smaller"
