"""Checks for the initialization exercises (chapter: Initialization)."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from descent.check.feedback import (Feedback, Forbidden, LearnerError, call, describe, devices,
                                    failed, forbidden_module_use, forbidding, passed, seeded)


__all__ = ["kaiming_normal_"]


def kaiming_normal_(learner: Callable) -> Feedback:
    """Check ``kaiming_normal_(tensor)``: fills tensor in place with N(0, 2/fan_in) (ReLU, fan_in)."""
    name = "kaiming_normal_"
    problem = forbidden_module_use(name, learner, KAIMING_FORBIDDEN)
    if problem:
        return problem
    try:  # seeded, so the verdict is the same at every run; the caller's RNG is restored
        with forbidding(KAIMING_FORBIDDEN), seeded():
            for device in devices():
                for shape in ((300, 100), (64, 16, 3, 3)):
                    problem = check_initializer_once(learner, name, shape, device)
                    if problem:
                        return problem
            weight = torch.nn.Parameter(torch.empty(50, 40))  # what a layer's weight is
            try:
                call(name, learner, weight)
            except LearnerError as error:
                if "leaf Variable that requires grad" in error.feedback.message:
                    return failed(f"{name} cannot fill an nn.Parameter: autograd does not allow "
                                  "in-place changes of a weight that requires grad. Fill it "
                                  "inside `with torch.no_grad():`.", "not inside torch.no_grad()")
                raise
            problem = same_numbers_twice(name, learner)
            if problem:
                return problem
    except LearnerError as error:
        return error.feedback
    return passed(f"{name} fills the tensor in place with mean 0 and std √(2/fan_in), normally "
                  "distributed, for linear and convolution weights.")


def same_numbers_twice(name: str, learner: Callable) -> Feedback | None:
    """A failure if two calls fill two fresh tensors with the same numbers (a seed inside)."""
    first, second = torch.empty(300, 200), torch.empty(300, 200)
    call(name, learner, first)
    call(name, learner, second)
    if torch.equal(first, second):
        return failed(f"{name} drew the same numbers on two calls: every layer would start "
                      "with the same weights. Do not seed the generator inside the "
                      "initializer.", "the same numbers on every call")
    return None


KAIMING_FORBIDDEN = Forbidden(functions=frozenset({"kaiming_normal_", "kaiming_normal"}),
                              modules=("torch.nn.init", "descent.init"))


def check_initializer_once(learner: Callable, name: str, shape: tuple[int, ...], device: str) -> Feedback | None:
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
        (math.sqrt(2 / math.prod(shape)), "fan_in counts every weight of the tensor",
         "fan_in is the number of inputs of one output unit: tensor.shape[1] × kernel size, "
         "not tensor.numel()."),
        (math.sqrt(2 / shape[-1]), "fan_in taken from the last dimension", "For a convolution "
         "weight (out, in, kh, kw) the last dimension is the kernel width; fan_in = in × kh × kw."),
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


# --- implement: Xavier (Glorot) uniform -------------------------------------------------------

from dataclasses import dataclass  # noqa: E402  (the imports of the exercises below)
from typing import Any  # noqa: E402

from torch import Tensor  # noqa: E402

from descent import init  # noqa: E402
from descent.check.functions import Case  # noqa: E402
from descent.check.kinds import check_formula, check_prediction  # noqa: E402
from descent.check.mistakes import Mistake  # noqa: E402

__all__ += ["xavier_uniform_", "relu_stack_second_moment", "predict_deep_activation_scale"]

XAVIER_FORBIDDEN = Forbidden(functions=frozenset({"xavier_uniform_", "xavier_uniform"}),
                             modules=("torch.nn.init", "descent.init"))


@dataclass
class InitCase:
    """One call of the learner's initializer: a NaN-filled tensor of ``shape``."""

    shape: tuple[int, ...]
    gain: float | None = None        # None: call without the gain (its default, 1)
    dtype: torch.dtype = torch.float32
    parameter: bool = False          # an nn.Parameter, which requires grad
    device: str = "cpu"

    def label(self) -> str:
        gain = "" if self.gain is None else f", gain = {self.gain:.4g}"
        kind = "nn.Parameter" if self.parameter else "tensor"
        return f"{kind} of shape {self.shape}{gain}, {self.dtype}, {self.device}"


def xavier_uniform_cases() -> list[InitCase]:
    cases = []
    for device in devices():
        cases += [InitCase((400, 300), device=device), InitCase((64, 32, 3, 3), device=device)]
    return cases + [InitCase((300, 200), gain=5 / 3, parameter=True),
                    InitCase((32, 16, 5, 5), gain=math.sqrt(2), dtype=torch.float64),
                    InitCase((200, 500), gain=0.5, parameter=True)]


def xavier_bound(shape: tuple[int, ...], gain: float) -> float:
    """The reference: a = gain·√(6/(fan_in + fan_out)), from descent.init."""
    return math.sqrt(3.0) * init.xavier_std(torch.empty(shape, device="meta"), gain)


def wrong_bounds(shape: tuple[int, ...], gain: float) -> list[tuple[float, str, str]]:
    """(bound, mistake, advice) for the usual wrong bounds of U(−a, a)."""
    fan_in, fan_out = init.fan_in_and_fan_out(torch.empty(shape, device="meta"))
    both = fan_in + fan_out
    kernel = [] if len(shape) == 2 else [
        (gain * math.sqrt(6 / (shape[0] + shape[1])), "the kernel size is missing from the fans",
         "For a convolution weight (out, in, kh, kw), fan_in = in·kh·kw and "
         "fan_out = out·kh·kw."),
        (gain * math.sqrt(6 / (shape[-1] + shape[-2])), "the fans taken from the last two "
         "dimensions", "fan_in = tensor.shape[1] × kernel size, fan_out = tensor.shape[0] × "
         "kernel size.")]
    fan_in_only = ("fan_out missing: only fan_in used", "Xavier averages both directions: "
                   "a = gain·√(6/(fan_in + fan_out)).")
    gain_ignored = [] if gain == 1 else [
        (math.sqrt(6 / both), "gain ignored", "Multiply the bound by the gain: "
         "a = gain·√(6/(fan_in + fan_out))."),
        (gain**2 * math.sqrt(6 / both), "gain squared", "The gain multiplies the bound once: "
         "a = gain·√(6/(fan_in + fan_out))."),
        (math.sqrt(6 * gain / both), "gain inside the square root", "The gain multiplies the "
         "bound: a = gain·√(6/(fan_in + fan_out)), not √(6·gain/…)."),
    ]
    return kernel + gain_ignored + [
        (gain * math.sqrt(3 / both), "bound √(3/(fan_in + fan_out)): the 3 of the uniform "
         "counted without the 2 of Xavier", "Var(w) = 2/(fan_in + fan_out) and U(−a, a) has "
         "variance a²/3, so a = √3·√(2/(fan_in + fan_out)) = √(6/(fan_in + fan_out))."),
        (gain * math.sqrt(2 / both), "the standard deviation used as the bound", "U(−a, a) has "
         "standard deviation a/√3: a = √3·σ = gain·√(6/(fan_in + fan_out))."),
        (gain * 6 / both, "square root missing", "a = gain·√(6/(fan_in + fan_out))."),
        (gain * 2 / both, "the variance used as the bound", "a = √3·σ with "
         "σ = gain·√(2/(fan_in + fan_out))."),
        (gain * math.sqrt(6) / both, "the square root taken of 6 only", "The square root "
         "covers the whole fraction: math.sqrt(6 / (fan_in + fan_out))."),
        (gain * math.sqrt(6 / fan_in), *fan_in_only),
        (gain * math.sqrt(3 / fan_in), *fan_in_only),
        (gain * math.sqrt(1 / fan_in), *fan_in_only),
        (gain * math.sqrt(6 / fan_out), "fan_in missing: only fan_out used", "Xavier averages "
         "both directions: a = gain·√(6/(fan_in + fan_out))."),
        (gain * math.sqrt(12 / both), "the fans averaged: √(6/((fan_in + fan_out)/2))",
         "a = gain·√(6/(fan_in + fan_out)): the 2 of the average is already in the 6."),
        (0.5 * gain * math.sqrt(6 / both), "(rand − 0.5)·a draws from U(−a/2, a/2)",
         "torch.rand gives U(0, 1); (2·rand − 1)·a, or tensor.uniform_(-a, a), gives U(−a, a)."),
    ]


def kurtosis(values: Tensor) -> float:
    centred = values - values.mean()
    return ((centred**4).mean() / centred.var() ** 2).item()


def xavier_uniform_once(learner: Callable, name: str, case: InitCase) -> Feedback | None:
    """Call the learner on a NaN-filled tensor; a failure, or None if the statistics are right."""
    tensor = torch.full(case.shape, float("nan"), dtype=case.dtype, device=case.device)
    if case.parameter:
        tensor = torch.nn.Parameter(tensor)
    gain = 1.0 if case.gain is None else case.gain
    try:
        out = call(name, learner, tensor, *(() if case.gain is None else (case.gain,)))
    except LearnerError as error:
        if "leaf Variable that requires grad" in error.feedback.message:
            return failed(f"{name} cannot fill an nn.Parameter ({case.label()}): autograd does "
                          "not allow in-place changes of a weight that requires grad. Fill it "
                          "inside `with torch.no_grad():`.", "not inside torch.no_grad()")
        raise
    values = tensor.detach()
    if torch.isnan(values).all():
        where = f" It returned {describe(out)} instead." if isinstance(out, Tensor) else ""
        return failed(f"{name} did not fill the tensor in place.{where} Initializers change the "
                      "given tensor: `tensor.uniform_(-a, a)` (inside torch.no_grad()).",
                      "out of place")
    if torch.isnan(values).any():
        return failed(f"{name} filled only part of the tensor ({case.label()}).", "partly filled")
    if out is None:
        return failed(f"{name} returned None. It should return the tensor it filled, like "
                      "torch.nn.init does (`return tensor`).", "returned None")
    if out is not tensor and not (isinstance(out, Tensor) and out.shape == values.shape
                                  and out.data_ptr() == values.data_ptr()):
        return failed(f"{name} should return the tensor it filled (like torch.nn.init does), "
                      f"not {describe(out)}.", "wrong return")
    if not torch.isfinite(values).all():
        return failed(f"{name} filled the tensor with NaN or infinity ({case.label()}).",
                      "not finite")
    values = values.double().flatten()
    expected = xavier_bound(case.shape, gain)
    low, high, std = values.min().item(), values.max().item(), values.std().item()
    if std == 0:
        return failed(f"{name} gave every weight the same value {high:.4g}: the weights must "
                      "be random, or every unit of the layer computes the same thing.",
                      "all weights equal")
    if torch.unique(values).numel() < 0.9 * values.numel():
        return failed(f"{name}: many weights repeat ({case.label()}): draw one independent "
                      "number per weight, e.g. tensor.uniform_(-a, a), not one per row and "
                      "broadcast.", "not one independent draw per weight")
    peakedness = kurtosis(values)
    if abs(peakedness - 3.0) < 0.4:
        return failed(f"{name}: normal instead of uniform. The values look normally distributed "
                      f"(kurtosis {peakedness:.2f}; a uniform distribution has 1.8): draw from "
                      "U(−a, a) with tensor.uniform_(-a, a), a = gain·√(6/(fan_in + fan_out)).",
                      "normal instead of uniform")
    if abs(peakedness - 1.8) > 0.25:
        return failed(f"{name}: the values are not uniformly distributed (kurtosis "
                      f"{peakedness:.2f}; U(−a, a) has 1.8), {case.label()}.", "not uniform")
    if low > -0.05 * high:
        return failed(f"{name}: U(0, a) instead of U(−a, a). All the weights are positive "
                      f"(from {low:.3g} to {high:.3g}); the interval is symmetric around 0: "
                      "tensor.uniform_(-a, a).", "U(0, a) instead of U(−a, a)")
    bound = max(-low, high)
    if abs(bound - expected) > 0.01 * expected:
        for wrong, mistake, advice in wrong_bounds(case.shape, gain):
            if abs(wrong - expected) > 0.03 * expected and abs(bound - wrong) < 0.01 * wrong:
                return failed(f"{name}: {mistake}. {advice}", mistake)
        return failed(f"{name}: the values lie in [{low:.4g}, {high:.4g}]; expected U(−a, a) "
                      f"with a = gain·√(6/(fan_in + fan_out)) = {expected:.4g} "
                      f"({case.label()}).", "wrong bound")
    if abs(high + low) > 0.02 * expected or \
            abs(values.mean().item()) > 5 * std / math.sqrt(values.numel()):
        return failed(f"{name}: the weights should be centred on 0; they lie in "
                      f"[{low:.4g}, {high:.4g}] with mean {values.mean().item():.3g}. Draw from "
                      "U(−a, a).", "mean")
    return None


def xavier_uniform_(learner: Callable) -> Feedback:
    """Check ``xavier_uniform_(tensor, gain=1.0)``: fills the tensor in place with
    U(−a, a), a = gain·√(6/(fan_in + fan_out)), and returns it."""
    name = "xavier_uniform_"
    problem = forbidden_module_use(name, learner, XAVIER_FORBIDDEN)
    if problem:
        return problem
    try:
        with forbidding(XAVIER_FORBIDDEN):
            for index, case in enumerate(xavier_uniform_cases()):
                torch.manual_seed(index)
                problem = xavier_uniform_once(learner, name, case)
                if problem:
                    return problem
            problem = same_numbers_twice(name, learner)
            if problem:
                return problem
    except LearnerError as error:
        return error.feedback
    return passed(f"{name} fills the tensor in place with U(−a, a), a = gain·√(6/(fan_in + "
                  "fan_out)), for linear and convolution weights, with and without a gain, and "
                  "returns it.")


# --- derive: the second moment after a stack of ReLU layers ----------------------------------

def relu_stack_second_moment_reference(depth: int, in_features: int, width: int,
                                       weight_std: float, input_second_moment: float, *,
                                       relu_factor: float = 0.5, halvings: str = "every layer",
                                       variance: bool = True, first_fan: str = "in_features",
                                       layers: int = 0, last: str = "output",
                                       result: str = "second moment") -> float:
    """E[h_D²] for h_k = ReLU(W_k h_{k−1}), W_k ~ N(0, σ²) i.i.d., E[x²] = q (and its mistakes):
    E[h_D²] = q · (n₀σ²/2) · (nσ²/2)^(D−1)."""
    depth = depth + layers
    s = weight_std**2 if variance else weight_std
    fan_first = width if first_fan == "width" else in_features
    fan_rest = in_features if first_fan == "in_features everywhere" else width
    factor = relu_factor if halvings == "every layer" else 1.0
    moment = input_second_moment * fan_first * s * factor * (fan_rest * s * factor) ** (depth - 1)
    if halvings == "once":
        moment *= relu_factor
    if last == "pre-activation":
        moment /= relu_factor
    return math.sqrt(moment) if result == "std" else float(moment)


def relu_stack_variant(**change: Any) -> Callable:
    return lambda *args: relu_stack_second_moment_reference(*args, **change)


RELU_STACK_MISTAKES = [
    Mistake("the variance of ReLU(z) used instead of its second moment", "The next layer "
            "needs E[h²], and E[ReLU(z)²] = ½·E[z²] exactly; ½ − 1/(2π) is Var(ReLU(z))/Var(z), "
            "which leaves out the square of ReLU's mean.",
            relu_stack_variant(relu_factor=0.5 - 1 / (2 * math.pi))),
    Mistake("the ½ of ReLU missing", "ReLU sets the negative half of a symmetric z to 0, so "
            "E[ReLU(z)²] = ½E[z²]: each layer multiplies the second moment by ½·n_in·σ².",
            relu_stack_variant(halvings="never")),
    Mistake("the ½ of ReLU counted once instead of at every layer", "Every ReLU halves the "
            "second moment: the factor is ½·n_in·σ² per layer.", relu_stack_variant(halvings="once")),
    Mistake("σ used where σ² belongs", "Var(z) = n_in·Var(w)·E[h²], and Var(w) = σ² "
            "(weight_std squared).", relu_stack_variant(variance=False)),
    Mistake("width used as the first layer's fan-in", "The first layer sees the network's "
            "input: its fan-in is in_features; the later layers' fan-in is width.",
            relu_stack_variant(first_fan="width")),
    Mistake("in_features used as every layer's fan-in", "Only the first layer sees the "
            "input; the later layers have fan-in width.",
            relu_stack_variant(first_fan="in_features everywhere")),
    Mistake("one layer too many", "D layers multiply the input's second moment by D factors: "
            "(½n₀σ²)·(½nσ²)^(D−1).", relu_stack_variant(layers=1)),
    Mistake("one layer too few", "D layers multiply the input's second moment by D factors: "
            "(½n₀σ²)·(½nσ²)^(D−1).", relu_stack_variant(layers=-1)),
    Mistake("the first layer's factor missing", "D layers multiply the input's second moment "
            "by D factors; the first one is ½·in_features·σ².",
            lambda depth, n0, n, std, q: q * (n * std**2 / 2) ** (depth - 1)),
    Mistake("the pre-activation's second moment (before the last ReLU)", "h_D = ReLU(z_D) has "
            "half the second moment of z_D.", relu_stack_variant(last="pre-activation")),
    Mistake("a standard deviation instead of the second moment", "Return E[h_D²] itself, not "
            "its square root.", relu_stack_variant(result="std")),
    Mistake("the inputs' second moment q left out", "The first layer's pre-activations have "
            "E[z₁²] = n₀σ²·q.", lambda depth, n0, n, std, q: relu_stack_second_moment_reference(
                depth, n0, n, std, 1.0)),
]

# (depth, in_features, width, weight_std, input_second_moment)
RELU_STACK_PROBLEMS = [(3, 64, 256, 0.1, 1.0), (1, 784, 100, 0.05, 0.25), (5, 10, 32, 0.25, 2.0),
                       (2, 100, 50, math.sqrt(2 / 50), 0.5), (10, 20, 128, 0.13, 1.5)]


def relu_stack_second_moment(learner: Callable) -> Feedback:
    """Check ``relu_stack_second_moment(depth, in_features, width, weight_std,
    input_second_moment)``: E[h_D²] = q·(½n₀σ²)·(½nσ²)^(D−1)."""
    cases = [Case(problem, label=f"D = {problem[0]}, in_features = {problem[1]}, width = "
                  f"{problem[2]}, σ = {problem[3]:.4g}, q = {problem[4]:g}")
             for problem in RELU_STACK_PROBLEMS]
    return check_formula(learner, name="relu_stack_second_moment",
                         reference=relu_stack_second_moment_reference, cases=cases,
                         mistakes=RELU_STACK_MISTAKES,
                         equation="E[z_k²] = n_in·σ²·E[h_{k−1}²], E[h_k²] = ½·E[z_k²]")


# --- predict: the activations of a deep ReLU network without the gain ------------------------

ACTIVATION_SCALE_CHOICES = {
    "vanishes": "that the activations vanish",
    "stays": "that the activations stay about the same size",
    "explodes": "that the activations explode",
}
ACTIVATION_SCALE_WHY_NOT = {
    "stays": "Var(w) = 1/n_in keeps the second moment of a *linear* layer's output equal to its "
             "input's, but ReLU zeroes the negative half of every pre-activation: each layer "
             "multiplies the second moment by ½·n_in·Var(w) = ½. He's 2/n_in puts the ½ back.",
    "explodes": "The factor per layer, ½·n_in·Var(w) = ½, is below 1; the signal would grow "
                "only if n_in·Var(w) were above 2.",
}


def deep_relu_activation_stds(weight_variance: Callable[[int], float], *, depth: int = 50,
                              width: int = 256, batch: int = 256, seed: int = 2) -> list[float]:
    """The standard deviation of every layer's output in a ReLU stack (no biases, float64)
    whose weights are N(0, weight_variance(fan_in))."""
    generator = torch.Generator().manual_seed(seed)
    h = torch.randn(batch, width, generator=generator, dtype=torch.float64)
    stds = []
    for _ in range(depth):
        weight = torch.randn(width, width, generator=generator, dtype=torch.float64)
        h = torch.relu(h @ (weight * math.sqrt(weight_variance(width))).T)
        stds.append(h.std().item())
    return stds


def deep_activation_experiment() -> tuple[str, str]:
    lecun = deep_relu_activation_stds(lambda fan_in: 1 / fan_in)
    he = deep_relu_activation_stds(lambda fan_in: 2 / fan_in)
    ratio = lecun[-1] / lecun[0]
    outcome = "vanishes" if ratio < 1e-3 else "explodes" if ratio > 1e3 else "stays"
    rows = "; ".join(f"layer {k}: {lecun[k - 1]:.1e} (He: {he[k - 1]:.2f})"
                     for k in (1, 10, 20, 30, 40, 50))
    evidence = (f"Standard deviation of the activations of a 50-layer ReLU network, width 256, "
                f"weights N(0, 1/n_in): {rows}. From layer 1 to 50 it shrinks by {ratio:.1e}, "
                f"close to (1/√2)^49 ≈ {2 ** -24.5:.0e}: every ReLU layer halves the second "
                "moment.")
    return outcome, evidence


def predict_deep_activation_scale(learner: Callable[[], str]) -> Feedback:
    """Check the prediction for a 50-layer ReLU network with weights N(0, 1/fan_in)."""
    return check_prediction(learner, name="predict_deep_activation_scale",
                            choices=ACTIVATION_SCALE_CHOICES,
                            experiment=deep_activation_experiment,
                            why_not=ACTIVATION_SCALE_WHY_NOT)
