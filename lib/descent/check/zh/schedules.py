"""descent.check.schedules's mistakes in Chinese (see descent.check.language)."""

MESSAGES = {
    'warm-up off by one':
        '预热差了一步',
    'At step 0 the factor is 0 and it reaches 1 at step W: factor = t / W for t < W.':
        '在第 0 步因子为 0，到第 W 步达到 1：当 t < W 时，factor = t / W。',
    'cosine spans all the steps, not the steps after warm-up':
        '余弦衰减覆盖了全部步数，而不是预热之后的步数',
    'The decay starts at W and lasts T − W steps: progress = (t − W)/(T − W).':
        '衰减从第 W 步开始，持续 T − W 步：progress = (t − W)/(T − W)。',
    'progress counted from step 0, not from the end of warm-up':
        '进度从第 0 步算起，而不是从预热结束时算起',
    'The cosine starts at 1 when warm-up ends: progress = (t − W)/(T − W), not t/T.':
        '预热结束时余弦从 1 开始：progress = (t − W)/(T − W)，而不是 t/T。',
    'the factor ½ is missing':
        '缺少系数 ½',
    '½(1 + cos(π·progress)) goes from 1 to 0; without ½ it starts at 2.':
        '½(1 + cos(π·progress)) 从 1 降到 0；没有 ½，它会从 2 开始。',
    'π is missing in the cosine':
        '余弦中缺少 π',
    'Half a period is cos(π·progress), so that the factor reaches 0 at progress = 1.':
        '半个周期是 cos(π·progress)，这样因子在 progress = 1 时恰好降到 0。',
    'linear decay instead of cosine':
        '用了线性衰减，而不是余弦衰减',
    'Use ½(1 + cos(π·progress)).':
        '请使用 ½(1 + cos(π·progress))。',
    'the cosine rises again after T':
        '余弦在 T 之后又回升了',
    'After T steps the factor stays at 0: clip progress at 1.':
        'T 步之后因子应保持为 0：把 progress 截断在 1。',
    'logspace takes exponents, not rates':
        'logspace 接收的是指数，而不是学习率',
    'torch.logspace(a, b, n) and np.logspace return 10^a … 10^b: pass log10(lr_min) and log10(lr_max), or use np.geomspace.':
        'torch.logspace(a, b, n) 和 np.logspace 返回 10^a … 10^b：请传入 log10(lr_min) 和 log10(lr_max)，或者改用 np.geomspace。',
    'natural logarithms given to a base-10 logspace':
        '把自然对数传给了以 10 为底的 logspace',
    'logspace raises 10 to the exponents: give it log10(lr_min) and log10(lr_max) (or base=math.e), not ln(lr_min) and ln(lr_max).':
        'logspace 计算的是 10 的这些次幂：请传入 log10(lr_min) 和 log10(lr_max)（或者设 base=math.e），而不是 ln(lr_min) 和 ln(lr_max)。',
    'NaN does not stop the test':
        '损失为 NaN 时测试没有停止',
    '`loss > 4 * best` is False when the loss is NaN: test `math.isnan(loss)` too, and stop.':
        '损失为 NaN 时，`loss > 4 * best` 的结果是 False：还要检查 `math.isnan(loss)`，并在此时停止。',
    'no early stop':
        '没有提前停止',
    'Stop as soon as the loss exceeds 4 × the best loss so far (or is NaN): past that point the training run has diverged and the rest of the curve says nothing.':
        '一旦损失超过迄今最佳损失的 4 倍（或为 NaN）就停止：过了这一点，训练已经发散，曲线的其余部分不再说明任何问题。',
    'stops at the first increase':
        '损失一上升就停止',
    'One loss above the best is noise, not divergence: stop only when the loss exceeds 4 × the best loss so far.':
        '某一次损失高于最佳值只是噪声，不是发散：只有当损失超过迄今最佳损失的 4 倍时才停止。',
    'compares with the first loss, not the best so far':
        '与第一个损失比较，而不是与迄今最佳损失比较',
    'Keep the smallest loss seen so far, best = min(best, loss), and stop when loss > 4 × best.':
        '记录迄今见过的最小损失，best = min(best, loss)，并在 loss > 4 × best 时停止。',
    'compares with the previous loss, not the best so far':
        '与上一个损失比较，而不是与迄今最佳损失比较',
    'A steady climb never quadruples from one step to the next. Keep the smallest loss seen so far and stop when loss > 4 × best.':
        '平稳上升的损失在相邻两步之间永远不会增大到 4 倍。请记录迄今见过的最小损失，并在 loss > 4 × best 时停止。',
    'the loss that stopped the test is missing':
        '缺少触发停止的那个损失',
    'Record the rate and the loss of the step that triggers the stop too, then stop: the lists end with the diverging point.':
        '触发停止的那一步，其学习率和损失也要记录下来，然后再停止：两个列表应以发散的那个点结尾。',
    'the best loss starts at 0':
        '最佳损失的初始值为 0',
    'Start from best = ∞ (or the first loss): with 0, the first loss is already above 4 × best.':
        '应从 best = ∞（或第一个损失）开始：若从 0 开始，第一个损失就已经大于 4 × best。',
    'the losses are smoothed':
        '对损失做了平滑',
    'fastai smooths the losses before comparing them; this exercise does not: record each loss as train_step returns it, and compare it with 4 × the best.':
        'fastai 在比较之前会先对损失做平滑；本练习不这样做：按 train_step 返回的原样记录每个损失，并将它与最佳损失的 4 倍比较。',
    'lrs and losses swapped':
        'lrs 和 losses 的顺序颠倒了',
    'Return the rates first: `return lrs, losses`.':
        '先返回学习率：`return lrs, losses`。',
    "scheduler stepped before the epoch's updates":
        '在本轮的参数更新之前就推进了调度器',
    'Step the scheduler at the end of the epoch, after its optimizer.step() calls: stepped first, it skips the first learning rate, and PyTorch warns "Detected call of lr_scheduler.step() before optimizer.step()".':
        '在每轮结束、该轮的 optimizer.step() 调用之后再推进调度器：若先推进，它会跳过第一个学习率，PyTorch 也会发出警告 `Detected call of lr_scheduler.step() before optimizer.step()`。',
    'scheduler never stepped':
        '从未调用调度器的 step',
    'Without `scheduler.step()` the learning rate stays at its initial value: call it once per epoch, after the loop over the batches.':
        '不调用 `scheduler.step()`，学习率就一直停在初始值：每轮调用一次，放在遍历批量的循环之后。',
    'scheduler.step(epoch) lags one epoch':
        'scheduler.step(epoch) 滞后一轮',
    'Passing the epoch to step() is deprecated, and step(epoch) after epoch `epoch` sets the rate of that epoch again: call `scheduler.step()` without argument.':
        '向 step() 传入轮次编号的用法已被弃用，而且在第 `epoch` 轮之后调用 step(epoch)，设置的又是该轮的学习率：请不带参数地调用 `scheduler.step()`。',
    'zero_grad missing (gradients accumulate)':
        '缺少 zero_grad（梯度会累积）',
    'Clear the gradients before each backward pass, `optimizer.zero_grad()`, or every step adds up all the gradients so far.':
        '每次反向传播之前都要用 `optimizer.zero_grad()` 清零梯度，否则每一步用的都是迄今所有梯度之和。',
    'optimizer.step() missing':
        '缺少 optimizer.step()',
    'Without `optimizer.step()` the parameters never change: call it after `loss.backward()` for every batch.':
        '没有 `optimizer.step()`，参数永远不会改变：对每个批量，在 `loss.backward()` 之后调用它。',
    'zero_grad between backward and step':
        'zero_grad 放在了 backward 和 step 之间',
    '`optimizer.zero_grad()` after `loss.backward()` erases the gradients the step needs: clear them before the forward pass.':
        '在 `loss.backward()` 之后调用 `optimizer.zero_grad()` 会抹掉这一步更新所需的梯度：应在前向传播之前清零梯度。',
    "integer division":
        "用了整数除法",
    "`a // b` rounds down to a whole number, so the factor jumps instead of changing smoothly. Use `/`: t / W and (t − W)/(T − W).":
        "`a // b` 会向下取整为整数，因此因子会跳变，而不是平滑地变化。请用 `/`：t / W 和 (t − W)/(T − W)。",
    "off by one at the ends":
        "两端出现了差一错误",
    "Take exactly `steps` rates, the first lr_min and the last lr_max: lr_i = lr_min·(lr_max/lr_min)^(i/(steps − 1)) for i = 0, …, steps − 1.":
        "恰好取 `steps` 个学习率，第一个是 lr_min，最后一个是 lr_max：lr_i = lr_min·(lr_max/lr_min)^(i/(steps − 1))，i = 0, …, steps − 1。",
    "linear instead of geometric spacing":
        "用了线性间隔，而不是几何间隔",
    "Equal steps in lr spend nearly every evaluation near lr_max. Space the rates by a constant factor: lr_i = lr_min·(lr_max/lr_min)^(i/(steps − 1)) (np.geomspace, or torch.logspace of the base-10 logarithms).":
        "让 lr 等差递增，几乎所有的评估都会花在 lr_max 附近。应让相邻的学习率相差固定的倍数：lr_i = lr_min·(lr_max/lr_min)^(i/(steps − 1))（用 np.geomspace，或者对以 10 为底的对数用 torch.logspace）。",
    "lr_i = lr_min·(lr_max/lr_min)^(i/(steps − 1)), i = 0, …, steps − 1; stop after recording a loss that is NaN or > 4 × the best loss so far":
        "lr_i = lr_min·(lr_max/lr_min)^(i/(steps − 1))，i = 0, …, steps − 1；记录下一个为 NaN 或大于迄今最佳损失 4 倍的损失之后就停止",
    "scheduler stepped per batch":
        "每个批量都推进了一次调度器",
    "The schedule counts epochs (StepLR's step_size, CosineAnnealingLR's T_max are in epochs here), so call `scheduler.step()` once per epoch, after the loop over the batches, not inside it.":
        "调度是按轮计数的（这里 StepLR 的 step_size 和 CosineAnnealingLR 的 T_max 都以轮为单位），所以每轮调用一次 `scheduler.step()`，放在遍历批量的循环之后，而不是循环之内。",
    "a loss that falls as the rate grows, 1/(1 + α)":
        "随学习率增大而下降的损失 1/(1 + α)",
    "a loss with a valley at α = 0.01, 1 + (log10 α + 2)²":
        "在 α = 0.01 处有谷底的损失 1 + (log10 α + 2)²",
    "gradient descent on ½ Σ λθ², λ = (0.5, 1, 2, 4), from θ = 1, one step per rate":
        "在 ½ Σ λθ² 上做梯度下降，λ = (0.5, 1, 2, 4)，从 θ = 1 出发，每个学习率走一步",
    "a training run that turns NaN for α ≥ 0.5":
        "α ≥ 0.5 时变为 NaN 的训练过程",
    "returned None":
        "返回了 None",
    "wrong type":
        "类型错误",
    "lists of different lengths":
        "两个列表长度不同",
}

TEMPLATES = {
    "; these are #{start} to #{start + len(part) - 1}":
        "；这里显示的是 #{start} 到 #{start + len(part) - 1}",
    "{name} returns other results than the reference {where}: expected rates {preview_list(expected[0], at)} and losses {preview_list(expected[1], at)}, got {preview_list(got[0], at)} and {preview_list(got[1], at)}. Check the definition: {equation}.":
        "{name} 返回的结果与参考实现不同 {where}：应得到学习率 {preview_list(expected[0], at)} 和损失 {preview_list(expected[1], at)}，实际得到的是 {preview_list(got[0], at)} 和 {preview_list(got[1], at)}。请检查定义：{equation}。",
    "the learning rates of the optimizer steps were {preview_list(mine.optimizer.rates, at)}; expected {preview_list(right.optimizer.rates, at)}":
        "优化器各步用的学习率是 {preview_list(mine.optimizer.rates, at)}；应为 {preview_list(right.optimizer.rates, at)}",
    "the learning rates are right but the final weights differ, {largest_difference(mine.weights(), right.weights())}":
        "学习率正确，但最终的权重不同，{largest_difference(mine.weights(), right.weights())}",
    "{name} does not train like the correct loop ({expected[kind].label}): {detail}. One epoch: for each batch zero_grad, forward, mse_loss, backward, optimizer.step(); then scheduler.step().":
        "{name} 的训练过程与正确的循环不同（{expected[kind].label}）：{detail}。一轮应是：对每个批量依次执行 zero_grad、forward、mse_loss、backward、optimizer.step()；然后执行 scheduler.step()。",
    "{name} matches the reference on all {len(results)} training runs: the same rates, the same losses, and the same stopping point.":
        "{name} 在全部 {len(results)} 个训练过程上都与参考实现一致：学习率相同，损失相同，停止的位置也相同。",
    "{name} steps the scheduler once per epoch: the same learning rates and the same final weights as the correct loop, with StepLR and with CosineAnnealingLR.":
        "{name} 每轮推进一次调度器：无论用 StepLR 还是 CosineAnnealingLR，学习率和最终的权重都与正确的循环相同。",
    "{name} returned None. Did you forget `return lrs, losses`?":
        "{name} 返回了 None。是不是忘了写 `return lrs, losses`？",
    "{name} returned {describe(result)}; return two lists, `return lrs, losses`.":
        "{name} 返回了 {describe(result)}；请返回两个列表：`return lrs, losses`。",
    "{name} returned {len(lrs)} rates but {len(losses)} losses; record one loss per rate.":
        "{name} 返回了 {len(lrs)} 个学习率，却有 {len(losses)} 个损失；每个学习率应记录一个损失。",
    "{name} returned {describe(value)} as {what}; return a list of numbers.":
        "{name} 返回的 {what} 是 {describe(value)}；请返回一个由数构成的列表。",
}

# Pieces of preview_list and of the training runs' labels too short to be catalogued:
# "[0.1, 0.05, …] (25 values; …)", "StepLR(step_size=2, gamma=0.5), 4 batches, 6 epochs"
# and "step 5, W = 2, T = 10"; and "; these are #3 to #6" where a verdict has it more than
# once (the template, ending with a value, takes the rest of the line at its first match).
PATTERNS = [
    (r"; these are #(\d+) to #(\d+)", r"；这里显示的是 #\1 到 #\2"),
    (r"(?<=[(（])step (\d+), W = ", r"第 \1 步，W = "),
    (r" ?\((\d+) values((?:；[^()]*)?)\)", r"（共 \1 个值\2）"),
    (r", (\d+) batches, (\d+) epochs", r"，\1 个批量，\2 轮"),
]
