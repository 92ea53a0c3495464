"""descent.check.debugging_training's mistakes in Chinese (see descent.check.language)."""

MESSAGES = {
    "per-tensor norms instead of the global norm":
        "用了每个张量各自的范数，而不是全局范数",
    "Clip by the norm of all the gradients seen as one vector, ‖g‖ = √(Σᵢ ‖gᵢ‖²), and scale every tensor by the same factor: clipping each tensor by its own norm changes the direction of the step.":
        "把所有梯度看作一个向量，按它的范数 ‖g‖ = √(Σᵢ ‖gᵢ‖²) 裁剪，并把每个张量都乘以同一个因子：按各张量自己的范数分别裁剪，会改变这一步的方向。",
    "scales up when the norm is below the cap":
        "范数低于上限时反而把梯度放大了",
    "The factor is min(1, c / (‖g‖ + 10⁻⁶)): a gradient already shorter than the cap is left as it is, never stretched to length c.":
        "缩放因子是 min(1, c / (‖g‖ + 10⁻⁶))：已经比上限短的梯度保持原样，绝不会被拉长到长度 c。",
    "max instead of min":
        "用了 max 而不是 min",
    "With max(1, c/‖g‖) a long gradient is never shortened and a short one is stretched: the factor is min(1, c / (‖g‖ + 10⁻⁶)) (torch.clamp(..., max=1.0)).":
        "用 max(1, c/‖g‖) 时，长的梯度永远不会被缩短，短的反而被拉长：缩放因子应是 min(1, c / (‖g‖ + 10⁻⁶))（torch.clamp(..., max=1.0)）。",
    "the 10⁻⁶ is missing":
        "漏掉了 10⁻⁶",
    "torch divides by ‖g‖ + 10⁻⁶, which keeps the factor finite when every gradient is zero: c / (‖g‖ + 1e-6).":
        "torch 除以的是 ‖g‖ + 10⁻⁶，这样当所有梯度都为零时，因子仍然是有限的：c / (‖g‖ + 1e-6)。",
    "the squared norm":
        "用了范数的平方",
    "‖g‖ is the square root of the sum of squares: take `.sqrt()` (or `** 0.5`) of Σ g².":
        "‖g‖ 是平方和的平方根：对 Σ g² 取 `.sqrt()`（或 `** 0.5`）。",
    "per-tensor norms added":
        "把各张量的范数直接相加",
    "The global norm combines the tensors' norms in quadrature, √(Σᵢ ‖gᵢ‖²), not Σᵢ ‖gᵢ‖ (which is larger and clips too much).":
        "全局范数是把各张量的范数平方相加再开方，即 √(Σᵢ ‖gᵢ‖²)，而不是 Σᵢ ‖gᵢ‖（后者更大，会裁剪过度）。",
    "the mean of the squares instead of their sum":
        "用了平方的均值，而不是平方和",
    "‖g‖² is the sum of g² over every entry of every gradient, not its mean: `.mean()` divides by the number of entries.":
        "‖g‖² 是所有梯度中每个元素的 g² 之和，而不是它们的均值：`.mean()` 会再除以元素个数。",
    "clipped by value instead of by norm":
        "按值裁剪，而不是按范数裁剪",
    "Clipping by value clamps each entry to [−c, c] and changes the direction; clipping by norm multiplies every gradient by one factor, min(1, c / (‖g‖ + 10⁻⁶)).":
        "按值裁剪把每个元素限制在 [−c, c] 内，会改变方向；按范数裁剪则把所有梯度乘以同一个因子 min(1, c / (‖g‖ + 10⁻⁶))。",
    "the parameters are iterated twice":
        "对参数遍历了两次",
    "`model.parameters()` is a generator: the first loop (the norm) uses it up and the second loop (the scaling) sees nothing. Make a list first: `params = list(params)`.":
        "`model.parameters()` 是一个生成器：第一个循环（求范数）就把它耗尽了，第二个循环（缩放）什么也拿不到。先把它转成列表：`params = list(params)`。",
    "gradients not modified in place":
        "没有原地修改梯度",
    "`g = g * factor` makes a new tensor and leaves `p.grad` as it was. Scale the gradient itself: `p.grad.mul_(factor)` (under `torch.no_grad()` if needed).":
        "`g = g * factor` 会生成一个新张量，`p.grad` 保持不变。要缩放的是梯度本身：`p.grad.mul_(factor)`（必要时放在 `torch.no_grad()` 下）。",
    "α at the minimum itself":
        "取了最小值处的 α",
    "At the smallest smoothed loss α is already close to diverging (the loss reacts late, the smoothing lags): it is too large to train with. Take the α where the smoothed loss falls fastest, before the minimum.":
        "在平滑损失最小的地方，α 已经接近发散（损失的反应滞后，平滑又带来延迟）：用它来训练太大了。应取最小值之前、平滑损失下降最快处的 α。",
    "the minimum divided by 10, not the steepest slope":
        "取了最小值处的 α 除以 10，而不是最陡处的 α",
    "Dividing the minimum's α by 10 is the other rule of thumb; this exercise asks for the α where the smoothed loss falls fastest against ln α, up to the minimum.":
        "把最小值处的 α 除以 10 是另一条经验法则；本练习要求的是最小值之前、平滑损失相对 ln α 下降最快处的 α。",
    "the noisy start is not skipped":
        "没有跳过噪声很大的开头部分",
    "the first losses dropped before smoothing":
        "在平滑之前就丢掉了开头的损失",
    "Smooth all the losses, then skip the first k = ⌈n / 10⌉ smoothed points. Dropping the first losses instead restarts the average: its first points are single batches again, as noisy as before.":
        "先平滑全部损失，再跳过前 k = ⌈n / 10⌉ 个平滑后的点。如果改为丢掉开头的损失，平均就会重新开始：它的头几个点又只来自单个批量，噪声和原来一样大。",
    "the raw losses, not the smoothed ones":
        "用了原始损失，而不是平滑后的损失",
    "Each loss is one mini-batch: the raw curve is too noisy, and its lowest point is a lucky batch. Smooth it first: s_i = β s_{i−1} + (1 − β) ℓ_i, ℓ̄_i = s_i / (1 − β^{i+1}).":
        "每个损失只来自一个小批量：原始曲线噪声太大，它的最低点只是某个碰巧好的批量。先做平滑：s_i = β s_{i−1} + (1 − β) ℓ_i，ℓ̄_i = s_i / (1 − β^{i+1})。",
    "the last point, where the test diverged":
        "取了最后一个点，也就是测试已经发散的地方",
    "The range test stops where the loss blows up: its last rate is far too large. Take the α where the smoothed loss falls fastest, before its minimum.":
        "范围测试在损失爆炸时停止：它最后的学习率大得太多了。应取平滑损失在其最小值之前下降最快处的 α。",
    "clipping every micro-batch":
        "每个微批量都做了裁剪",
    "Clip the accumulated gradient once per optimizer step, after the last micro-batch's backward: clipping the partial sums after every backward shortens the early micro-batches' share.":
        "每个优化器步只对累积好的梯度裁剪一次，放在最后一个微批量的 backward 之后：每次 backward 之后都裁剪部分和，会削减前面几个微批量所占的份额。",
    "no clipping (or clipping after optimizer.step())":
        "没有裁剪（或在 optimizer.step() 之后才裁剪）",
    "Clip between the last `backward()` and `optimizer.step()`: after the step, the clipped gradients are only thrown away by zero_grad.":
        "在最后一次 `backward()` 和 `optimizer.step()` 之间裁剪：在 step 之后才裁剪，裁剪过的梯度只会被 zero_grad 清掉，不起任何作用。",
    "Use clip_grad_norm_(model.parameters(), max_norm): one factor for all gradients, which keeps the direction.":
        "使用 clip_grad_norm_(model.parameters(), max_norm)：所有梯度共用一个因子，从而保持方向不变。",
    "optimizer.step() after every micro-batch":
        "每个微批量之后都调用了 optimizer.step()",
    "Accumulate: step (and clip, and step the scheduler) only when (i + 1) % accumulation_steps == 0.":
        "要累积梯度：只在 (i + 1) % accumulation_steps == 0 时才执行 step（以及裁剪和调度器的 step）。",
    "zero_grad never called":
        "从未调用 zero_grad",
    "After each `optimizer.step()`, clear the gradients with `optimizer.zero_grad()`, or the next step adds the old gradients again.":
        "每次 `optimizer.step()` 之后，用 `optimizer.zero_grad()` 清空梯度，否则下一步会把旧的梯度再加一遍。",
    "scheduler never stepped":
        "从未调用调度器的 step",
    "Call `scheduler.step()` after each `optimizer.step()`: the learning rate should fall at every optimizer step.":
        "每次 `optimizer.step()` 之后调用 `scheduler.step()`：学习率应当在每个优化器步都下降。",
}
