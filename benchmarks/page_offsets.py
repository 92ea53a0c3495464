"""Does it matter where in a 4 KiB page an optimizer's buffers start? (4K aliasing)

Large allocations all start at the same offset within a memory page, so
element i of the parameter, gradient and state buffers share their low 12
address bits, and a processor that predicts load-after-store dependencies
from those bits stalls on false ones. ``descent.fast.flat_zeros`` starts
each flat buffer of a bucket 1088 bytes further into the page. This script
times PyTorch's fused Adam kernel on four buffers at the same page offset
and on four staggered ones, the two taking turns, and prints the median of
the paired ratios (above 1: staggering is faster).

    python benchmarks/page_offsets.py                  # 19 M parameters, 1 thread
    python benchmarks/page_offsets.py --params 5e6 --threads 2
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))  # this checkout's descent
from descent.fast import flat_zeros  # noqa: E402


def adam_buffers(n: int, staggered: bool) -> list[torch.Tensor]:
    """θ, g, m, v: either at one page offset (plain allocations) or staggered."""
    like = torch.empty(0)
    buffers = [flat_zeros(like, n, index) if staggered else torch.zeros(n) for index in range(4)]
    for buffer in buffers[:3]:
        buffer.normal_()
    buffers[3].uniform_()                              # v ≥ 0
    return buffers


def fused_adam(param: torch.Tensor, grad: torch.Tensor, exp_avg: torch.Tensor,
               exp_avg_sq: torch.Tensor) -> None:
    torch._fused_adam_([param], [grad], [exp_avg], [exp_avg_sq], [], [torch.tensor(5.0)],
                       lr=1e-3, beta1=0.9, beta2=0.999, weight_decay=0.0, eps=1e-8,
                       amsgrad=False, maximize=False)


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--params", type=float, default=19e6, help="elements per buffer")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (default: 1)")
    parser.add_argument("--rounds", type=int, default=21, help="paired rounds (default: 21)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    n = int(args.params)
    same, staggered = adam_buffers(n, False), adam_buffers(n, True)
    print("page offsets (bytes):", [t.data_ptr() % 4096 for t in same], "and",
          [t.data_ptr() % 4096 for t in staggered])
    times: dict[str, list[float]] = {"same": [], "staggered": []}
    for round_ in range(args.rounds + 1):
        order = [("same", same), ("staggered", staggered)]
        for key, buffers in order if round_ % 2 else order[::-1]:
            start = time.perf_counter()
            fused_adam(*buffers)
            if round_ > 0:                             # round 0 warms up
                times[key].append(time.perf_counter() - start)
    ratio = statistics.median(a / b for a, b in zip(times["same"], times["staggered"]))
    print(f"fused Adam, {n / 1e6:.1f} M parameters, {args.threads} thread(s): "
          f"same offset {1e3 * statistics.median(times['same']):.2f} ms, staggered "
          f"{1e3 * statistics.median(times['staggered']):.2f} ms; "
          f"median paired ratio {ratio:.3f}")
    return ratio


if __name__ == "__main__":
    main()
