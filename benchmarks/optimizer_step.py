"""Time one optimizer step, implementation by implementation, against the memory bandwidth.

An optimizer step is memory-bound: it reads each parameter, its gradient and
its state, and writes the parameter and the state back (28 bytes per float32
parameter for Adam). This script times one step of each implementation on a
transformer-like set of tensors, converts the time into an effective
bandwidth (bytes moved / time) and divides that by the bandwidth of a plain
``dst.copy_(src)`` on the same device: 100 % means as fast as the memory
allows.

Examples::

    python benchmarks/optimizer_step.py                      # CPU, 5 M parameters
    python benchmarks/optimizer_step.py --device cuda --params 100e6 \\
        --out benchmarks/results/gpu-h100.json

Nothing here is asserted by the tests (they only run it once, tiny): timings
depend on the machine. See benchmarks/README.md for how to read the output.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import inspect
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))  # this checkout's descent
from descent import fast, optim  # noqa: E402

# name -> hyperparameters, the same for every implementation
OPTIMIZERS: dict[str, dict[str, Any]] = {
    "Adam": dict(lr=1e-3),
    "AdamW": dict(lr=1e-3, weight_decay=1e-2),
    "SGD": dict(lr=1e-2, momentum=0.9),
    "RMSprop": dict(lr=1e-2),
}
IMPLEMENTATIONS: dict[str, str] = {  # key -> label in the table
    "reference": "descent.optim (reference)",
    "fast-eager": "descent.fast, eager",
    "fast-compiled": "descent.fast, torch.compile",
    "forloop": "torch.optim, for-loop",
    "foreach": "torch.optim, foreach",
    "fused": "torch.optim, fused",
    "compiled": "torch.compile(torch.optim step)",
}
COMPILED = {"fast-compiled", "compiled"}


# ---------------------------------------------------------------------------
# The tensors: a transformer-like mix
# ---------------------------------------------------------------------------

def transformer_shapes(n_params: float, layers: int = 16) -> list[tuple[int, ...]]:
    """Shapes of a GPT-like model with about ``n_params`` parameters in 4 + 12·layers tensors.

    Width d (a multiple of 8), vocabulary 8d, context 2d; per layer two
    layer norms (weight, bias), attention (qkv, projection) and MLP (4d)
    matrices with their biases; a final layer norm. 16 layers: 196 tensors,
    from d-element vectors to 8d×d embeddings.
    """
    d = max(8, round(math.sqrt(n_params / (10 + 12 * layers)) / 8) * 8)
    shapes: list[tuple[int, ...]] = [(8 * d, d), (2 * d, d)]          # token, position embeddings
    for _ in range(layers):
        shapes += [(d,), (d,), (3 * d, d), (3 * d,), (d, d), (d,),     # ln1, attention
                   (d,), (d,), (4 * d, d), (4 * d,), (d, 4 * d), (d,)]  # ln2, MLP
    return shapes + [(d,), (d,)]                                       # final layer norm


def make_parameters(shapes: list[tuple[int, ...]], device: torch.device,
                    seed: int = 0) -> list[torch.Tensor]:
    """Fresh float32 parameters with random gradients, on ``device``."""
    generator = torch.Generator(device).manual_seed(seed)
    params = []
    for shape in shapes:
        p = torch.randn(shape, device=device, generator=generator).requires_grad_()
        p.grad = torch.randn(shape, device=device, generator=generator)
        params.append(p)
    return params


# ---------------------------------------------------------------------------
# One implementation: build its step
# ---------------------------------------------------------------------------

def make_step(name: str, implementation: str,
              params: list[torch.Tensor]) -> Callable[[], Any]:
    """The zero-argument function that does one step of ``implementation`` of ``name``."""
    options = OPTIMIZERS[name]
    if implementation == "reference":
        return getattr(optim, name)(params, **options).step
    if implementation in ("fast-eager", "fast-compiled"):
        compile_ = implementation == "fast-compiled"
        return getattr(fast, name)(params, **options, compile=compile_).step
    torch_class = getattr(torch.optim, name)
    if implementation == "forloop":
        return torch_class(params, **options, foreach=False).step
    if implementation == "foreach":
        return torch_class(params, **options, foreach=True).step
    if implementation == "fused":
        return torch_class(params, **options, fused=True).step   # TypeError if torch has none
    if implementation == "compiled":
        optimizer = torch_class(params, **options)

        @torch.compile(fullgraph=False)
        def compiled_step() -> None:
            optimizer.step()
        return compiled_step
    raise ValueError(f"unknown implementation {implementation!r}; "
                     f"choose from {', '.join(IMPLEMENTATIONS)}")


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------

def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_call(function: Callable[[], Any], device: torch.device, warmup: int,
              repeats: int, calls_per_repeat: int) -> list[float]:
    """Seconds per call: ``warmup`` untimed calls, then ``repeats`` timed batches of calls."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeats):
        synchronize(device)
        start = time.perf_counter()
        for _ in range(calls_per_repeat):
            function()
        synchronize(device)
        times.append((time.perf_counter() - start) / calls_per_repeat)
    return times


def copy_bandwidth(n_elements: int, device: torch.device, warmup: int, repeats: int,
                   calls_per_repeat: int) -> float:
    """Bytes/s (read + write) of ``dst.copy_(src)`` on float32 tensors of ``n_elements``."""
    src = torch.randn(n_elements, device=device)
    dst = torch.empty_like(src)
    times = time_call(lambda: dst.copy_(src), device, warmup, repeats, calls_per_repeat)
    return 2 * src.numel() * src.element_size() / statistics.median(times)


def not_available(name: str, implementation: str) -> str | None:
    """Why ``implementation`` does not exist for ``name`` (None when it does)."""
    if implementation == "fused" and "fused" not in inspect.signature(
            getattr(torch.optim, name)).parameters:
        return f"torch.optim.{name} has no fused implementation"
    return None


def measure(name: str, implementation: str, shapes: list[tuple[int, ...]], n_params: int,
            device: torch.device, args: argparse.Namespace, copy_bps: float) -> dict[str, Any]:
    """One row of results: the step time of ``implementation`` of ``name``, or its error."""
    row: dict[str, Any] = dict(optimizer=name, implementation=implementation,
                               label=IMPLEMENTATIONS[implementation],
                               bytes_per_param=fast.BYTES_PER_PARAMETER[name],
                               hyperparameters=OPTIMIZERS[name])
    reason = not_available(name, implementation)
    if reason is not None:
        row["skipped"] = reason
        return row
    try:
        step = make_step(name, implementation, make_parameters(shapes, device))
        times = time_call(step, device, args.warmup, args.repeats, args.calls_per_repeat)
    except Exception as error:  # e.g. torch.compile without a working compiler: record, go on
        message = str(error).strip().splitlines()[0] if str(error).strip() else ""
        row["error"] = f"{type(error).__name__}: {message[:300]}"
        return row
    seconds = statistics.median(times)
    bandwidth = row["bytes_per_param"] * n_params / seconds
    row.update(ms=1e3 * seconds, ms_min=1e3 * min(times), ms_max=1e3 * max(times),
               GBps=bandwidth / 1e9, share_of_copy=bandwidth / copy_bps)
    return row


def free_memory(device: torch.device) -> None:
    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()


# ---------------------------------------------------------------------------
# The machine, the table, the file
# ---------------------------------------------------------------------------

def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(device: torch.device) -> dict[str, Any]:
    info: dict[str, Any] = dict(
        device=device.type, cpu=cpu_model(), cpu_count=os.cpu_count(),
        torch_threads=torch.get_num_threads(), torch=torch.__version__,
        python=platform.python_version(), platform=platform.platform(),
        date=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"))
    if hasattr(os, "getloadavg"):
        info["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    if device.type == "cuda":
        info.update(gpu=torch.cuda.get_device_name(device), cuda=torch.version.cuda)
    info["device_name"] = info.get("gpu", info["cpu"])
    return info


def outcome(row: dict[str, Any]) -> str:
    if "ms" in row:
        return f"{row['ms']:.3f} ms"
    return f"skipped: {row['skipped']}" if "skipped" in row else f"failed: {row['error']}"


def format_table(result: dict[str, Any]) -> str:
    lines = [f"{result['device_name']} ({result['device']}), torch {result['torch']}: "
             f"{result['params'] / 1e6:.2f} M parameters in {result['tensors']} tensors, "
             f"copy bandwidth {result['copy_GBps']:.1f} GB/s"]
    for name in dict.fromkeys(row["optimizer"] for row in result["rows"]):
        rows = [row for row in result["rows"] if row["optimizer"] == name]
        lines += ["", f"{name} ({rows[0]['bytes_per_param']} bytes/parameter)",
                  f"  {'implementation':34s} {'ms/step':>9s} {'GB/s':>8s} {'of copy':>8s}"]
        for row in rows:
            if "ms" not in row:
                lines.append(f"  {row['label']:34s} {'-':>9s}   {outcome(row)[:60]}")
            else:
                lines.append(f"  {row['label']:34s} {row['ms']:9.3f} {row['GBps']:8.1f} "
                             f"{100 * row['share_of_copy']:7.0f}%")
    return "\n".join(lines)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="cpu", help="cpu or cuda (default: cpu)")
    parser.add_argument("--params", type=float, default=None,
                        help="number of parameters (default: 100e6 on CUDA, 5e6 on CPU)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed repeats, the median is reported "
                             "(default: 20 on CUDA, 7 on CPU)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first (default: 3)")
    parser.add_argument("--calls-per-repeat", type=int, default=None,
                        help="steps per timed repeat (default: 10 on CUDA, 1 on CPU)")
    parser.add_argument("--optimizers", nargs="+", default=list(OPTIMIZERS),
                        choices=list(OPTIMIZERS), metavar="NAME",
                        help=f"among {', '.join(OPTIMIZERS)} (default: all)")
    parser.add_argument("--implementations", nargs="+", default=list(IMPLEMENTATIONS),
                        choices=list(IMPLEMENTATIONS), metavar="KEY",
                        help=f"among {', '.join(IMPLEMENTATIONS)} (default: all)")
    parser.add_argument("--no-compile", action="store_true",
                        help="skip the torch.compile implementations")
    parser.add_argument("--threads", type=int, default=None,
                        help="CPU threads for PyTorch (default: PyTorch's choice)")
    parser.add_argument("--note", default="", help="free text saved with the results")
    parser.add_argument("--out", type=Path, default=None,
                        help="write the results to this JSON file")
    args = parser.parse_args(argv)
    on_cuda = args.device.startswith("cuda")
    args.params = int(args.params if args.params is not None else (100e6 if on_cuda else 5e6))
    args.repeats = args.repeats or (20 if on_cuda else 7)
    args.calls_per_repeat = args.calls_per_repeat or (10 if on_cuda else 1)
    if args.no_compile:
        args.implementations = [i for i in args.implementations if i not in COMPILED]
    return args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_arguments(argv)
    device = torch.device(args.device)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: no CUDA GPU is available")
    shapes = transformer_shapes(args.params)
    n_params = sum(math.prod(shape) for shape in shapes)
    result = machine(device)
    copy_bps = copy_bandwidth(2 * n_params, device, args.warmup, args.repeats,
                              args.calls_per_repeat)
    result.update(params=n_params, tensors=len(shapes), dtype="float32",
                  copy_GBps=copy_bps / 1e9, copy_bytes=2 * 2 * n_params * 4,
                  repeats=args.repeats, warmup=args.warmup,
                  calls_per_repeat=args.calls_per_repeat, statistic="median",
                  note=args.note, rows=[])
    for name in args.optimizers:
        for implementation in args.implementations:
            row = measure(name, implementation, shapes, n_params, device, args, copy_bps)
            free_memory(device)
            result["rows"].append(row)
            print(f"  {name:8s} {row['label']:34s} {outcome(row)}", flush=True)
    if hasattr(os, "getloadavg"):
        result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print()
    print(format_table(result))
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1) + "\n")
        print(f"\nsaved {args.out}")
    return result


if __name__ == "__main__":
    main()
