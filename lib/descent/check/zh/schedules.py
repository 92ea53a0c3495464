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
        '在每轮结束、该轮的 optimizer.step() 调用之后再推进调度器：若先推进，它会跳过第一个学习率，PyTorch 也会发出警告“Detected call of lr_scheduler.step() before optimizer.step()”。',
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
}
