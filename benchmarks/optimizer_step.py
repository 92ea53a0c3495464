"""Time one optimizer step, implementation by implementation, against the memory bandwidth.

An optimizer step is memory-bound: it reads each parameter, its gradient and
its state, and writes the parameter and the state back (28 bytes per float32
parameter for Adam). This script times one step of each implementation on a
transformer-like set of tensors (or ``--tensors N`` equal ones), converts the
time into an effective bandwidth (bytes moved / time) and divides that by the
bandwidth of a plain ``dst.copy_(src)`` on the same device and thread count:
100 % means as fast as a copy.

The implementations of one optimizer are timed side by side: every timed
repeat runs each of them once, in alternating order, so that a change in the
machine's load (a shared machine, a laptop's turbo) affects all alike.

Examples::

    python benchmarks/optimizer_step.py                      # CPU, 5 M parameters, 1 and 2 threads
    python benchmarks/optimizer_step.py --params 19e6 --tensors 40 --optimizers Adam
    python benchmarks/optimizer_step.py --device cuda --params 100e6 \\
        --out benchmarks/results/gpu-h200.json

Nothing here is asserted by the tests (they only run it once, tiny): timings
depend on the machine. See benchmarks/README.md for how to read the output.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib.metadata
import inspect
import json
import math
import os
import platform
import statistics
import subprocess
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
    "fast": "descent.fast, default kernel",
    "fast-numba": "descent.fast, kernel='numba'",
    "fast-eager": "descent.fast, kernel='eager'",
    "fast-compiled": "descent.fast, kernel='compile'",
    "forloop": "torch.optim, for-loop",
    "foreach": "torch.optim, foreach",
    "fused": "torch.optim, fused",
    "compiled": "torch.compile(torch.optim step)",
}
COMPILED = {"fast-compiled", "compiled"}
FAST_KERNELS = {"fast": None, "fast-numba": "numba", "fast-eager": "eager",
                "fast-compiled": "compile"}


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


def equal_shapes(n_params: float, tensors: int) -> list[tuple[int, ...]]:
    """``tensors`` vectors of equal length, about ``n_params`` elements in all."""
    return [(max(1, round(n_params / tensors)),)] * tensors


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

def make_optimizer(name: str, implementation: str,
                   params: list[torch.Tensor]) -> torch.optim.Optimizer:
    """``implementation`` of optimizer ``name`` on ``params``."""
    options = OPTIMIZERS[name]
    if implementation == "reference":
        return getattr(optim, name)(params, **options)
    if implementation in FAST_KERNELS:
        return getattr(fast, name)(params, **options, kernel=FAST_KERNELS[implementation])
    torch_class = getattr(torch.optim, name)
    if implementation == "forloop":
        return torch_class(params, **options, foreach=False)
    if implementation == "foreach":
        return torch_class(params, **options, foreach=True)
    if implementation == "fused":
        return torch_class(params, **options, fused=True)   # TypeError if torch has none
    if implementation == "compiled":
        return torch_class(params, **options)
    raise ValueError(f"unknown implementation {implementation!r}; "
                     f"choose from {', '.join(IMPLEMENTATIONS)}")


def make_step(implementation: str, optimizer: torch.optim.Optimizer) -> Callable[[], Any]:
    """The zero-argument function that does one step, with a learning rate that changes.

    The learning rate (like Adam's bias corrections) changes every step, as
    under a schedule: a compiled step must not recompile for it.
    """
    base_lrs = [group["lr"] for group in optimizer.param_groups]
    count = [0]

    def set_learning_rate() -> None:
        count[0] += 1
        for group, lr in zip(optimizer.param_groups, base_lrs):
            group["lr"] = lr * (1 + 1e-3 * (count[0] % 100))

    if implementation == "compiled":
        compiled_step = torch.compile(optimizer.step, fullgraph=False)

        def step() -> None:
            set_learning_rate()
            compiled_step()
        return step

    def step() -> None:
        set_learning_rate()
        optimizer.step()
    return step


def compilations() -> int:
    """How many graphs torch.compile has compiled in this process so far."""
    from torch._dynamo.utils import counters
    return counters["stats"]["unique_graphs"]


def counting_compilations(step: Callable[[], Any], row: dict[str, Any]) -> Callable[[], Any]:
    """``step``, adding to ``row["compilations"]`` the graphs torch.compile compiles in it.

    A compiled step should compile on its first call and at most once more
    (when torch.compile sees a Python float change and makes it an input);
    a count that grows with the steps would mean one compilation per
    learning rate or bias correction.
    """
    row["compilations"] = 0

    def counted() -> Any:
        before = compilations()
        result = step()
        row["compilations"] += compilations() - before
        return result
    return counted


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------

def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_call(function: Callable[[], Any], device: torch.device, calls: int) -> float:
    """Seconds per call of ``calls`` consecutive calls."""
    synchronize(device)
    start = time.perf_counter()
    for _ in range(calls):
        function()
    synchronize(device)
    return (time.perf_counter() - start) / calls


def time_side_by_side(functions: dict[str, Callable[[], Any]], device: torch.device,
                      warmup: int, repeats: int, calls: int) -> dict[str, list[float]]:
    """Seconds per call of each function: ``warmup`` untimed calls, then ``repeats`` rounds.

    Each round times every function once (``calls`` calls), in alternating
    order, so that slow and fast spells of a shared machine fall on all of them.
    """
    for function in functions.values():
        for _ in range(warmup):
            function()
    times: dict[str, list[float]] = {key: [] for key in functions}
    for round_ in range(repeats):
        order = list(functions) if round_ % 2 == 0 else list(reversed(functions))
        for key in order:
            times[key].append(time_call(functions[key], device, calls))
    return times


def copy_bandwidth(n_elements: int, device: torch.device, warmup: int, repeats: int,
                   calls: int) -> float:
    """Bytes/s (read + write) of ``dst.copy_(src)`` on float32 tensors of ``n_elements``."""
    src = torch.randn(n_elements, device=device)
    dst = torch.empty_like(src)
    times = time_side_by_side({"copy": lambda: dst.copy_(src)}, device, warmup, repeats, calls)
    return 2 * src.numel() * src.element_size() / statistics.median(times["copy"])


def not_available(name: str, implementation: str) -> str | None:
    """Why ``implementation`` does not exist for ``name`` (None when it does)."""
    if implementation == "fused" and "fused" not in inspect.signature(
            getattr(torch.optim, name)).parameters:
        return f"torch.optim.{name} has no fused implementation"
    return None


def error_text(error: Exception) -> str:
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {message[:300]}"


def measure(name: str, implementations: list[str], shapes: list[tuple[int, ...]],
            n_params: int, device: torch.device, args: argparse.Namespace,
            copy_bps: float) -> list[dict[str, Any]]:
    """One row per implementation of ``name``, timed side by side (or its error)."""
    rows: dict[str, dict[str, Any]] = {}
    steps: dict[str, Callable[[], Any]] = {}
    for implementation in implementations:
        row = rows[implementation] = dict(
            optimizer=name, implementation=implementation, label=IMPLEMENTATIONS[implementation],
            threads=torch.get_num_threads(), bytes_per_param=fast.BYTES_PER_PARAMETER[name],
            hyperparameters=OPTIMIZERS[name])
        reason = not_available(name, implementation)
        if reason is not None:
            row["skipped"] = reason
            continue
        try:
            optimizer = make_optimizer(name, implementation, make_parameters(shapes, device))
            step = steps[implementation] = counting_compilations(
                make_step(implementation, optimizer), row)
            for _ in range(args.warmup):   # compiles now, if it compiles: not timed
                step()
            row["compilations_in_warmup"], row["compilations"] = row["compilations"], 0
            if isinstance(optimizer, fast.FlatOptimizer):
                row["kernel"] = optimizer.kernel_for(optimizer.flat_buffers()[0])
        except Exception as error:  # e.g. torch.compile without a working compiler: go on
            row["error"] = error_text(error)
            steps.pop(implementation, None)
    try:
        times = time_side_by_side(steps, device, 0, args.repeats, args.calls_per_repeat)
    except Exception as error:
        for implementation in steps:
            rows[implementation]["error"] = error_text(error)
        return list(rows.values())
    for implementation, seconds_list in times.items():
        row = rows[implementation]
        seconds = statistics.median(seconds_list)
        bandwidth = row["bytes_per_param"] * n_params / seconds
        row.update(ms=1e3 * seconds, ms_min=1e3 * min(seconds_list),
                   ms_max=1e3 * max(seconds_list), GBps=bandwidth / 1e9,
                   share_of_copy=bandwidth / copy_bps)
        row["compilations_while_timed"] = row.pop("compilations")
    return list(rows.values())


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


def package_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def git_commit() -> str | None:
    """The commit of this checkout (with "+changes" if files differ from it), or None."""
    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                                capture_output=True, text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                                 cwd=root, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("+changes" if changed else "")


def machine(device: torch.device) -> dict[str, Any]:
    info: dict[str, Any] = dict(
        device=device.type, cpu=cpu_model(), cpu_count=os.cpu_count(),
        torch_threads=torch.get_num_threads(), torch=torch.__version__,
        numba=package_version("numba"), numpy=package_version("numpy"),
        cpu_capability=torch.backends.cpu.get_cpu_capability(),
        python=platform.python_version(), platform=platform.platform(), commit=git_commit(),
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
    copies = ", ".join(f"{gbps:.1f} GB/s at {threads} thread{'s' * (threads != '1')}"
                       for threads, gbps in result["copy_GBps"].items())
    lines = [f"{result['device_name']} ({result['device']}), torch {result['torch']}: "
             f"{result['params'] / 1e6:.2f} M parameters in {result['tensors']} tensors; "
             f"copy {copies}"]
    for name in dict.fromkeys(row["optimizer"] for row in result["rows"]):
        rows = [row for row in result["rows"] if row["optimizer"] == name]
        lines += ["", f"{name} ({rows[0]['bytes_per_param']} bytes/parameter)",
                  f"  {'implementation':34s} {'threads':>7s} {'ms/step':>9s} {'GB/s':>8s} "
                  f"{'of copy':>8s}"]
        for row in rows:
            start = f"  {row['label']:34s} {row['threads']:7d}"
            if "ms" not in row:
                lines.append(f"{start} {'-':>9s}   {outcome(row)[:60]}")
            else:
                lines.append(f"{start} {row['ms']:9.3f} {row['GBps']:8.1f} "
                             f"{100 * row['share_of_copy']:7.0f}%")
    return "\n".join(lines)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add = parser.add_argument
    add("--device", default="cpu", help="cpu or cuda (default: cpu)")
    add("--params", type=float, default=None,
        help="number of parameters (default: 100e6 on CUDA, 5e6 on CPU)")
    add("--tensors", type=int, default=None,
        help="split the parameters into this many equal tensors "
             "(default: a transformer-like mix of 196 tensors)")
    add("--repeats", type=int, default=None,
        help="timed rounds, the median is reported (default: 20 on CUDA, 11 on CPU)")
    add("--warmup", type=int, default=3, help="untimed steps first (default: 3)")
    add("--calls-per-repeat", type=int, default=None,
        help="steps per timed repeat (default: 10 on CUDA, 1 on CPU)")
    add("--optimizers", nargs="+", default=list(OPTIMIZERS), choices=list(OPTIMIZERS),
        metavar="NAME", help=f"among {', '.join(OPTIMIZERS)} (default: all)")
    add("--implementations", nargs="+", default=list(IMPLEMENTATIONS),
        choices=list(IMPLEMENTATIONS), metavar="KEY",
        help=f"among {', '.join(IMPLEMENTATIONS)} (default: all)")
    add("--no-compile", action="store_true", help="skip the torch.compile implementations")
    add("--threads", nargs="+", type=int, default=None,
        help="CPU thread counts for PyTorch, each timed (default: 1 2 on CPU; "
             "PyTorch's choice on CUDA)")
    add("--note", default="", help="free text saved with the results")
    add("--out", type=Path, default=None, help="write the results to this JSON file")
    args = parser.parse_args(argv)
    on_cuda = args.device.startswith("cuda")
    args.params = int(args.params if args.params is not None else (100e6 if on_cuda else 5e6))
    args.repeats = args.repeats or (20 if on_cuda else 11)
    args.calls_per_repeat = args.calls_per_repeat or (10 if on_cuda else 1)
    args.threads = args.threads or ([torch.get_num_threads()] if on_cuda else [1, 2])
    if args.no_compile:
        args.implementations = [i for i in args.implementations if i not in COMPILED]
    return args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_arguments(argv)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: no CUDA GPU is available")
    shapes = (transformer_shapes(args.params) if args.tensors is None
              else equal_shapes(args.params, args.tensors))
    n_params = sum(math.prod(shape) for shape in shapes)
    result = machine(device)
    result.update(command=" ".join(["python", "benchmarks/optimizer_step.py", *argv]),
                  params=n_params, tensors=len(shapes), dtype="float32",
                  mix="transformer" if args.tensors is None else "equal",
                  copy_GBps={}, copy_bytes=2 * 2 * n_params * 4, threads=args.threads,
                  repeats=args.repeats, warmup=args.warmup,
                  calls_per_repeat=args.calls_per_repeat, statistic="median",
                  note=args.note, rows=[])
    for threads in args.threads:
        torch.set_num_threads(threads)
        copy_bps = copy_bandwidth(2 * n_params, device, args.warmup, args.repeats,
                                  args.calls_per_repeat)
        result["copy_GBps"][str(threads)] = copy_bps / 1e9
        for name in args.optimizers:
            rows = measure(name, args.implementations, shapes, n_params, device, args, copy_bps)
            free_memory(device)
            result["rows"] += rows
            for row in rows:
                print(f"  {name:8s} {row['label']:34s} {threads:2d} threads  {outcome(row)}",
                      flush=True)
    return finish(result, format_table(result), args.out)


def finish(result: dict[str, Any], table: str, out: Path | None) -> dict[str, Any]:
    """Record the load after the run, print ``table``, save ``result`` to ``out`` (if given)."""
    if hasattr(os, "getloadavg"):
        result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print()
    print(table)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1) + "\n")
        print(f"\nsaved {out}")
    return result


if __name__ == "__main__":
    main()
