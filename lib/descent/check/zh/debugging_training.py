"""descent.check.debugging_training's texts in Chinese (see descent.check.language)."""

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
    "‖g‖ = √(Σ over all parameters of Σ g²); every g ← g · min(1, c / (‖g‖ + 10⁻⁶)), in place; return ‖g‖ before clipping":
        "‖g‖ = √(所有参数的 Σ g² 之和)；每个 g ← g · min(1, c / (‖g‖ + 10⁻⁶))，原地修改；返回裁剪之前的 ‖g‖",
    "s_i = β s_{i−1} + (1 − β) ℓ_i, s_{−1} = 0, ℓ̄_i = s_i / (1 − β^{i+1}); the index m of the smallest ℓ̄ and k = ⌈n / 10⌉ for n rates; the slopes (ℓ̄_{i+1} − ℓ̄_i) / (ln α_{i+1} − ln α_i) for k ≤ i < m; return α_i at the most negative slope":
        "s_i = β s_{i−1} + (1 − β) ℓ_i，s_{−1} = 0，ℓ̄_i = s_i / (1 − β^{i+1})；m 是最小的 ℓ̄ 的下标，n 个学习率时 k = ⌈n / 10⌉；对 k ≤ i < m 求斜率 (ℓ̄_{i+1} − ℓ̄_i) / (ln α_{i+1} − ln α_i)；返回斜率最负处的 α_i",
    "The first smoothed values average only a few losses (ℓ̄_0 is the loss of one mini-batch, ℓ̄_1 nearly the mean of two), so a chance difference between two batches there can look like the steepest descent, and the rule returns a rate near α_min. Skip the first k = ⌈n / 10⌉ points: read the slopes for k ≤ i < m only.":
        "开头的几个平滑值只平均了很少几个损失（ℓ̄_0 就是一个小批量的损失，ℓ̄_1 差不多是两个损失的均值），所以那里两个批量之间的偶然差异可能看起来像是下降最快的地方，规则就会返回一个接近 α_min 的学习率。跳过前 k = ⌈n / 10⌉ 个点：只看 k ≤ i < m 的斜率。",
    "not implemented":
        "未实现",
    "time limit":
        "超时",
    "over budget":
        "超出预算",
    "bias correction off by one":
        "偏差校正的指数差了一",
    "After i + 1 losses (i from 0) the weights sum to 1 − β^{i+1}: divide by that, not by 1 − β^i (which is 0 at i = 0).":
        "累积了 i + 1 个损失之后（i 从 0 开始），权重之和是 1 − β^{i+1}：要除以它，而不是除以 1 − β^i（它在 i = 0 时为 0）。",
    "after backward":
        "在 backward 之后",
    "returns the norm after clipping":
        "返回的是裁剪之后的范数",
    "Return ‖g‖ as it was before clipping (what torch returns): it is the number to log, to see how often and by how much the gradient explodes.":
        "返回裁剪之前的 ‖g‖（torch 返回的就是它）：这个数应该记录下来，用来观察梯度爆炸得有多频繁、有多严重。",
    "returns the clipping factor":
        "返回的是裁剪因子",
    "Return the total norm ‖g‖ (before clipping), not the factor min(1, c / (‖g‖ + 10⁻⁶)).":
        "返回（裁剪之前的）总范数 ‖g‖，而不是因子 min(1, c / (‖g‖ + 10⁻⁶))。",
    "returns the squared norm":
        "返回的是范数的平方",
    "Return ‖g‖ = √(Σ g²), the square root.":
        "返回 ‖g‖ = √(Σ g²)，即平方和的平方根。",
    "returns the cap":
        "返回的是上限",
    "Return the total norm ‖g‖ before clipping, not c.":
        "返回裁剪之前的总范数 ‖g‖，而不是 c。",
    "Each loss is one mini-batch: the raw curve is too noisy, and its steepest drop is a lucky batch. Smooth it first: s_i = β s_{i−1} + (1 − β) ℓ_i, ℓ̄_i = s_i / (1 − β^{i+1}) (with β and 1 − β swapped, the curve is hardly smoothed).":
        "每个损失只来自一个小批量：原始曲线噪声太大，它下降最陡的地方只是某个碰巧好的批量。先做平滑：s_i = β s_{i−1} + (1 − β) ℓ_i，ℓ̄_i = s_i / (1 − β^{i+1})（如果把 β 与 1 − β 用反了，曲线几乎没有被平滑）。",
    "no bias correction in the smoothing":
        "平滑时没有做偏差校正",
    "s starts at 0, so the first averages are far too small and the curve seems to rise at the start: divide by 1 − β^{i+1}, ℓ̄_i = s_i / (1 − β^{i+1}).":
        "s 从 0 开始，所以开头的几个平均值太小，曲线在开头看起来像是在上升：要除以 1 − β^{i+1}，ℓ̄_i = s_i / (1 − β^{i+1})。",
    "slope against α instead of ln α":
        "斜率是对 α 求的，而不是对 ln α",
    "The rates are spaced geometrically, so the curve is read against ln α: divide the change in loss by ln α_{i+1} − ln α_i. Against α itself, the slopes at small rates (tiny steps in α) dominate.":
        "学习率是按几何级数排列的，所以要以 ln α 为横轴来读曲线：把损失的变化除以 ln α_{i+1} − ln α_i。如果对 α 本身求斜率，小学习率处的斜率（α 的间隔极小）就会占主导。",
    "the rate at the end of the steepest segment":
        "取了最陡那一段终点处的学习率",
    "The slope from i to i + 1 is the forward difference at α_i: return α_i, the start of the steepest segment.":
        "从 i 到 i + 1 的斜率是 α_i 处的前向差分：返回最陡那一段的起点 α_i。",
    "the steepest rise instead of the steepest descent":
        "取了上升最陡处，而不是下降最陡处",
    "The loss falls fastest where its slope is most negative: take the minimum of the slopes, not the maximum.":
        "损失下降最快的地方，就是斜率最负的地方：取斜率的最小值，而不是最大值。",
    "slopes past the minimum, into the diverged end":
        "斜率越过了最小值，算到了发散的末尾",
    "Look only up to the smallest smoothed loss: after it, the run diverges, and a NaN loss makes every later smoothed value NaN (np.argmin picks a NaN).":
        "只看到平滑损失的最小值为止：过了它，训练就发散了，而一个 NaN 损失会让之后所有的平滑值都变成 NaN（np.argmin 会选中 NaN）。",
    "a range test of 100 steps ending above 4 × the best loss":
        "一次 100 步的范围测试，最后的损失高于最佳损失的 4 倍",
    "a range test of 80 steps ending with NaN":
        "一次 80 步的范围测试，最后的损失是 NaN",
    "a range test of 200 steps down to a loss near 0":
        "一次 200 步的范围测试，损失降到接近 0",
    "a range test of 30 steps, β = 0.9":
        "一次 30 步的范围测试，β = 0.9",
    "a range test of 60 steps, β = 0.7":
        "一次 60 步的范围测试，β = 0.7",
    "a range test of 120 steps with 10 % noise per batch, as on real data":
        "一次 120 步的范围测试，每个批量带 10 % 的噪声，和真实数据上一样",
    "zero_grad inside the accumulation loop":
        "在累积循环内部调用了 zero_grad",
    "`optimizer.zero_grad()` before every micro-batch throws away the gradients accumulated so far: the step uses the last micro-batch only. Clear the gradients once per optimizer step, after `optimizer.step()`.":
        "在每个微批量之前调用 `optimizer.zero_grad()`，会把到目前为止累积的梯度都扔掉：这一步只用上了最后一个微批量。每个优化器步只清空一次梯度，放在 `optimizer.step()` 之后。",
    "clipping before backward":
        "在 backward 之前裁剪",
    "Before `loss.backward()` the gradients are not there yet (or only partly): clip once per optimizer step, after the last micro-batch's backward and just before `optimizer.step()`.":
        "在 `loss.backward()` 之前，梯度还不存在（或者只有一部分）：每个优化器步只裁剪一次，放在最后一个微批量的 backward 之后、紧挨着 `optimizer.step()` 之前。",
    "the loss not divided by the number of micro-batches":
        "损失没有除以微批量的个数",
    "Backward adds the gradients of the k micro-batches: their sum is k times the gradient of the big batch's mean loss. Divide each micro-batch's loss by `accumulation_steps` before `backward()`.":
        "backward 会把 k 个微批量的梯度加起来：它们的和是大批量平均损失的梯度的 k 倍。在 `backward()` 之前，把每个微批量的损失除以 `accumulation_steps`。",
    "scheduler stepped per micro-batch":
        "每个微批量都调用了调度器的 step",
    "The schedule counts optimizer steps: call `scheduler.step()` right after `optimizer.step()`, once every k micro-batches, not after every micro-batch.":
        "学习率调度按优化器步计数：紧接在 `optimizer.step()` 之后调用 `scheduler.step()`，每 k 个微批量调用一次，而不是每个微批量之后都调用。",
    "the norm above the cap":
        "范数高于上限",
    "the norm below the cap":
        "范数低于上限",
    "one tensor much larger than the others":
        "一个张量远大于其他张量",
    "tiny gradients and a tinier cap":
        "梯度很小，上限更小",
    "model.parameters(), a one-pass iterator":
        "model.parameters()，只能遍历一次的迭代器",
    "a parameter without a gradient (.grad is None)":
        "一个 .grad 为 None 的参数",
    "before backward":
        "在 backward 之前",
    "per tensor":
        "按张量",
    "sum of norms":
        "范数之和",
    "gradient created for a parameter without one":
        "给没有梯度的参数创建了梯度",
    "parameters changed":
        "参数被修改了",
    "gradient replaced, not modified in place":
        "梯度被替换了，而不是原地修改",
    "returned None":
        "返回了 None",
    "wrong type":
        "类型错误",
    "off by one":
        "差一",
    "off by one, numpy":
        "差一，numpy",
    "every backward":
        "每次 backward 之后",
    "before last backward":
        "在最后一次 backward 之前",
    "a bug of the loop is still there: ":
        "循环中还有一个错误没有改掉：",
    "parameter without gradient not skipped":
        "没有跳过没有梯度的参数",
}

TEMPLATES = {
    "{count} micro-batches of {size}, accumulation_steps = {k}, max_norm = {max_norm:g}, StepLR(step_size=1, gamma={gamma:g})":
        "{count} 个大小为 {size} 的微批量，accumulation_steps = {k}，max_norm = {max_norm:g}，StepLR(step_size=1, gamma={gamma:g})",
    "{name} matches torch.nn.utils.clip_grad_norm_ on all {len(cases)} test cases: the same clipped gradients, in place, and the same total norm.":
        "{name} 在全部 {len(cases)} 个测试用例上都与 torch.nn.utils.clip_grad_norm_ 一致：裁剪后的梯度相同（且是原地修改的），返回的总范数也相同。",
    " (the rate #{where} of {len(lrs)})":
        "（即 {len(lrs)} 个学习率中的 #{where}）",
    "{name} returns α = {got[first]:.6g}{at}, the reference {expected[first]:.6g} ({label}). Check the rule: {SUGGEST_EQUATION}.":
        "{name} 返回的 α = {got[first]:.6g}{at}，参考答案是 {expected[first]:.6g}（{label}）。请检查规则：{SUGGEST_EQUATION}。",
    "the optimizer took {len(mine.optimizer.rates)} steps with learning rates {', '.join((f'{r:.4g}' for r in mine.optimizer.rates[:6]))}; expected {len(right.optimizer.rates)} steps with {', '.join((f'{r:.4g}' for r in right.optimizer.rates[:6]))}":
        "优化器走了 {len(mine.optimizer.rates)} 步，学习率依次为 {', '.join((f'{r:.4g}' for r in mine.optimizer.rates[:6]))}；应当走 {len(right.optimizer.rates)} 步，学习率依次为 {', '.join((f'{r:.4g}' for r in right.optimizer.rates[:6]))}",
    "the learning rates are right but the final weights differ, {largest_difference(mine.weights(), right.weights())}":
        "学习率正确，但最终的权重不同，{largest_difference(mine.weights(), right.weights())}",
    "{name} does not train like the correct loop ({right.label}): {detail}. For each micro-batch: loss / accumulation_steps, backward; every accumulation_steps micro-batches: clip_grad_norm_, optimizer.step(), scheduler.step(), zero_grad.":
        "{name} 的训练过程与正确的循环不同（{right.label}）：{detail}。对每个微批量：loss / accumulation_steps，backward；每 accumulation_steps 个微批量：clip_grad_norm_、optimizer.step()、scheduler.step()、zero_grad。",
    "{name}: the gradient of parameter {index} is wrong after clipping ({case.label}): {difference}. Check the definition: {CLIP_EQUATION}.":
        "{name}：裁剪之后，参数 {index} 的梯度不对（{case.label}），{difference}。请检查定义：{CLIP_EQUATION}。",
    "{name} picks the same α as descent.tuning's RangeTest.suggestion() on all {len(SUGGEST_CASES)} range tests.":
        "{name} 在全部 {len(SUGGEST_CASES)} 个范围测试上选出的 α 都与 descent.tuning 的 RangeTest.suggestion() 相同。",
    "{message} ({label}). Check the rule: {SUGGEST_EQUATION}.":
        "{message}（{label}）。请检查规则：{SUGGEST_EQUATION}。",
    "{name} trains like the correct loop on all {len(got)} problems: one optimizer step per accumulation_steps micro-batches, on the big batch's mean loss, its gradient clipped, and the schedule stepped once per optimizer step.":
        "{name} 在全部 {len(got)} 个问题上的训练都与正确的循环一致：每 accumulation_steps 个微批量走一个优化器步，用的是大批量的平均损失，梯度经过了裁剪，学习率调度也是每个优化器步走一次。",
    "{name} gave a gradient to a parameter that had none ({case.label}). A parameter whose `.grad` is None took no part in the loss: leave it None, do not fill in zeros (the optimizer skips it; with a zero gradient, momentum and weight decay would still move it).":
        "{name} 给一个原本没有梯度的参数添上了梯度（{case.label}）。`.grad` 为 None 的参数没有参与损失的计算：让它保持 None，不要填上零（优化器会跳过它；如果梯度为零，动量和权重衰减仍然会让它移动）。",
    "{name} changed the parameters themselves ({case.label}). Clipping changes only the gradients, `p.grad`; the optimizer's step uses them afterwards.":
        "{name} 改动了参数本身（{case.label}）。裁剪只改变梯度 `p.grad`；之后由优化器的更新步使用它们。",
    "{name} replaced `p.grad` by a new tensor instead of scaling it in place ({case.label}). Anything that holds the gradient tensor (a flat buffer of gradients, a hook) no longer sees the clipped values: use `p.grad.mul_(factor)`.":
        "{name} 用一个新张量替换了 `p.grad`，而不是原地缩放它（{case.label}）。任何持有这个梯度张量的东西（例如一个扁平的梯度缓冲区、一个钩子）都看不到裁剪后的值：请使用 `p.grad.mul_(factor)`。",
    "{name} returned None. It clips correctly; now return the total norm before clipping, as torch does.":
        "{name} 返回了 None。裁剪已经正确；现在请像 torch 那样，返回裁剪之前的总范数。",
    "{name} returned {describe(got.returned)}; return the total norm, a number (or a one-element tensor).":
        "{name} 返回了 {describe(got.returned)}；请返回总范数，即一个数（或只有一个元素的张量）。",
    "{name} clips correctly but returned {value:.10g}; the total norm before clipping is {norm:.10g} ({case.label}).":
        "{name} 的裁剪是对的，但返回了 {value:.10g}；裁剪之前的总范数是 {norm:.10g}（{case.label}）。",
    "{name} returned None. Did you forget `return`?":
        "{name} 返回了 None。是不是忘了写 `return`？",
    "{name} returned {describe(value)}; return one learning rate, a number.":
        "{name} 返回了 {describe(value)}；请返回一个学习率，即一个数。",
    "{bugs} bugs of the loop are still there: ":
        "{bugs} 个错误还留在循环中没有改掉：",
    "{name}: a parameter without a gradient is not skipped. Its `.grad` is None (it took no part in the loss){line}. Skip it: `grads = [p.grad for p in params if p.grad is not None]`.":
        "{name}：没有跳过没有梯度的参数。它的 `.grad` 是 None（它没有参与损失的计算）{line}。请跳过它：`grads = [p.grad for p in params if p.grad is not None]`。",
}

PATTERNS = [
    # clip_grad_norm's cases: "{label}, c = {cap:g}, {dtype}, {device}" (no text to the extractor).
    (r"(?<=[\u4e00-\u9fff）]), c = ", "，c = "),
    # train_accumulated: the bugs left in the loop, "; "-joined.
    (r"(在累积循环内部调用了 zero_grad|在 backward 之前裁剪|损失没有除以微批量的个数|每个微批量都调用了调度器的 step); ",
     r"\1；"),
]
