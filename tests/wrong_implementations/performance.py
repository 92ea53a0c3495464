"""Wrong solutions, written the way learners write them: the bytes an Adam step moves, the
roofline bound, and the flat parameter buffer (chapter: How fast can an optimizer step be?)."""

import torch

from wrong_implementations.registry import wrong

# --- The bytes one Adam step moves (derive) ----------------------------------------------

@wrong("adam_bytes_per_step", "only the reads counted")
def adam_bytes_reads(n_params, bytes_per_value):
    return 4 * n_params * bytes_per_value            # θ, g, m, v


@wrong("adam_bytes_per_step", "the gradient forgotten")
def adam_bytes_no_gradient(n_params, bytes_per_value):
    reads = 3 * n_params * bytes_per_value           # θ, m, v
    writes = 3 * n_params * bytes_per_value          # θ, m, v
    return reads + writes


@wrong("adam_bytes_per_step", "bits, not bytes")
def adam_bytes_in_bits(n_params, bytes_per_value):
    return 7 * n_params * bytes_per_value * 8


@wrong("adam_bytes_per_step", "float32 assumed")
def adam_bytes_float32(n_params, bytes_per_value):
    return 28 * n_params


@wrong("adam_bytes_per_step", "the gradient written back")
def adam_bytes_all_four_both_ways(n_params, bytes_per_value):
    return 2 * 4 * n_params * bytes_per_value        # θ, g, m, v read and written


@wrong("adam_bytes_per_step", "this is SGD with momentum's count")
def adam_bytes_like_sgd(n_params, bytes_per_value):
    return 5 * n_params * bytes_per_value


@wrong("adam_bytes_per_step", "bytes per value ignored")
def adam_bytes_values(n_params, bytes_per_value):
    return 7 * n_params


# --- The roofline bound (derive) -----------------------------------------------------------

@wrong("roofline_time", "the two times added")
def roofline_sum(n_bytes, flops, bandwidth, peak_flops):
    return n_bytes / bandwidth + flops / peak_flops


@wrong("roofline_time", "min instead of max")
def roofline_min(n_bytes, flops, bandwidth, peak_flops):
    return min(n_bytes / bandwidth, flops / peak_flops)


@wrong("roofline_time", "only the memory time")
def roofline_memory(n_bytes, flops, bandwidth, peak_flops):
    intensity = flops / n_bytes
    return flops / (bandwidth * intensity)


@wrong("roofline_time", "only the arithmetic time")
def roofline_compute(n_bytes, flops, bandwidth, peak_flops):
    return flops / peak_flops


@wrong("roofline_time", "returned the attainable FLOP/s, not the time")
def roofline_rate(n_bytes, flops, bandwidth, peak_flops):
    return min(peak_flops, bandwidth * flops / n_bytes)


# --- The flat parameter buffer (implement) ------------------------------------------------

@wrong("flatten_parameters", "parameters are not views of the buffer")
def flatten_with_cat(params):
    return torch.cat([p.detach().flatten() for p in params])


@wrong("flatten_parameters", "parameters are not views of the buffer")
def flatten_rebinding(params):
    flat = torch.cat([p.detach().reshape(-1) for p in params])
    start = 0
    for p in params:
        p = flat[start:start + p.numel()].view_as(p)   # only rebinds the name p
        start += p.numel()
    return flat


@wrong("flatten_parameters", "values not copied")
def flatten_without_copy(params):
    flat = torch.zeros(sum(p.numel() for p in params), dtype=params[0].dtype)
    start = 0
    for p in params:
        p.data = flat[start:start + p.numel()].view(p.shape)
        start += p.numel()
    return flat


@wrong("flatten_parameters", "offset not advanced")
def flatten_same_offset(params):
    flat = torch.empty(sum(p.numel() for p in params), dtype=params[0].dtype)
    for p in params:
        n = p.numel()
        flat[:n].copy_(p.detach().flatten())
        p.data = flat[:n].view_as(p)
    return flat


@wrong("flatten_parameters", "wrong dtype")
def flatten_default_dtype(params):
    flat = torch.empty(sum(p.numel() for p in params))
    start = 0
    for p in params:
        flat[start:start + p.numel()] = p.detach().flatten()
        p.data = flat[start:start + p.numel()].view_as(p)
        start += p.numel()
    return flat


@wrong("flatten_parameters", "wrong shape")
def flatten_aligned_like_descent_fast(params):
    # pads every parameter to a multiple of 16 elements, as descent.fast does for alignment
    sizes = [-(-p.numel() // 16) * 16 for p in params]
    flat = torch.zeros(sum(sizes), dtype=params[0].dtype)
    start = 0
    for p, size in zip(params, sizes):
        flat[start:start + p.numel()] = p.detach().flatten()
        p.data = flat[start:start + p.numel()].view_as(p)
        start += size
    return flat


@wrong("adam_bytes_per_step", "not in bytes")
def adam_bytes_in_megabytes(n_params, bytes_per_value):
    return 7 * n_params * bytes_per_value / 1e6


@wrong("adam_bytes_per_step", "per parameter, not for n parameters")
def adam_bytes_per_parameter(n_params, bytes_per_value):
    return 7 * bytes_per_value


@wrong("roofline_time", "not in seconds")
def roofline_in_milliseconds(n_bytes, flops, bandwidth, peak_flops):
    return max(n_bytes / bandwidth, flops / peak_flops) * 1e3


@wrong("roofline_time", "multiplied by the rates")
def roofline_multiplied(n_bytes, flops, bandwidth, peak_flops):
    return max(n_bytes * bandwidth, flops * peak_flops)
