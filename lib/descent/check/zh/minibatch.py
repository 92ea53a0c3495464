"""descent.check.minibatch's texts in Chinese (see descent.check.language)."""

MESSAGES = {
    "the last, smaller mini-batch is skipped":
        "跳过了最后那个较小的小批量",
    "When n is not a multiple of the batch size, the last batch is smaller; it still counts: order[start:start + batch_size].":
        "当 n 不是批量大小的整数倍时，最后一个批量会小一些；但它同样要算进去：order[start:start + batch_size]。",
    "gradient summed over the batch instead of averaged":
        "梯度在批量上求了和，而不是求平均",
    "Divide by the batch size |B|: g = (1/|B|) Σ_{i∈B} ∇ℓᵢ.":
        "要除以批量大小 |B|：g = (1/|B|) Σ_{i∈B} ∇ℓᵢ。",
    "the last batch divided by batch_size instead of its own size":
        "最后一个批量除以了 batch_size，而不是它自己的大小",
    "The last mini-batch may be smaller: divide its gradient by len(batch), |B|, not by batch_size.":
        "最后一个小批量可能小一些：它的梯度要除以 len(batch)，即 |B|，而不是 batch_size。",
    "every step uses the whole data set":
        "每一步都用了整个数据集",
    "Each step uses only its mini-batch: x[batch], y[batch].":
        "每一步只用它自己的小批量：x[batch]、y[batch]。",
    "the given order is ignored":
        "没有按给定的顺序取样本",
    "Take the examples in the order given: batch = order[start:start + batch_size].":
        "按给定的顺序取样本：batch = order[start:start + batch_size]。",
    "integer division":
        "用了整数除法",
    "`a // b` rounds down to a whole number: divide with `/`, g = X_Bᵀ(X_B w − y_B) / |B|.":
        "`a // b` 会向下取整为整数：请用 `/` 做除法，g = X_Bᵀ(X_B w − y_B) / |B|。",
    "the order is inverted":
        "用成了顺序的逆排列",
    "order[k] is the index of the k-th example to visit: batch = order[start:start + batch_size], not positions found with argsort.":
        "order[k] 是第 k 个要访问的样本的下标：batch = order[start:start + batch_size]，而不是用 argsort 求出的位置。",
    "gradient sign flipped (gradient ascent)":
        "梯度的符号反了（梯度上升）",
    "The gradient is X_Bᵀ(X_B w − y_B); step against it: w ← w − α·g.":
        "梯度是 X_Bᵀ(X_B w − y_B)；要沿它的反方向走：w ← w − α·g。",
    "each batch misses its last example":
        "每个批量都漏掉了最后一个样本",
    "The slice end is exclusive: order[start:start + batch_size] already has batch_size elements.":
        "切片不包含终点：order[start:start + batch_size] 已经恰好有 batch_size 个元素。",
    "every gradient is taken at the starting w":
        "每个梯度都是在初始的 w 处计算的",
    "Each step's gradient is computed at the current w, after the previous batch's update.":
        "每一步的梯度都要在当前的 w 处计算，也就是在上一个批量更新之后的 w 处。",
    "a single step on the whole data set (that is one step of batch gradient descent)":
        "在整个数据集上只走了一步（这是批量梯度下降的一步）",
    "Loop over the mini-batches and take one step per batch.":
        "要遍历各个小批量，每个批量走一步。",
    "zero_grad missing (gradients accumulate)":
        "缺少 zero_grad（梯度会累积）",
    "backward() adds to .grad; without optimizer.zero_grad() every step uses the sum of all the gradients so far. Call it once per mini-batch, before loss.backward().":
        "backward() 会把梯度累加到 .grad 上；没有 optimizer.zero_grad()，每一步用的都是到目前为止所有梯度之和。每个小批量调用一次，放在 loss.backward() 之前。",
    "zero_grad once per epoch (gradients accumulate within the epoch)":
        "每轮只调用一次 zero_grad（梯度在一轮之内不断累积）",
    "Clear the gradients for every mini-batch, not every epoch: optimizer.zero_grad() goes inside the loop over the batches.":
        "要每个小批量清零一次梯度，而不是每轮一次：optimizer.zero_grad() 应放在遍历批量的循环里面。",
    "the parameters never change":
        "参数始终没有变化",
    "No step ever sees a gradient: optimizer.step() must come after loss.backward() and before the next optimizer.zero_grad() (zero_grad between backward and step clears the gradient before it is used), and the optimizer must hold model.parameters().":
        "没有一步用上了梯度：optimizer.step() 必须放在 loss.backward() 之后、下一次 optimizer.zero_grad() 之前（若把 zero_grad 放在 backward 和 step 之间，梯度还没用上就被清零了），而且优化器必须持有 model.parameters()。",
    "step() before backward(): every step uses the previous mini-batch's gradient":
        "step() 放在了 backward() 之前：每一步用的都是上一个小批量的梯度",
    "The order within a mini-batch is zero_grad(), loss, backward(), step().":
        "每个小批量内的顺序是：zero_grad()、loss、backward()、step()。",
    "loss summed instead of averaged":
        "损失求了和，而不是求平均",
    "The loss of a mini-batch is the mean squared error over its examples, F.mse_loss(...) with its default reduction='mean'.":
        "一个小批量的损失是其中各样本的均方误差，即使用默认 reduction='mean' 的 F.mse_loss(...)。",
    "summed loss divided by batch_size instead of the batch's length":
        "求和后的损失除以了 batch_size，而不是该批量的长度",
    "The last mini-batch is smaller; average over the examples it has (F.mse_loss does).":
        "最后一个小批量小一些；要对它实际包含的样本求平均（F.mse_loss 就是这样做的）。",
    "Take the examples of epoch e in the order orders[e]: batch = orders[e][start:start + batch_size].":
        "第 e 轮按 orders[e] 的顺序取样本：batch = orders[e][start:start + batch_size]。",
    "the same order every epoch":
        "每轮用的都是同一个顺序",
    "Each epoch has its own order: epoch e uses orders[e].":
        "每轮都有自己的顺序：第 e 轮用 orders[e]。",
    "only one epoch":
        "只训练了一个轮次",
    "Train one epoch per row of `orders`: for order in orders: ...":
        "`orders` 的每一行训练一个轮次：`for order in orders: ...`。",
    "When n is not a multiple of the batch size the last batch is smaller; it still counts.":
        "当 n 不是批量大小的整数倍时，最后一个批量会小一些；但它同样要算进去。",
    "inputs and targets taken in different orders":
        "输入和目标是按不同的顺序取的",
    "Index both with the same batch: model(x[batch]) against y[batch].":
        "两者都要用同一个 batch 来索引：model(x[batch]) 对应 y[batch]。",
    "rounded down instead of up":
        "向下取整了，而不是向上取整",
    "The error must be at most ε, so round the solution of the inequality up: |B| = ⌈…⌉ (math.ceil), not int() or floor.":
        "误差必须不超过 ε，所以不等式的解要向上取整：|B| = ⌈…⌉（math.ceil），而不是 int() 或 floor。",
    "not rounded to a whole batch size":
        "没有取整为整数的批量大小",
    "A batch holds a whole number of examples: return the smallest integer that satisfies the inequality (math.ceil).":
        "一个批量包含的样本数是整数：请返回满足不等式的最小整数（math.ceil）。",
    "rounded to the nearest integer instead of up":
        "四舍五入到了最近的整数，而不是向上取整",
    "round() may go down, and then the error is above ε: use math.ceil.":
        "round() 可能向下舍入，这时误差就会超过 ε：请用 math.ceil。",
    "finite-population correction missing":
        "缺少有限总体校正",
    "The batch is drawn without replacement from n examples: the variance is σ²/|B| · (n − |B|)/(n − 1), not σ²/|B|.":
        "批量是从 n 个样本中无放回抽取的：方差是 σ²/|B| · (n − |B|)/(n − 1)，而不是 σ²/|B|。",
    "ε used where ε² belongs":
        "该用 ε² 的地方用了 ε",
    "ε is a root-mean-square error: the condition is on the variance, E‖g − ∇J‖² ≤ ε².":
        "ε 是均方根误差：条件是对方差而言的，即 E‖g − ∇J‖² ≤ ε²。",
    "σ used where σ² belongs":
        "该用 σ² 的地方用了 σ",
    "sigma2 is already the variance σ²; the condition is σ²/|B| · (n − |B|)/(n − 1) ≤ ε².":
        "sigma2 已经是方差 σ²；条件是 σ²/|B| · (n − |B|)/(n − 1) ≤ ε²。",
    "n − 1 replaced by n":
        "把 n − 1 换成了 n",
    "The correction is (n − |B|)/(n − 1); solving σ²(n − |B|) ≤ ε²|B|(n − 1) gives |B| ≥ nσ² / ((n − 1)ε² + σ²).":
        "校正因子是 (n − |B|)/(n − 1)；解 σ²(n − |B|) ≤ ε²|B|(n − 1)，得到 |B| ≥ nσ² / ((n − 1)ε² + σ²)。",
    "the |B| in n − |B| dropped":
        "漏掉了 n − |B| 中的 |B|",
    "|B| appears on both sides: σ²(n − |B|) ≤ ε²|B|(n − 1), so collect the |B| terms: |B|((n − 1)ε² + σ²) ≥ nσ².":
        "|B| 出现在不等式两边：σ²(n − |B|) ≤ ε²|B|(n − 1)，所以要把含 |B| 的项合并到一起：|B|((n − 1)ε² + σ²) ≥ nσ²。",
    # The equations of "Check the equation: {equation}."
    "for each batch B in order: w ← w − α·(1/|B|) X_Bᵀ(X_B w − y_B)":
        "按 order 的顺序，对每个批量 B：w ← w − α·(1/|B|) X_Bᵀ(X_B w − y_B)",
    "for each epoch e, each batch B of orders[e]: optimizer.zero_grad(); F.mse_loss(model(x[B]), y[B]).backward(); optimizer.step()":
        "对第 e 轮中 orders[e] 的每个批量 B：optimizer.zero_grad(); F.mse_loss(model(x[B]), y[B]).backward(); optimizer.step()",
    "σ²/|B| · (n − |B|)/(n − 1) ≤ ε², smallest integer |B|":
        "σ²/|B| · (n − |B|)/(n − 1) ≤ ε²，取满足它的最小整数 |B|",
    # The settings of train_loop_reference's mistakes (zero_grad=...): plain labels.
    "every batch":
        "每个批量",
    "every epoch":
        "每个轮次",
    "before step":
        "在 step 之前",
}

TEMPLATES = {
    # A test case's label, read in parentheses: "（n = 12, 批量大小 4, torch.float64, cpu）"
    # (the dtype and device are added with ", ").
    "n = {n}, batch size 4":
        "n = {n}, 批量大小 4",
    "n = {n}, batch size 8, 4 epochs, {device}":
        "n = {n}, 批量大小 8, 4 轮, {device}",
    "train_fixed trains like the correct loop: the same parameters on all {len(cases)} runs.":
        "train_fixed 的训练与正确的循环一致：全部 {len(cases)} 次运行得到的参数都相同。",
}
