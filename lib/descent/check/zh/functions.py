"""descent.check.functions's texts in Chinese (see descent.check.language)."""

MESSAGES = {
    # The names of the failures (Feedback.mistake): plain labels.
    "wrong type":
        "类型错误",
    "not differentiable":
        "不可求导",
    "returned None":
        "返回了 None",
    "not finite":
        "结果不是有限值",
    "wrong gradient":
        "梯度错误",
    "input modified":
        "修改了输入",
}

TEMPLATES = {
    # diagnose: {detail} is "largest difference …" (zh/feedback.py) or "expected …, got …".
    # A value followed by "." keeps that "." (not "。"): the value is found up to the first "."
    # after it, and a number, a dtype (torch.float32) or an equation has one of its own. The
    # "." becomes "。" afterwards (zh/feedback.py's PATTERNS).
    "{name} returns a different value from the reference ({first.label}): {detail}.{hint} Check the equation: {equation}.":
        "{name} 的返回值与参考实现不同（{first.label}）：{detail}.{hint} 请检查公式：{equation}.",
    "{fallback.message} ({first.label}) Check the equation: {equation}.":
        "{fallback.message}（{first.label}）请检查公式：{equation}.",
    "{name} matches the reference on all {len(cases)} test cases.":
        "{name} 在全部 {len(cases)} 个测试用例上都与参考实现一致。",
    # check_outputs; {describe(got)} is "一个形状为 … 的张量，dtype 为 …" or a Python value.
    "{name} should return {len(expected)} values, as a tuple; got {describe(got)}.":
        "{name} 应以元组的形式返回 {len(expected)} 个值，实际得到的是{describe(got)}.",
    "{name} returned {len(got_outputs)} values; expected {len(expected_outputs)}.":
        "{name} 返回了 {len(got_outputs)} 个值，应返回 {len(expected_outputs)} 个。",
    "{name} returned {describe(got)}; return a Python float (`math.cos`, not `torch.cos`, or `.item()`).":
        "{name} 返回了{describe(got)}；请返回 Python float（用 `math.cos` 而不是 `torch.cos`，或者用 `.item()`）。",
    "{name} returned None. Did you forget `return`?":
        "{name} 返回了 None。是不是忘了写 `return`？",
    "{name} returned {got}, which is not finite.":
        "{name} 返回了 {got}，这不是有限值。",
    # compare_gradients
    "{name} returned a value that autograd cannot differentiate. Keep the computation in tensors (no `.item()`, `float(...)` or `.detach()`).":
        "{name} 返回的值无法由 autograd 求导。请全程用张量计算（不要用 `.item()`、`float(...)` 或 `.detach()`）。",
    "{name} has the right value but the wrong gradient. Avoid in-place tricks and `.detach()` inside the formula.":
        "{name} 的值是对的，但梯度不对。不要在公式里使用原地操作之类的技巧，也不要用 `.detach()`。",
    "{name} changed one of its inputs in place. Inputs belong to the caller: build new tensors instead of modifying them (avoid `x += ...`, `x[...] = ...`, `x.add_(...)`).":
        "{name} 原地修改了它的某个输入。输入属于调用者：请构造新的张量，而不要修改输入（避免 `x += ...`、`x[...] = ...`、`x.add_(...)`）。",
}

# The f-strings of functions.py without two English words in a row (not found by the
# extractor, so not TEMPLATES). Each replacement leaves nothing for itself to match again.
PATTERNS = [
    # check_outputs: "{name} returned {describe(got)}; expected a number."
    (r"^(❌ \S+) returned (.*); expected a number\.$", r"\1 返回了\2，而应返回一个数。"),
    # difference_of: "expected {expected:.10g}, got {float(got):.10g}" (a number; only right
    # after diagnose's "：", not in a learner's error message), and
    # "output {number}: " before the largest difference of a tuple's output.
    (r"(?<=：)expected ([-+\w.]+), got ([-+\w]+(?:\.\d+(?:e[-+]?\d+)?)?)", r"应为 \1，实际为 \2"),
    (r"output (\d+): (?=最大差异)", r"第 \1 个输出的"),
    # diagnose's "{fallback.message} ({first.label}) Check the equation: …": the label belongs
    # to the sentence before it ("…是有限值（形状 (6, 3), torch.float64, cpu）。请检查公式：…").
    (r"。（([^（）]*)）请检查公式：", r"（\1）。请检查公式："),
]
