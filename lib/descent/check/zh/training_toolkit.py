"""descent.check.training_toolkit's mistakes in Chinese (see descent.check.language)."""

MESSAGES = {
    "β and 1 − β swapped":
        "β 和 1 − β 弄反了",
    "The average keeps most of itself: θ̄ ← β θ̄ + (1 − β) θ with β = decay close to 1. Swapped, it follows the last weights almost exactly.":
        "平均值应当保留自身的大部分：θ̄ ← β θ̄ + (1 − β) θ，其中 β = decay 接近 1。弄反之后，它几乎完全跟着最新的权重走。",
    "the average starts at zero":
        "平均值从零开始",
    "Before the first update there is nothing to average: copy the weights, θ̄ ← θ. Started at 0, the average is pulled towards 0 for about 1 / (1 − β) updates (the bias Adam corrects in m and v).":
        "第一次更新之前没有什么可平均的：直接复制权重，θ̄ ← θ。如果从 0 开始，平均值在大约 1 / (1 − β) 次更新内都会被拉向 0（这正是 Adam 在 m 和 v 中校正的偏差）。",
    "Before the first update there is nothing to average: copy the weights, θ̄ ← θ. Started at 0, the average is pulled towards 0 for about 1 / (1 − β) updates.":
        "第一次更新之前没有什么可平均的：直接复制权重，θ̄ ← θ。如果从 0 开始，平均值在大约 1 / (1 − β) 次更新内都会被拉向 0。",
    "the gradients averaged instead of the weights":
        "平均的是梯度而不是权重",
    "The EMA of the weights averages `p` itself (its values), not `p.grad`: that would be a momentum buffer.":
        "权重的 EMA 平均的是 `p` 本身（它的值），而不是 `p.grad`：那样得到的是一个动量缓冲区。",
    "SWA's mean instead of the EMA":
        "用了 SWA 的均值而不是 EMA",
    "The running mean θ̄ + (θ − θ̄)/(n + 1) gives every weight the same share (that is SWA); the EMA forgets old weights geometrically: θ̄ ← β θ̄ + (1 − β) θ.":
        "累计平均 θ̄ + (θ − θ̄)/(n + 1) 给每个权重相同的份额（那是 SWA）；EMA 则按几何级数遗忘旧的权重：θ̄ ← β θ̄ + (1 − β) θ。",
    "the micro-batch losses not divided":
        "微批量的损失没有做除法",
    "backward() adds up: k micro-batch means give k times the gradient. Weight each micro-batch's loss by n_j / N.":
        "backward() 会把梯度累加起来：k 个微批量的平均损失给出的是 k 倍的梯度。应把每个微批量的损失乘以权重 n_j / N。",
    "divided by k with an uneven last batch":
        "最后一个微批量大小不同时仍除以 k",
    "Dividing each mean by the number of micro-batches k is right only when they are all the same size. With n_j examples in micro-batch j and N in all, weight its mean loss by n_j / N: then every example counts the same, as in the big batch.":
        "只有当所有微批量大小相同时，把每个均值除以微批量个数 k 才是对的。若微批量 j 有 n_j 个样本、总共有 N 个样本，就把它的平均损失乘以权重 n_j / N：这样每个样本的分量都相同，和在大批量中一样。",
    "gradients cleared between micro-batches":
        "在微批量之间清空了梯度",
    "zero_grad before each micro-batch throws away the gradients accumulated so far: only the last one is left. Clear them once, before accumulating (here they start at None).":
        "在每个微批量之前调用 zero_grad，会扔掉到目前为止累积的梯度：最后只剩下最后一个微批量的梯度。应在开始累积之前清空一次（这里梯度初始为 None）。",
    "multiplied by n_j but not divided by N":
        "乘以了 n_j，却没有除以 N",
    "loss · n_j is the micro-batch's sum of losses: the total is the big batch's sum, N times its mean. Divide by N too.":
        "loss · n_j 是该微批量的损失之和：全部加起来是大批量的损失之和，即其均值的 N 倍。还要再除以 N。",
}
