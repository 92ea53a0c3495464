"""descent.check.initialization's mistakes in Chinese (see descent.check.language)."""

MESSAGES = {
    'the variance of ReLU(z) used instead of its second moment':
        '用了 ReLU(z) 的方差，而不是它的二阶矩',
    "The next layer needs E[h²], and E[ReLU(z)²] = ½·E[z²] exactly; ½ − 1/(2π) is Var(ReLU(z))/Var(z), which leaves out the square of ReLU's mean.":
        '下一层需要的是 E[h²]，而 E[ReLU(z)²] 恰好等于 ½·E[z²]；½ − 1/(2π) 是 Var(ReLU(z))/Var(z)，它漏掉了 ReLU 输出均值的平方。',
    'the ½ of ReLU missing':
        '缺少 ReLU 带来的 ½',
    'ReLU sets the negative half of a symmetric z to 0, so E[ReLU(z)²] = ½E[z²]: each layer multiplies the second moment by ½·n_in·σ².':
        'ReLU 把对称分布的 z 中为负的那一半置为 0，所以 E[ReLU(z)²] = ½E[z²]：每一层把二阶矩乘以 ½·n_in·σ²。',
    'the ½ of ReLU counted once instead of at every layer':
        'ReLU 的 ½ 只算了一次，而不是每一层都算',
    'Every ReLU halves the second moment: the factor is ½·n_in·σ² per layer.':
        '每个 ReLU 都会把二阶矩减半：每一层的因子是 ½·n_in·σ²。',
    'σ used where σ² belongs':
        '该用 σ² 的地方用了 σ',
    'Var(z) = n_in·Var(w)·E[h²], and Var(w) = σ² (weight_std squared).':
        'Var(z) = n_in·Var(w)·E[h²]，而 Var(w) = σ²（weight_std 的平方）。',
    "width used as the first layer's fan-in":
        '把 width 当成了第一层的扇入',
    "The first layer sees the network's input: its fan-in is in_features; the later layers' fan-in is width.":
        '第一层接收的是网络的输入：它的扇入是 in_features；后面各层的扇入才是 width。',
    "in_features used as every layer's fan-in":
        '把 in_features 当成了每一层的扇入',
    'Only the first layer sees the input; the later layers have fan-in width.':
        '只有第一层接收网络的输入；后面各层的扇入是 width。',
    'one layer too many':
        '多算了一层',
    "D layers multiply the input's second moment by D factors: (½n₀σ²)·(½nσ²)^(D−1).":
        'D 层会把输入的二阶矩乘上 D 个因子：(½n₀σ²)·(½nσ²)^(D−1)。',
    'one layer too few':
        '少算了一层',
    "the first layer's factor missing":
        '缺少第一层的因子',
    "D layers multiply the input's second moment by D factors; the first one is ½·in_features·σ².":
        'D 层会把输入的二阶矩乘上 D 个因子；第一个因子是 ½·in_features·σ²。',
    "the pre-activation's second moment (before the last ReLU)":
        '算成了预激活值的二阶矩（最后一个 ReLU 之前）',
    'h_D = ReLU(z_D) has half the second moment of z_D.':
        'h_D = ReLU(z_D) 的二阶矩只有 z_D 的一半。',
    'a standard deviation instead of the second moment':
        '返回了标准差，而不是二阶矩',
    'Return E[h_D²] itself, not its square root.':
        '应返回 E[h_D²] 本身，而不是它的平方根。',
    "the inputs' second moment q left out":
        '漏掉了输入的二阶矩 q',
    "The first layer's pre-activations have E[z₁²] = n₀σ²·q.":
        '第一层的预激活值满足 E[z₁²] = n₀σ²·q。',
}
