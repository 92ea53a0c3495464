"""Time a whole training step, phase by phase, to see when the optimizer step matters.

``benchmarks/optimizer_step.py`` times the optimizer step alone. Whether a
faster step makes training faster depends on what else the step does: the
forward and backward passes cost about 6 floating-point operations per
parameter per example (per token for a transformer), while the optimizer
step moves about 28 bytes per parameter (Adam) whatever the batch. So,
roughly,

    step time / (forward + backward time) ≈ (28 / 6) · (FLOP/s ÷ bytes/s) / examples,

and the step matters for a small batch through many parameters, on a
processor that computes much faster than it reads memory (a GPU), and hardly
at all for a large batch of tokens. (Rough: embeddings have parameters and
little compute; attention has compute and no parameters.)

This script builds two models with ``torch.nn`` and times, in the same loop,
each phase of a training step (``zero_grad``, forward with the loss,
backward, optimizer step) and the whole, for three Adam implementations
(``torch.optim.Adam`` foreach and fused, ``descent.fast.Adam``) at each
thread count. The implementations take turns, one step each per round, in
alternating order, each on its own copy of the model:

- ``mlp``: a small MLP (784→512→512→10, batch 128) on random data;
- ``transformer``: embeddings, pre-LayerNorm transformer blocks (causal
  self-attention, MLP 4d, residuals) and an output head over a vocabulary,
  on random tokens (d = 256, 4 heads, sequence 128, batch 8).

Examples::

    python benchmarks/training_step.py                        # CPU, 1 and 2 threads
    python benchmarks/training_step.py --device cuda --threads 1 --out gpu.json
    python benchmarks/training_step.py --models mlp --mlp-batch 32 --repeats 10

``zero_grad()`` is called with torch's default ``set_to_none=True``: for
torch.optim it sets the gradients to None, and the next backward allocates
them; ``descent.fast`` zeroes its flat gradient buffer in place instead.

Nothing here is asserted by the tests (they only run it once, tiny): timings
depend on the machine. The helpers come from ``optimizer_step.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))           # this checkout's descent
sys.path.insert(0, str(Path(__file__).parent))  # optimizer_step's helpers
import optimizer_step  # noqa: E402
from descent import fast  # noqa: E402

MODELS = ["mlp", "transformer"]
IMPLEMENTATIONS: dict[str, str] = {  # key -> label in the table
    "foreach": "torch.optim.Adam, foreach",
    "fused": "torch.optim.Adam, fused",
    "fast": "descent.fast.Adam",
}
PHASES = ["zero_grad", "forward", "backward", "step"]  # in the order of the loop
REPORTED = ["forward", "backward", "step", "zero_grad", "total"]  # in the order of the table


# ---------------------------------------------------------------------------
# The models
# ---------------------------------------------------------------------------

def mlp(widths: list[int]) -> nn.Sequential:
    """Linear layers of the given widths with ReLU between them (none after the last)."""
    layers: list[nn.Module] = []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


class Block(nn.Module):
    """A pre-LayerNorm transformer block: x + attention(LN(x)), then x + MLP(LN(x))."""

    def __init__(self, d: int, heads: int) -> None:
        super().__init__()
        if d % heads:
            raise ValueError(f"the width {d} is not a multiple of the {heads} heads")
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def attention(self, x: torch.Tensor) -> torch.Tensor:
        """Causal multi-head self-attention of ``x`` (batch, sequence, d)."""
        batch, length, d = x.shape
        qkv = self.qkv(x).view(batch, length, 3, self.heads, d // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)                  # each (batch, heads, length, d/h)
        out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.proj(out.transpose(1, 2).reshape(batch, length, d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attention(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class TinyTransformer(nn.Module):
    """Token and position embeddings, ``layers`` blocks, a final LayerNorm, an output head."""

    def __init__(self, vocab: int, d: int, heads: int, length: int, layers: int) -> None:
        super().__init__()
        self.embed, self.position = nn.Embedding(vocab, d), nn.Embedding(length, d)
        self.blocks = nn.Sequential(*[Block(d, heads) for _ in range(layers)])
        self.ln, self.head = nn.LayerNorm(d), nn.Linear(d, vocab)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(tokens.shape[1], device=tokens.device)
        x = self.embed(tokens) + self.position(positions)
        return self.head(self.ln(self.blocks(x)))


@dataclass
class Workload:
    """A model on its device and one fixed batch: inputs and the targets of the loss."""

    model: nn.Module
    inputs: torch.Tensor
    targets: torch.Tensor

    def loss(self) -> torch.Tensor:
        """The forward pass: cross-entropy of the model's logits against the targets."""
        logits = self.model(self.inputs)
        return F.cross_entropy(logits.flatten(0, -2), self.targets.flatten())


def build(name: str, args: argparse.Namespace, device: torch.device) -> Workload:
    """Model ``name`` with fresh weights and a random batch, the same for every seed."""
    torch.manual_seed(args.seed)
    if name == "mlp":
        widths = args.mlp_widths
        model: nn.Module = mlp(widths)
        inputs = torch.randn(args.mlp_batch, widths[0])
        targets = torch.randint(widths[-1], (args.mlp_batch,))
    elif name == "transformer":
        model = TinyTransformer(args.vocab, args.d_model, args.heads, args.length, args.layers)
        inputs = torch.randint(args.vocab, (args.batch, args.length))
        targets = torch.randint(args.vocab, (args.batch, args.length))
    else:
        raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODELS)}")
    return Workload(model.to(device), inputs.to(device), targets.to(device))


def describe(name: str, workload: Workload) -> dict[str, Any]:
    """Parameter count, tensor count and input shape of a model, for the JSON file."""
    params = list(workload.model.parameters())
    return dict(model=name, params=sum(p.numel() for p in params), tensors=len(params),
                input_shape=list(workload.inputs.shape),
                input_dtype=str(workload.inputs.dtype).removeprefix("torch."))


def make_optimizer(implementation: str, model: nn.Module) -> torch.optim.Optimizer:
    """Adam with default arguments, implemented as ``implementation``.

    Create it after the model is on its device: ``descent.fast`` moves the
    parameters into flat buffers.
    """
    params = list(model.parameters())
    if implementation == "foreach":
        return torch.optim.Adam(params, foreach=True)
    if implementation == "fused":
        return torch.optim.Adam(params, fused=True)
    if implementation == "fast":
        return fast.Adam(params)
    raise ValueError(f"unknown implementation {implementation!r}; "
                     f"choose from {', '.join(IMPLEMENTATIONS)}")


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------

def clock(device: torch.device) -> float:
    """``time.perf_counter()`` once the device has finished its queued work."""
    optimizer_step.synchronize(device)
    return time.perf_counter()


def timed_step(workload: Workload, optimizer: torch.optim.Optimizer,
               device: torch.device) -> dict[str, float]:
    """One training step; the seconds of each phase (see PHASES) and of the whole."""
    stamps = [clock(device)]
    optimizer.zero_grad()
    stamps.append(clock(device))
    loss = workload.loss()
    stamps.append(clock(device))
    loss.backward()
    stamps.append(clock(device))
    optimizer.step()
    stamps.append(clock(device))
    seconds = {phase: end - start for phase, start, end in zip(PHASES, stamps, stamps[1:])}
    return seconds | {"total": stamps[-1] - stamps[0]}


def medians_ms(steps: list[dict[str, float]]) -> dict[str, float]:
    """The median over steps of each phase and of the total, in milliseconds."""
    return {f"{key}_ms": 1e3 * statistics.median(step[key] for step in steps)
            for key in REPORTED}


def measure(name: str, implementations: list[str], threads: int, device: torch.device,
            args: argparse.Namespace) -> list[dict[str, Any]]:
    """One row per implementation: median phase times, the implementations taking turns.

    Each implementation trains its own fresh copy of the model; every round
    runs one step of each, in alternating order, so that a slow spell of the
    machine falls on all of them alike.
    """
    torch.set_num_threads(threads)
    rows: dict[str, dict[str, Any]] = {}
    runs: dict[str, tuple[Workload, torch.optim.Optimizer]] = {}
    for implementation in implementations:
        rows[implementation] = dict(model=name, implementation=implementation,
                                    label=IMPLEMENTATIONS[implementation], threads=threads)
        try:
            workload = build(name, args, device)
            runs[implementation] = workload, make_optimizer(implementation, workload.model)
            for _ in range(args.warmup):
                timed_step(*runs[implementation], device)
        except Exception as error:  # e.g. no fused Adam on this device: record, go on
            rows[implementation]["error"] = optimizer_step.error_text(error)
            runs.pop(implementation, None)
    steps: dict[str, list[dict[str, float]]] = {implementation: [] for implementation in runs}
    for round_ in range(args.repeats):
        order = list(runs) if round_ % 2 == 0 else list(reversed(runs))
        for implementation in order:
            steps[implementation].append(timed_step(*runs[implementation], device))
    for implementation, timings in steps.items():
        times = medians_ms(timings)
        rows[implementation] |= times | {"step_share": times["step_ms"] / times["total_ms"]}
    return list(rows.values())


# ---------------------------------------------------------------------------
# The table, the options, the file
# ---------------------------------------------------------------------------

def format_row(row: dict[str, Any]) -> str:
    start = f"  {row['label']:27s} {row['threads']:7d}"
    if "error" in row:
        return f"{start}   failed: {row['error'][:60]}"
    times = " ".join(f"{row[key + '_ms']:9.2f}" for key in REPORTED)
    return f"{start} {times} {100 * row['step_share']:6.1f}%"


def format_table(result: dict[str, Any]) -> str:
    lines = [f"{result['device_name']} ({result['device']}), torch {result['torch']}: "
             f"median milliseconds over {result['repeats']} steps"]
    for name, model in result["models"].items():
        lines += ["", f"{name}: {model['params']:,} parameters in {model['tensors']} tensors, "
                  f"input {tuple(model['input_shape'])}",
                  f"  {'implementation':27s} {'threads':>7s} {'forward':>9s} {'backward':>9s} "
                  f"{'step':>9s} {'zero_grad':>9s} {'total':>9s} {'step %':>7s}"]
        lines += [format_row(row) for row in result["rows"] if row["model"] == name]
    return "\n".join(lines)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add = parser.add_argument
    add("--device", default="cpu", help="cpu or cuda (default: cpu)")
    add("--models", nargs="+", default=MODELS, choices=MODELS, metavar="NAME",
        help=f"among {', '.join(MODELS)} (default: both)")
    add("--implementations", nargs="+", default=list(IMPLEMENTATIONS),
        choices=list(IMPLEMENTATIONS), metavar="KEY",
        help=f"among {', '.join(IMPLEMENTATIONS)} (default: all)")
    add("--threads", nargs="+", type=int, default=[1, 2],
        help="CPU thread counts for PyTorch, each timed (default: 1 2)")
    add("--repeats", type=int, default=None,
        help="timed steps, the median is reported (default: 50 on CUDA, 30 on CPU)")
    add("--warmup", type=int, default=3, help="untimed steps first (default: 3)")
    add("--seed", type=int, default=0, help="seed of the weights and the data (default: 0)")
    add("--mlp-widths", nargs="+", type=int, default=[784, 512, 512, 10], metavar="N",
        help="MLP layer widths, input to classes (default: 784 512 512 10)")
    add("--mlp-batch", type=int, default=128, help="MLP batch size (default: 128)")
    add("--d-model", type=int, default=256, help="transformer width d (default: 256)")
    add("--heads", type=int, default=4, help="attention heads (default: 4)")
    add("--layers", type=int, default=1, help="transformer blocks (default: 1)")
    add("--length", type=int, default=128, help="sequence length (default: 128)")
    add("--batch", type=int, default=8, help="transformer batch size (default: 8)")
    add("--vocab", type=int, default=1000, help="vocabulary size (default: 1000)")
    add("--note", default="", help="free text saved with the results")
    add("--out", type=Path, default=None, help="write the results to this JSON file")
    args = parser.parse_args(argv)
    args.repeats = args.repeats or (50 if args.device.startswith("cuda") else 30)
    return args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_arguments(argv)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: no CUDA GPU is available")
    result = optimizer_step.machine(device)
    result.update(command=" ".join(["python", "benchmarks/training_step.py", *argv]),
                  note=args.note, repeats=args.repeats, warmup=args.warmup,
                  threads=args.threads, statistic="median",
                  optimizer="Adam, default arguments",
                  models={name: describe(name, build(name, args, device))
                          for name in args.models},
                  rows=[])
    for threads in args.threads:
        for name in args.models:
            rows = measure(name, args.implementations, threads, device, args)
            optimizer_step.free_memory(device)
            result["rows"] += rows
            for row in rows:
                print(f"  {name:12s}{format_row(row)}", flush=True)
    return optimizer_step.finish(result, format_table(result), args.out)


if __name__ == "__main__":
    main()
