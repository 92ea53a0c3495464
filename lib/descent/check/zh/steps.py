"""descent.check.steps's texts in Chinese (see descent.check.language)."""

MESSAGES = {
    # The names of the failures (Feedback.mistake): plain labels.
    "not finite":
        "结果不是有限值",
    "out of place":
        "非原地更新",
    "training run":
        "训练过程",
    "param.data replaced":
        "替换了 param.data",
    "input modified":
        "修改了输入",
    "wrong shape":
        "形状错误",
    "wrong dtype":
        "dtype 错误",
    "state aliases ":
        "state 直接引用了 ",
    # {how} in "The caller changes that tensor ({how}), …"
    "PyTorch zeroes `grad` in place with `zero_grad(set_to_none=False)`":
        "PyTorch 会用 `zero_grad(set_to_none=False)` 原地把 `grad` 清零",
    "`param` changes at every step":
        "`param` 每一步都会改变",
}

TEMPLATES = {
    # diagnose. {first.where} is "(shape (3,), torch.float64, cpu, lr=0.1)". A value followed
    # by "." keeps that "." (not "。"): the value is found up to the first "." after it, and a
    # number, a dtype or an equation has one of its own. zh/feedback.py's PATTERNS make it "。".
    "{name}: after step {t} the parameter differs from the reference {first.where}: {largest_difference(got, expected)}.{hint} Check the equation: {equation}.":
        "{name}：第 {t} 步之后，参数与参考实现不一致 {first.where}：{largest_difference(got, expected)}.{hint} 请检查公式：{equation}.",
    "{name}: the parameter became NaN or infinite at step {t} {first.where}. Check the equation: {equation}.":
        "{name}：第 {t} 步时参数变成了 NaN 或无穷大 {first.where}。请检查公式：{equation}.",
    "{name} matches the reference: every step on every test case, and {steps}-step training runs.":
        "{name} 与参考实现一致：每个测试用例的每一步都相同，{steps} 步的训练过程也相同。",
    # run_learner
    " It returned {describe(result)}: the step must change `param` itself, not return a new tensor.":
        " 它返回了{describe(result)}：更新步必须直接修改 `param` 本身，而不是返回一个新张量。",
    "{name} never changed `param`: it is updated out of place, so the model never changes. `param = param - lr * g` only rebinds a local name; update the tensor itself with `param -= lr * g` or `param.sub_(lr * g)`.{hint}":
        "{name} 从未改变 `param`：它是非原地更新的，所以模型始终不变。`param = param - lr * g` 只是让局部变量名指向了一个新张量；请直接更新张量本身：`param -= lr * g` 或 `param.sub_(lr * g)`。{hint}",
    "{name} gave `param` new memory (`param.data = ...` or `param.set_(...)`) instead of updating its values in place. Anything that shares the old memory, such as a flat buffer of all parameters (`descent.fast`), no longer sees the update: use `param -= ...`, `param.copy_(...)` or `param.sub_(...)`.":
        "{name} 给 `param` 换了一块新内存（`param.data = ...` 或 `param.set_(...)`），而不是原地更新它的值。任何与旧内存共享数据的东西，比如存放所有参数的扁平缓冲区（`descent.fast`），都看不到这次更新：请用 `param -= ...`、`param.copy_(...)` 或 `param.sub_(...)`。",
    "{name} changed `grad` in place (for example `grad += weight_decay * param` or `grad.add_(...)`). The gradient belongs to the caller: compute a new tensor instead, `grad = grad + weight_decay * param`.":
        "{name} 原地修改了 `grad`（例如 `grad += weight_decay * param` 或 `grad.add_(...)`）。梯度属于调用者：请改为计算一个新张量，`grad = grad + weight_decay * param`。",
    "{name} keeps `{alias}` itself in `state` (state[...] = {alias}), not a copy. The caller changes that tensor ({how}), so your stored value changes with it. Store `{alias}.clone()`.":
        "{name} 在 `state` 中保存的是 `{alias}` 本身（state[...] = {alias}），而不是副本。调用者会修改这个张量（{how}），所以你保存的值也会跟着变。请保存 `{alias}.clone()`。",
    "{name} changed the shape of `param`.":
        "{name} 改变了 `param` 的形状。",
    "{name} changed the dtype of `param` to {param.dtype}.":
        "{name} 把 `param` 的 dtype 改成了 {param.dtype}.",
    # check_training_runs; {how} is `zero_grad()` (new gradient tensors) or
    # `zero_grad(set_to_none=False)` (the same ones, zeroed).
    "{name} matches the reference on single tensors but not inside a training run that clears gradients with {how} (loss {losses['learner'].item():.6g} instead of {losses['reference'].item():.6g}). Does it keep anything outside `state`, such as a global variable, or a reference to `grad` or `param` instead of a copy?":
        "{name} 在单个张量上与参考实现一致，但在用 {how} 清除梯度的训练过程中不一致（损失为 {losses['learner'].item():.6g}，而不是 {losses['reference'].item():.6g}）。它是否在 `state` 之外保存了什么东西，比如一个全局变量，或者保存的是对 `grad` 或 `param` 的引用而不是副本？",
}

# diagnose's {first.where}, "(shape (3,), torch.float64, cpu, lr=0.1)": not prose to the
# extractor, so a pattern (zh/losses.py's, applied first, may have made it "(形状 …"). Next
# to Chinese it takes full-width parentheses, as the labels of zh/functions.py's verdicts do
# ("（形状 (6, 3), torch.float64, cpu）"), and no space before them.
PATTERNS = [
    (r" ?\((?:shape|形状) ((?:[^()]|\([^()]*\))*)\)", r"（形状 \1）"),
]
