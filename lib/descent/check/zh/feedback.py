"""descent.check.feedback's texts in Chinese (see descent.check.language)."""

MESSAGES = {
    # The names of the failures (Feedback.mistake), in English in the program: plain labels.
    "forbidden call":
        "调用了禁止使用的函数",
    "returned None":
        "返回了 None",
    "wrong type":
        "类型错误",
    "wrong shape":
        "形状错误",
    "wrong dtype":
        "dtype 错误",
    "wrong device":
        "设备错误",
    "not finite":
        "结果不是有限值",
    "not implemented":
        "未实现",
    "over budget":
        "超出预算",
    "time limit":
        "超时",
    # precision_hint: glued after "…{largest difference}." (hence its leading space).
    " The difference is at float32 precision: something in your code is float32 (e.g. `torch.zeros(shape)` instead of `torch.zeros_like(param)`, or a Python list turned into a tensor without dtype). Keep the inputs' dtype.":
        " 这个差异正好是 float32 的精度量级：你的代码中有某处是 float32（例如用了 `torch.zeros(shape)` 而不是 `torch.zeros_like(param)`，或者把 Python 列表转成张量时没有指定 dtype）。请保持输入的 dtype。",
}

TEMPLATES = {
    # largest_difference: pasted after "…differs from the reference …: " and kept right before
    # the "." that ends that sentence. {where} is " at index …" below, or nothing.
    "largest difference {difference.flatten()[flat].item():.2g}{where}: expected {e:.10g}, got {g:.10g}":
        "最大差异为 {difference.flatten()[flat].item():.2g}{where}：应为 {e:.10g}，实际为 {g:.10g}",
    " at index {index if len(index) != 1 else index[0]}":
        "，出现在下标 {index if len(index) != 1 else index[0]}",
    # forbidden_feedback
    "{name} uses `{what}`, which this exercise asks you not to use: the point is to do that part yourself, from basic tensor operations.":
        "{name} 用到了 `{what}`，而本练习要求不要使用它：这个练习的目的，就是用基本的张量运算亲手实现这一部分。",
    # describe: read after "returned " / "got " in the verdicts of functions and steps.
    "a tensor of shape {tuple(value.shape)} and dtype {value.dtype}":
        "一个形状为 {tuple(value.shape)} 的张量，dtype 为 {value.dtype}",
    # check_tensor
    "{name} returned None. Did you forget `return`?":
        "{name} 返回了 None。是不是忘了写 `return`？",
    "{name} returned shape {tuple(got.shape)}; expected {tuple(expected.shape)}.":
        "{name} 返回的形状是 {tuple(got.shape)}，应为 {tuple(expected.shape)}。",
    "{name} returned dtype {got.dtype}; expected {expected.dtype} (keep the dtype of the inputs).":
        "{name} 返回的 dtype 是 {got.dtype}，应为 {expected.dtype}（请保持输入的 dtype）。",
    "{name} returned a tensor on {got.device}; expected {expected.device} (create new tensors on the inputs' device, e.g. torch.zeros_like).":
        "{name} 返回的张量在 {got.device} 上，应在 {expected.device} 上（请在输入所在的设备上创建新张量，例如用 torch.zeros_like）。",
    "{name} returned NaN or infinity where the answer is finite.":
        "{name} 返回了 NaN 或无穷大，而正确答案是有限值。",
    # call: the learner's code failed. {error}{learner_line(error)} stay side by side.
    "{name}: not implemented yet. Replace `raise NotImplementedError` with your code.":
        "{name}：尚未实现。请把 `raise NotImplementedError` 换成你的代码。",
    "{name} went over its budget: {error}{learner_line(error)}. Plan the values to try before you start.":
        "{name} 超出了预算：{error}{learner_line(error)}。请在开始之前先规划好要尝试的值。",
    "{name} ran for more than {seconds:g} s and was stopped. Is there a loop that never ends?":
        "{name} 运行超过 {seconds:g} 秒，已被停止。是否有一个永不结束的循环？",
    "{name} called sys.exit() (or exit()). Return a value instead of ending the program.":
        "{name} 调用了 sys.exit()（或 exit()）。请返回一个值，而不是结束程序。",
}

# The f-strings of feedback.py without two English words in a row, which the extractor leaves
# out (so not TEMPLATES), yet every check shows them. Applied after MESSAGES and TEMPLATES,
# and again when a verdict already in Chinese is shown: each replacement leaves nothing for
# itself to match a second time. (The punctuation of every verdict is put right at the end of
# zh/steps.py's PATTERNS, after most catalogues' patterns.)
PATTERNS = [
    # call: "{name} raised {type(error).__name__}: {error}{learner_line(error)}"; the error's
    # own message stays as Python wrote it.
    (r"^(❌ \S+) raised ([\w.]+): ", r"\1 引发了 \2："),
    # learner_line: " (in {frame.name}, line {frame.lineno}: {the learner's source line})", at
    # the end of the verdict or before the "。" of the budget verdict; the line is code.
    (r" \(in (\S+), line (\d+): (.*?)\)(?=。|\.?$)", r"（位于 \1 的第 \2 行：`\3`）"),
    (r" \(in (\S+), line (\d+)\)(?=。|\.?$)", r"（位于 \1 的第 \2 行）"),
    # check_tensor: "{name} returned {describe(got)}; expected {describe(expected)}." (a value
    # that is not a tensor); "expected a number." is functions.py's, in zh/functions.py.
    (r"^(❌ \S+) returned (.*); expected (?!a number\.$)(.*)\.$", r"\1 返回了 \2，而应返回\3。"),
]
