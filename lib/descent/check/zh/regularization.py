"""descent.check.regularization's mistakes in Chinese (see descent.check.language)."""

MESSAGES = {
    "absolute values instead of squares":
        "用了绝对值而不是平方",
    "L2 squares the weights: (λ/2)·Σ w², not (λ/2)·Σ|w|.":
        "L2 对权重取平方：(λ/2)·Σ w²，而不是 (λ/2)·Σ|w|。",
    "the factor ½ is missing":
        "缺少系数 ½",
    "The L2 penalty is (λ/2)·Σ w², so that its gradient is λw.":
        "L2 惩罚项是 (λ/2)·Σ w²，这样它的梯度才是 λw。",
    "this is the L1 penalty":
        "这是 L1 惩罚项",
    "L2 squares the weights: (λ/2)·Σ w².":
        "L2 对权重取平方：(λ/2)·Σ w²。",
    "the norm is not squared":
        "范数没有取平方",
    "Use the sum of squares, not its square root.":
        "要用平方和，而不是平方和的平方根。",
    "only the first tensor is penalized":
        "只惩罚了第一个张量",
    "Sum over every tensor in `params`.":
        "要对 `params` 中的每一个张量求和。",
    "averaged instead of summed":
        "求了平均而不是求和",
    "Sum the squares; do not take the mean.":
        "对平方求和，不要取平均。",
    "only the last tensor is penalized":
        "只惩罚了最后一个张量",
    "Add the penalty of every tensor: `total = total + ...` inside the loop, not `total = ...`.":
        "把每个张量的惩罚项都加起来：在循环中写 `total = total + ...`，而不是 `total = ...`。",
    "each tensor's norm is not squared":
        "每个张量的范数没有取平方",
    "Sum the squares of the weights, Σ w², not the norms ‖w‖ of the tensors.":
        "要对权重的平方求和，即 Σ w²，而不是对各张量的范数 ‖w‖ 求和。",
    "the square of the sum instead of the sum of squares":
        "算成了和的平方，而不是平方和",
    "Square each weight, then sum: Σ w², not (Σ w)².":
        "先把每个权重平方，再求和：Σ w²，而不是 (Σ w)²。",
    "Square each weight, then sum: Σ w², not (Σ w)² per tensor.":
        "先把每个权重平方，再求和：Σ w²，而不是对每个张量算 (Σ w)²。",
    "only the first two tensors are penalized":
        "只惩罚了前两个张量",
    "`params` may hold any number of tensors: loop over all of them.":
        "`params` 中可以有任意多个张量：要遍历所有张量。",
    "λ is squared":
        "λ 被平方了",
    "λ multiplies the sum once: (λ/2)·Σ w², not Σ (λw)²/2.":
        "λ 只乘一次，乘在和上：(λ/2)·Σ w²，而不是 Σ (λw)²/2。",
    "integer division":
        "用了整除",
    "`lam // 2` rounds down to a whole number (0 for λ = 0.3). Use `lam / 2`.":
        "`lam // 2` 会向下取整为整数（λ = 0.3 时得到 0）。请用 `lam / 2`。",
    "absolute value missing":
        "缺少绝对值",
    "L1 sums |w|: negative weights must count positively.":
        "L1 对 |w| 求和：负权重也必须按正值计入。",
    "this is the L2 penalty":
        "这是 L2 惩罚项",
    "L1 sums absolute values, λ·Σ|w|.":
        "L1 对绝对值求和：λ·Σ|w|。",
    "Sum |w|; do not take the mean.":
        "对 |w| 求和，不要取平均。",
    "a factor ½ that L1 does not have":
        "多了一个 L1 没有的系数 ½",
    "The L1 penalty is λ·Σ|w|; the ½ belongs to L2's (λ/2)·Σ w².":
        "L1 惩罚项是 λ·Σ|w|；½ 属于 L2 的 (λ/2)·Σ w²。",
    "the Euclidean norm instead of the sum of absolute values":
        "用了欧几里得范数，而不是绝对值之和",
    "`p.norm()` is √(Σ w²); L1 is Σ|w| (`p.abs().sum()`, or `p.norm(p=1)`).":
        "`p.norm()` 是 √(Σ w²)；L1 是 Σ|w|（`p.abs().sum()` 或 `p.norm(p=1)`）。",
    "the absolute value of the sum instead of the sum of absolute values":
        "算成了和的绝对值，而不是绝对值之和",
    "Take |w| of each weight, then sum: Σ|w|, not |Σ w|.":
        "先对每个权重取 |w|，再求和：Σ|w|，而不是 |Σ w|。",
    "subgradient step instead of the proximal step (no exact zeros)":
        "用了次梯度步而不是近端步（得不到精确的零）",
    "threshold λ instead of αλ":
        "阈值用了 λ 而不是 αλ",
    "hard threshold: small weights zeroed, the others not shrunk":
        "用了硬阈值：小权重被置零，其余权重却没有收缩",
    "shrink before the gradient step":
        "在梯度步之前就做了收缩",
    "shrunk past zero: the max(·, 0) is missing":
        "收缩越过了零：缺少 max(·, 0)",
    "sign(w) missing: negative weights set to zero":
        "缺少 sign(w)：负权重被置为零",
    "sign(w) missing: every weight comes out ≥ 0":
        "缺少 sign(w)：所有权重的结果都 ≥ 0",
    "negative weights shrunk the wrong way":
        "负权重朝错误的方向收缩",
    "this is weight decay (L2), not the L1 proximal step":
        "这是权重衰减（L2），不是 L1 的近端步",
    "weights below the threshold left as they are (not set to 0)":
        "低于阈值的权重保持原样（没有置为 0）",
    "threshold αλ/2 instead of αλ":
        "阈值用了 αλ/2 而不是 αλ",
    "sign taken before the gradient step":
        "取的是梯度步之前的符号",
    "gradient step missing":
        "缺少梯度步",
    "the L1 penalty applied twice":
        "L1 惩罚被施加了两次",
    "best weights stored by reference (so \"best\" is the last)":
        "最佳权重是按引用保存的（所以“最佳”其实是最后一个）",
    "`model.state_dict()` returns references to the live weights, and training keeps changing them in place: what you saved IS the current model. Save a copy: `best_state = copy.deepcopy(model.state_dict())`.":
        "`model.state_dict()` 返回的是对当前权重的引用，而训练会不断原地修改这些权重：你保存的正是当前的模型本身。请保存一份副本：`best_state = copy.deepcopy(model.state_dict())`。",
    "best weights not restored":
        "没有恢复最佳权重",
    "The model ends with the weights of the last epoch. Keep a copy of the best epoch's weights (`copy.deepcopy(model.state_dict())`) and load it back at the end: `model.load_state_dict(best_state)`. (If you did load something back, it was a reference to the live weights, not a copy.)":
        "模型最后停留在最后一个轮次的权重上。请保存最佳轮次权重的副本（`copy.deepcopy(model.state_dict())`），并在最后把它加载回来：`model.load_state_dict(best_state)`。（如果你确实加载回了什么，那也只是对当前权重的引用，而不是副本。）",
    "patience off by one (one epoch too late)":
        "耐心值差一（晚一个轮次才停止）",
    "patience off by one (one epoch too early)":
        "耐心值差一（早一个轮次就停止了）",
    "stops at the first epoch without improvement (patience ignored)":
        "在第一个没有改善的轮次就停止了（忽略了耐心值）",
    "a tie counted as an improvement (`<=` instead of `<`)":
        "把持平算作了改善（用了 `<=` 而不是 `<`）",
    "An improvement is a strictly lower validation loss; an equal one does not reset the patience nor move the best epoch.":
        "改善是指验证损失严格更低；损失相等时，既不重置耐心计数，也不改变最佳轮次。",
    "patience counter not reset after an improvement":
        "改善之后没有重置耐心计数器",
    "Count the epochs without improvement since the best one, not all of them: set the count back to 0 when the loss improves.":
        "只统计自最佳轮次以来没有改善的轮次，而不是所有没有改善的轮次：损失一旦改善，就把计数重置为 0。",
    "patience counted against the previous epoch, not the best":
        "耐心值是相对上一个轮次计算的，而不是相对最佳轮次",
    "An epoch without improvement is one whose loss is not below the BEST so far; a loss below the previous epoch's but above the best does not reset the count.":
        "“没有改善”的轮次，是指其损失不低于迄今为止的“最佳”损失；损失低于上一个轮次、但高于最佳损失时，不会重置计数。",
    "the stop test comes before the improvement test":
        "先判断是否停止，后判断是否改善",
    "Look at this epoch's loss first (it may be a new best), then stop if `patience` epochs have passed without improvement.":
        "先看本轮次的损失（它可能是新的最佳值），然后如果已经连续 `patience` 个轮次没有改善，再停止。",
    "best epoch numbered from 0":
        "最佳轮次从 0 开始编号",
    "Number the epochs from 1: the first epoch of training is epoch 1.":
        "轮次从 1 开始编号：训练的第一个轮次是第 1 轮。",
    "returned the last epoch, not the best":
        "返回了最后一个轮次，而不是最佳轮次",
    "Return the epoch with the lowest validation loss (the one whose weights you restore).":
        "返回验证损失最低的那个轮次（也就是你恢复其权重的那个轮次）。",
    "returned the best validation loss, not the best epoch":
        "返回了最佳验证损失，而不是最佳轮次",
    "Return the epoch number (an int, from 1).":
        "返回轮次的编号（一个 int，从 1 开始）。",
    "best loss never updated":
        "最佳损失从未更新",
    "After an improvement remember the new best loss, `best_loss = loss`; otherwise every epoch looks like an improvement.":
        "有改善之后，要记下新的最佳损失：`best_loss = loss`；否则每个轮次看起来都像是有改善。",
    "validation loss measured before the epoch's training":
        "在本轮次训练之前就测量了验证损失",
    "Train the epoch first, then measure the validation loss of the weights it produced, and save those.":
        "先训练完这个轮次，再测量它得到的权重的验证损失，并保存这些权重。",
    "trained past max_epochs":
        "训练超过了 max_epochs",
    "Train at most `max_epochs` epochs: `for epoch in range(1, max_epochs + 1)`.":
        "最多训练 `max_epochs` 个轮次：`for epoch in range(1, max_epochs + 1)`。",
    "stops one epoch before max_epochs":
        "在 max_epochs 之前一个轮次就停止了",
    "Train up to and including epoch max_epochs: `range(1, max_epochs + 1)`.":
        "一直训练到第 max_epochs 个轮次（含该轮次）：`range(1, max_epochs + 1)`。",
}
