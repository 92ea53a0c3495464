"""descent.check.regularization's texts in Chinese (see descent.check.language)."""

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
        "用了整数除法",
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
        "耐心值差一（晚一轮才停止）",
    "patience off by one (one epoch too early)":
        "耐心值差一（早一轮就停止了）",
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
        "比 max_epochs 早一轮就停止了",
    "Train up to and including epoch max_epochs: `range(1, max_epochs + 1)`.":
        "一直训练到第 max_epochs 轮（含这一轮）：`range(1, max_epochs + 1)`。",
    "stop after `patience` epochs in a row without improvement":
        "在连续 `patience` 个轮次没有改善之后停止",
    "raised an exception":
        "抛出了异常",
    "the untrained model's":
        "未训练模型的",
    "search too coarse":
        "搜索太粗",
    "active in eval mode":
        "在评估模式下仍起作用",
    "no inverted scaling":
        "没有反向缩放",
    "wrong scaling":
        "缩放不对",
    "wrong stopping epoch":
        "停止的轮次不对",
    "wrong best epoch":
        "最佳轮次不对",
    "weights of no epoch, not the best":
        "不属于任何一个轮次、也不是最佳轮次的",
    "returned None":
        "返回了 None",
    "no evaluation":
        "没有做任何评估",
    "returned an index, not λ":
        "返回了下标，而不是 λ",
    "picked the highest loss":
        "选了损失最高的 λ",
    "returned the last λ tried":
        "返回了最后试的 λ",
    "λ not measured":
        "λ 没有测量过",
    "not the best λ tried":
        "不是试过的 λ 中最好的",
    "search range too low":
        "搜索范围太低",
    "search range too high":
        "搜索范围太高",
    "loss and accuracy swapped":
        "损失和准确率的顺序颠倒了",
    "Return `(loss, accuracy)`, in this order.":
        "请按这个顺序返回 `(loss, accuracy)`。",
    "accuracy in percent":
        "准确率用了百分数",
    "Return the accuracy as a fraction between 0 and 1.":
        "准确率要以 0 到 1 之间的比例返回。",
    "number of correct predictions, not the accuracy":
        "返回了预测正确的个数，而不是准确率",
    "Divide by the number of examples: `(predictions == y).double().mean()`.":
        "要除以样本数：`(predictions == y).double().mean()`。",
    "error rate instead of accuracy":
        "返回了错误率，而不是准确率",
    "The accuracy is the fraction of correct predictions, `argmax == y`.":
        "准确率是预测正确（`argmax == y`）的样本所占的比例。",
    "loss summed over the examples, not averaged":
        "损失对样本求了和，而不是求平均",
    "Return the mean cross-entropy.":
        "请返回交叉熵的平均值。",
    "softmax applied before the cross-entropy":
        "在交叉熵之前先做了 softmax",
    "`cross_entropy` takes the raw scores (logits); it applies log-softmax itself.":
        "`cross_entropy` 接收的是原始分数（logit）；它自己会做 log-softmax。",
    "negative log-likelihood of the raw scores":
        "对原始分数求了负对数似然",
    "`nll_loss` expects log-probabilities; use `cross_entropy` on the scores.":
        "`nll_loss` 需要的是对数概率；请对分数使用 `cross_entropy`。",
    "gradient tracking left off":
        "梯度跟踪被关闭后没有恢复",
    "model.eval() missing (dropout active during evaluation)":
        "缺少 model.eval()（评估时 Dropout 仍在起作用）",
    "model not called":
        "没有调用模型",
    "evaluation mode not restored":
        "没有恢复评估模式",
    "input modified":
        "修改了输入",
    "model changed":
        "修改了模型",
    "wrong type":
        "类型错误",
    "same mask at every call":
        "每次调用都用同一个掩码",
    "mask not drawn per element":
        "掩码不是逐元素抽取的",
    "zero-based":
        "从 0 开始编号",
    "training mode not restored":
        "没有恢复训练模式",
    "dropped nothing":
        "一个元素也没有丢弃",
    "dropped everything":
        "把所有元素都丢弃了",
}

TEMPLATES = {
    "With patience {scenario.patience}, max_epochs {scenario.max_epochs} and the validation losses {shown}, … (epochs 1, 2, …), the best epoch is {expected.returned} and training stops after epoch {expected.trained}.":
        "在耐心值为 {scenario.patience}、max_epochs 为 {scenario.max_epochs}、验证损失依次为 {shown}, …（第 1、2、… 轮）的情况下，最佳轮次是第 {expected.returned} 轮，训练在第 {expected.trained} 轮之后停止。",
    "λ = {chosen:.3g} gives a validation loss of {achieved:.3f}; the best λ on a fine grid, about {best_lam:.2g}, gives {best:.3f} (to pass: at most {limit:.3f}; without weight decay: {without:.3f}).":
        "λ = {chosen:.3g} 时验证损失为 {achieved:.3f}；在精细网格上最好的 λ 约为 {best_lam:.2g}，验证损失为 {best:.3f}（通过标准：不超过 {limit:.3f}；不用权重衰减时：{without:.3f}）。",
    "{name} drops a fraction p of the elements independently, with a new mask at every call, scales the rest by 1/(1 − p), and is the identity in evaluation mode.":
        "{name} 以比例 p 独立地丢弃元素，每次调用都使用新的掩码，把其余元素乘以 1/(1 − p)，并且在评估模式下是恒等映射。",
    "θ − α·(g + λ·sign(θ)) pushes a small weight back and forth across zero and never lands on 0. Take the gradient step on the loss alone, w = θ − α·g, then soft-threshold: θ ← {SOFT}.":
        "θ − α·(g + λ·sign(θ)) 会让小权重在零的两侧来回跳动，永远不会恰好落在 0 上。请先只对损失做梯度步，w = θ − α·g，再做软阈值：θ ← {SOFT}。",
    "The shrink scales with the step size: subtract α·λ (`lr * lam`) from |w|, not λ: θ ← {SOFT}.":
        "收缩量随步长缩放：从 |w| 中减去的是 α·λ（`lr * lam`），而不是 λ：θ ← {SOFT}。",
    "Soft-thresholding moves every weight towards zero by αλ and stops at zero. Zeroing |w| ≤ αλ and keeping the others as they are is hard thresholding. Use θ ← {SOFT}.":
        "软阈值把每个权重都向零移动 αλ，到零为止。把 |w| ≤ αλ 的权重置零、其余权重保持原样，这是硬阈值。请用 θ ← {SOFT}。",
    "First the gradient step on the loss, w = θ − α·g; then shrink w: θ ← {SOFT}.":
        "先对损失做梯度步，w = θ − α·g；再收缩 w：θ ← {SOFT}。",
    "Without the clip, a weight with |w| < αλ jumps to the other side of zero instead of stopping at 0: θ ← {SOFT}.":
        "没有截断时，|w| < αλ 的权重会跳到零的另一侧，而不是停在 0 上：θ ← {SOFT}。",
    "max(w − αλ, 0) wipes out every negative weight. Shrink the magnitude and keep the sign: θ ← {SOFT}.":
        "max(w − αλ, 0) 会抹掉所有负权重。要收缩的是绝对值，并保留符号：θ ← {SOFT}。",
    "max(|w| − αλ, 0) is the new magnitude; multiply it by sign(w): θ ← {SOFT}.":
        "max(|w| − αλ, 0) 是新的绝对值；还要乘以 sign(w)：θ ← {SOFT}。",
    "w − αλ moves a negative weight away from zero. Subtract αλ·sign(w): θ ← {SOFT}.":
        "w − αλ 会让负权重远离零。应减去 αλ·sign(w)：θ ← {SOFT}。",
    "Multiplying by (1 − αλ) shrinks in proportion, so no weight ever reaches zero. The L1 step subtracts the same αλ from every |w| and stops at zero: θ ← {SOFT}.":
        "乘以 (1 − αλ) 是按比例收缩，所以没有哪个权重会变成零。L1 的这一步从每个 |w| 中减去同样的 αλ，到零为止：θ ← {SOFT}。",
    "Where |w| ≤ αλ the result is exactly 0: θ ← {SOFT}.":
        "在 |w| ≤ αλ 处，结果恰好是 0：θ ← {SOFT}。",
    "The ½ belongs to the L2 penalty; the proximal step of λ‖θ‖₁ shrinks by αλ: θ ← {SOFT}.":
        "½ 属于 L2 惩罚项；λ‖θ‖₁ 的近端步收缩的量是 αλ：θ ← {SOFT}。",
    "Shrink w = θ − α·g and keep ITS sign: θ ← {SOFT}, with sign(w), not sign(θ).":
        "收缩 w = θ − α·g，并保留 w 自己的符号：θ ← {SOFT}，用的是 sign(w)，而不是 sign(θ)。",
    "The gradient step uses the loss's gradient g alone; the penalty is handled by the shrink only: w = θ − α·g, θ ← {SOFT}.":
        "梯度步只用损失的梯度 g；惩罚项只由收缩这一步处理：w = θ − α·g，θ ← {SOFT}。",
    "{STOP_AT}: after epoch best + patience, not best + patience + 1.":
        "{STOP_AT}：即在第 best + patience 轮之后停止，而不是在第 best + patience + 1 轮之后。",
    "{STOP_AT}: after epoch best + patience, not best + patience − 1.":
        "{STOP_AT}：即在第 best + patience 轮之后停止，而不是在第 best + patience − 1 轮之后。",
    "A single bad epoch is not enough: {STOP_AT}.":
        "只有一个轮次没有改善还不够：应当{STOP_AT}。",
    "{name}: the model ends with {where} weights. {setting} Restore the weights saved at the best epoch (a copy: `copy.deepcopy(model.state_dict())`).":
        "{name}：模型最后留下的是{where}权重。{setting}请恢复在最佳轮次保存的权重（要保存副本：`copy.deepcopy(model.state_dict())`）。",
    "{name}: your search is too coarse near the best λ. {summary} Space the values on a log scale (factors of 10), then spend the remaining evaluations around the best one.":
        "{name}：你在最佳 λ 附近的搜索太粗了。{summary}请先在对数尺度上取值（每次乘以 10），再把剩下的评估次数用在最好的那个值附近。",
    "{name} evaluates with dropout off and without tracking gradients, returns the mean cross-entropy and the accuracy, and leaves the model in the mode it found it in (training or evaluation).":
        "{name} 在关闭 Dropout、不跟踪梯度的情况下做评估，返回平均交叉熵和准确率，并让模型回到调用前所处的模式（训练或评估）。",
    "{name} returned loss {loss:.6g} and accuracy {accuracy:.6g}; expected {expected[0]:.6g} and {expected[1]:.6g} (model in {mode} mode, on {device}). Return the mean cross-entropy of `model(x)` against y and the fraction of correct predictions.":
        "{name} 返回的损失是 {loss:.6g}，准确率是 {accuracy:.6g}；应为 {expected[0]:.6g} 和 {expected[1]:.6g}（模型处于 {mode} 模式，在 {device} 上）。请返回 `model(x)` 相对于 y 的平均交叉熵，以及预测正确的比例。",
    "{len(params)} tensor(s) of shapes {list(shapes)}, λ = 0.3":
        "{len(params)} 个张量，形状为 {list(shapes)}，λ = 0.3",
    "{name} is active in evaluation mode (training=False). In evaluation return the input unchanged; inverted scaling during training is what makes that correct.":
        "{name} 在评估模式（training=False）下仍在起作用。评估时应原样返回输入；正是训练时的反向缩放保证了这样做是对的。",
    "{name} with p = {p} {'dropped nothing' if dropped == 0 else 'dropped everything'}. Draw one random number per element: keep it with probability 1 − p.":
        "{name} 在 p = {p} 时{'dropped nothing' if dropped == 0 else 'dropped everything'}。请为每个元素各抽取一个随机数：以概率 1 − p 保留该元素。",
    "{name} dropped a fraction {dropped:.2f} for p = {p}: p is the probability to DROP an element, not to keep it.":
        "{name} 在 p = {p} 时丢弃了比例为 {dropped:.2f} 的元素：p 是“丢弃”一个元素的概率，而不是保留它的概率。",
    "{name} dropped a fraction {dropped:.2f} of the elements for p = {p}; expected about p.":
        "{name} 在 p = {p} 时丢弃了比例为 {dropped:.2f} 的元素；应约为 p。",
    "{name}: no inverted scaling. Divide the kept elements by (1 − p) so that the expected output equals the input: y = mask·x/(1 − p).":
        "{name}：没有反向缩放。请把保留下来的元素除以 (1 − p)，使输出的期望等于输入：y = mask·x/(1 − p)。",
    "{name}: kept elements are {ratio[0].item():.3g}·x; they should be x/(1 − p) = {1 / (1 - p):.3g}·x.":
        "{name}：保留下来的元素是 {ratio[0].item():.3g}·x；应当是 x/(1 − p) = {1 / (1 - p):.3g}·x。",
    "{name} with p = 0 should return x unchanged (nothing dropped).":
        "{name} 在 p = 0 时应原样返回 x（什么也不丢弃）。",
    "{name} with p = 1 should return zeros (everything dropped), without dividing by 1 − p = 0.":
        "{name} 在 p = 1 时应返回全零（所有元素都被丢弃），而且不能除以 1 − p = 0。",
    "{name} matches the proximal step on every test case and in training runs: weights whose |w| falls below αλ land on exactly 0.":
        "{name} 在每个测试用例和训练运行中都与近端步一致：|w| 低于 αλ 的权重恰好落在 0 上。",
    "{name} stops after `patience` epochs without improvement (or at max_epochs), restores the best weights and returns the best epoch, on all {len(got)} scripted runs.":
        "{name} 在全部 {len(got)} 个预设的运行中，都在 `patience` 个轮次没有改善之后停止（或在达到 max_epochs 时停止），恢复最佳权重，并返回最佳轮次。",
    "{name} trained more than max_epochs = {scenario.max_epochs} epochs. {setting}":
        "{name} 训练了超过 max_epochs = {scenario.max_epochs} 个轮次。{setting}",
    "{name} trained {got.trained} epochs. {setting} Stop after `patience` epochs in a row without a strictly lower loss, or after max_epochs.":
        "{name} 训练了 {got.trained} 个轮次。{setting}请在连续 `patience` 个轮次都没有出现严格更低的损失之后停止，或在训练满 max_epochs 个轮次之后停止。",
    "{name} returned {got.returned!r}. {setting} Return the best epoch, an int numbered from 1.":
        "{name} 返回了 {got.returned!r}。{setting}请返回最佳轮次：一个从 1 开始编号的 int。",
    "the weight decay λ must be a number ≥ 0, got {lam!r}":
        "权重衰减 λ 必须是 ≥ 0 的数，收到的却是 {lam!r}",
    "{name} returned None. Did you forget `return`? Return the λ you choose.":
        "{name} 返回了 None。是不是忘了写 `return`？请返回你选定的 λ。",
    "{name} returned {describe(chosen)}; return the chosen weight decay λ, a number ≥ 0.":
        "{name} 返回了 {describe(chosen)}；请返回选定的权重衰减 λ，即一个 ≥ 0 的数。",
    "{name} returned a value without calling `validation_loss` once: tuning means measuring. Try a few values and keep the best.":
        "{name} 一次也没有调用 `validation_loss` 就返回了一个值：调参就是要测量。请试几个值，保留最好的那个。",
    "{name}: {summary} Evaluations used: {len(tried)} of {WEIGHT_DECAY_BUDGET}. Test loss with your λ: {test:.3f}.":
        "{name}：{summary}评估次数：用了 {len(tried)} 次（上限 {WEIGHT_DECAY_BUDGET} 次）。用你的 λ 得到的测试损失：{test:.3f}。",
    "{name} chose λ without measuring anything. {summary} Call `validation_loss(lam)` for the values you consider and keep the best.":
        "{name} 什么都没有测量就选定了 λ。{summary}请对你考虑的各个值调用 `validation_loss(lam)`，并保留最好的那个。",
    "{name} returned a validation loss ({chosen:.4g}), not λ. Return the λ whose validation loss is lowest.":
        "{name} 返回的是一个验证损失（{chosen:.4g}），而不是 λ。请返回验证损失最低的那个 λ。",
    "{name} returned {chosen:g}, which looks like a position in your list of candidates, not λ. {summary} Return the value of λ itself.":
        "{name} 返回了 {chosen:g}，这看起来像是候选值列表中的位置（下标），而不是 λ。{summary}请返回 λ 本身的值。",
    "{name} picked the λ with the HIGHEST validation loss of those it tried. {summary} Keep the λ with the lowest loss (`min`, not `max`).":
        "{name} 在试过的 λ 中选了验证损失“最高”的那个。{summary}应保留损失最低的 λ（用 `min`，而不是 `max`）。",
    "{name} returned the last λ it tried ({chosen:.3g}), not the best one (λ = {lowest[0]:.3g}, loss {lowest[1]:.3f}). {summary}":
        "{name} 返回的是最后试的 λ（{chosen:.3g}），而不是最好的那个（λ = {lowest[0]:.3g}，损失 {lowest[1]:.3f}）。{summary}",
    "{name} returned a λ it never measured. {summary} Return the best of the values you evaluated.":
        "{name} 返回了一个从未测量过的 λ。{summary}请返回你评估过的值中最好的那个。",
    "{name} did not return the best λ it measured (λ = {lowest[0]:.3g}, loss {lowest[1]:.3f}). {summary}":
        "{name} 没有返回测量过的 λ 中最好的那个（λ = {lowest[0]:.3g}，损失 {lowest[1]:.3f}）。{summary}",
    "{name}: every λ you tried is too small (the largest is {max(tried_lams):.3g}). {summary} Search a wider range on a log scale, e.g. from 1e-4 to 10.":
        "{name}：你试过的每个 λ 都太小了（最大的是 {max(tried_lams):.3g}）。{summary}请在对数尺度上搜索更宽的范围，例如从 1e-4 到 10。",
    "{name}: every λ you tried is too large (the smallest is {min(tried_lams):.3g}). {summary} Search a wider range on a log scale, e.g. from 1e-4 to 10.":
        "{name}：你试过的每个 λ 都太大了（最小的是 {min(tried_lams):.3g}）。{summary}请在对数尺度上搜索更宽的范围，例如从 1e-4 到 10。",
    "{name} switched gradient tracking off for good (`torch.set_grad_enabled(False)`), so the training that follows cannot compute gradients. Use `with torch.no_grad():`, which switches it back on at the end of the block.":
        "{name} 把梯度跟踪永久关闭了（`torch.set_grad_enabled(False)`），之后的训练就无法计算梯度。请用 `with torch.no_grad():`，它会在代码块结束时重新打开梯度跟踪。",
    "{name}: model.eval() missing (dropout active during evaluation). In training mode dropout zeroes random units, so the loss and accuracy are noisy and worse than the model's. Call `model.eval()` before the forward pass.":
        "{name}：缺少 model.eval()（评估时 Dropout 仍在起作用）。在训练模式下，Dropout 会把随机的单元置零，因此损失和准确率带有噪声，而且比模型的真实水平差。请在前向传播之前调用 `model.eval()`。",
    "{name} never ran the model on x. Compute `output = model(x)`.":
        "{name} 从未在 x 上运行模型。请计算 `output = model(x)`。",
    "{name}: torch.no_grad() missing. The forward pass records a graph for backpropagation that nobody uses, which costs memory and time. Run it inside `with torch.no_grad():`.":
        "{name}：缺少 torch.no_grad()。前向传播会记录一张供反向传播使用的计算图，但根本没有人用它，白白耗费内存和时间。请把它放在 `with torch.no_grad():` 里运行。",
    "{name}: evaluation mode not restored. The model was in evaluation mode and is left in training mode. Restore the mode it was in: `was_training = model.training` ... `model.train(was_training)`, not `model.train()`.":
        "{name}：没有恢复评估模式。模型原本处于评估模式，却被留在了训练模式。请恢复它原来的模式：`was_training = model.training` ... `model.train(was_training)`，而不是 `model.train()`。",
    "{name} changed x or y in place.":
        "{name} 原地修改了 x 或 y。",
    "{name} changed the model's weights. Evaluating must not train.":
        "{name} 修改了模型的权重。评估时不能训练。",
    "{name} returned {describe(result)}; return a tuple `(loss, accuracy)` of two numbers.":
        "{name} 返回了 {describe(result)}；请返回由两个数组成的元组 `(loss, accuracy)`。",
    "{name} returned {describe(result)}; return two numbers, e.g. `loss.item(), accuracy.item()`.":
        "{name} 返回了 {describe(result)}；请返回两个数，例如 `loss.item(), accuracy.item()`。",
    "{name} changed its input in place. Return a new tensor (`x * mask / (1 - p)`), do not modify x.":
        "{name} 原地修改了它的输入。请返回一个新张量（`x * mask / (1 - p)`），不要修改 x。",
    "{name} drops the same elements at every call. Each call must draw a new random mask; do not call `torch.manual_seed` inside the function, and do not build the mask from positions.":
        "{name} 每次调用都丢弃相同的元素。每次调用都必须抽取新的随机掩码；不要在函数内部调用 `torch.manual_seed`，也不要根据位置来构造掩码。",
    "{name} drops exactly p·n = {exact} elements at every call. Each element is dropped independently with probability p, so the number dropped varies from call to call: `torch.rand_like(x) < p`, not a random choice of exactly p·n positions.":
        "{name} 每次调用都恰好丢弃 p·n = {exact} 个元素。每个元素都以概率 p 被独立地丢弃，所以丢弃的个数每次调用都不一样：应写 `torch.rand_like(x) < p`，而不是随机选出恰好 p·n 个位置。",
    "{name} draws one random number per {along} of a {len(shape)}-d input (shape {tuple(shape)}), so whole {along}s are dropped together. Draw one number per element: `torch.rand_like(x)` or `torch.rand(x.shape)`.":
        "{name} 对 {len(shape)} 维输入（形状为 {tuple(shape)}）的每个{along}只抽取一个随机数，因此元素会整块地一起被丢弃。请为每个元素各抽取一个数：`torch.rand_like(x)` 或 `torch.rand(x.shape)`。",
    "epoch {self.epochs + 1} asked for, but max_epochs is {self.scenario.max_epochs}":
        "要求训练第 {self.epochs + 1} 轮，但 max_epochs 是 {self.scenario.max_epochs}",
    "{name} returned None. Did you forget `return best_epoch`?":
        "{name} 返回了 None。是不是忘了写 `return best_epoch`？",
    "{name}: training mode not restored. The model was in training mode and is left in evaluation mode, so the training that follows runs without dropout. Remember `was_training = model.training` and end with `model.train(was_training)`.":
        "{name}：没有恢复训练模式。模型原本处于训练模式，却被留在了评估模式，于是之后的训练会在没有 Dropout 的情况下进行。请先记下 `was_training = model.training`，最后用 `model.train(was_training)` 收尾。",
    "slice along dim {dim}":
        "沿维度 {dim}",
}

# Values of the templates above that are single English words (no catalogue entry of their
# own), translated once the template around them is in Chinese.
PATTERNS = [
    # early_stopping: the model ends with "epoch 7's" weights
    (r"模型最后留下的是epoch (\d+)'s权重", r"模型最后留下的是第 \1 轮的权重"),
    # evaluate_fixed: the mode the model was in
    ("模型处于 training 模式", "模型处于训练模式"),
    ("模型处于 evaluation 模式", "模型处于评估模式"),
    # dropout: one random number per row, column or slice ("slice along dim {dim}" -> "沿维度 {dim}")
    ("的每个row只抽取", "的每一行只抽取"),
    ("的每个column只抽取", "的每一列只抽取"),
    (r"的每个沿维度 (\d+)只抽取", r"的每个沿维度 \1 的切片只抽取"),
]
