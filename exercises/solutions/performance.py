"""Solutions: the bytes one Adam step moves, the roofline bound, and parameters that live in
one flat buffer."""

import torch


def adam_bytes_per_step(n_params, bytes_per_value):
    # read θ, g, m, v (4 values), write θ, m, v (3 values)
    return 7 * n_params * bytes_per_value


def roofline_time(n_bytes, flops, bandwidth, peak_flops):
    # attainable FLOP/s = min(P, B·I) with I = flops / bytes, so the time is the larger of
    # the memory time and the arithmetic time
    return max(n_bytes / bandwidth, flops / peak_flops)


def flatten_parameters(params):
    total = sum(p.numel() for p in params)
    flat = torch.empty(total, dtype=params[0].dtype, device=params[0].device)
    start = 0
    for p in params:
        stop = start + p.numel()
        flat[start:stop] = p.detach().reshape(-1)     # copy the values in
        p.data = flat[start:stop].view_as(p)           # the parameter becomes a view
        start = stop
    return flat
