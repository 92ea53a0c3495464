"""descent.check.losses's mistakes in Chinese (see descent.check.language)."""

MESSAGES = {
    'divided by the number of rows, not the number of elements':
        '除以了行数，而不是元素个数',
    'MSE averages over all n elements: `.mean()`, or divide by `input.numel()`, not by `len(input)`.':
        'MSE 是对全部 n 个元素求平均：用 `.mean()`，或者除以 `input.numel()`，而不是除以 `len(input)`。',
    'divided by the size of the last dimension, not the number of elements':
        '除以了最后一维的大小，而不是元素个数',
    'MSE averages over all n elements: `.mean()` or `/ input.numel()`.':
        'MSE 是对全部 n 个元素求平均：用 `.mean()` 或 `/ input.numel()`。',
    'an extra factor ½':
        '多乘了一个因子 ½',
    "MSE is mean((ŷ − y)²); the ½ belongs to other conventions such as the article's J.":
        'MSE 就是 mean((ŷ − y)²)；这个 ½ 属于别的约定，比如原文中的 J。',
    'divided by n − 1':
        '除以了 n − 1',
    "That is the unbiased variance's convention; MSE divides by n.":
        '那是无偏方差的约定；MSE 除以的是 n。',
    'summed instead of averaged':
        '求了和，而不是求平均',
    'MSE is the mean over all elements: divide the sum of squared errors by their number (or use `.mean()`).':
        'MSE 是所有元素上的平均：把误差平方之和除以它们的个数（或者用 `.mean()`）。',
    'absolute error instead of squared error':
        '用了绝对误差，而不是平方误差',
    'That is the L1 loss (MAE); MSE squares the error: (ŷ − y)².':
        '那是 L1 损失（MAE）；MSE 要把误差平方：(ŷ − y)²。',
    'square root taken (that is RMSE)':
        '多开了平方根（那是 RMSE）',
    'MSE has no square root: mean((ŷ − y)²).':
        'MSE 不开平方根：mean((ŷ − y)²)。',
    'squared the mean error instead of averaging the squared errors':
        '先对误差求平均再平方，而不是对误差的平方求平均',
    'Square each error first, then average: mean((ŷ − y)²), not (mean(ŷ − y))².':
        '先把每个误差平方，再求平均：mean((ŷ − y)²)，而不是 (mean(ŷ − y))²。',
    'no reduction':
        '没有归约成一个数',
    'Return one number, the mean of the squared errors.':
        '应返回一个数：误差平方的平均值。',
    'not numerically stable':
        '数值上不稳定',
    'one max for the whole batch instead of one per row':
        '整个批量只减了一个最大值，而不是每行各减自己的最大值',
    "Subtract each row's own largest logit, m = z.max(dim=1, keepdim=True).values; with the batch's max, the exponentials of a row with smaller logits underflow to 0.":
        '每一行减去它自己最大的 logit，m = z.max(dim=1, keepdim=True).values；如果用整个批量的最大值，logit 较小的行的指数会下溢为 0。',
    'logits[:, target] picks an N×N block':
        'logits[:, target] 取出的是一个 N×N 的块',
    'Pick one logit per row: logits[torch.arange(N), target] (or logits.gather(1, target[:, None])).':
        '每行只取一个 logit：logits[torch.arange(N), target]（或 logits.gather(1, target[:, None])）。',
    'the max is not added back in log-sum-exp':
        'log Σⱼ e^{zⱼ} 中减去的最大值没有加回来',
    'log Σⱼ e^{zⱼ} = m + log Σⱼ e^{zⱼ − m}: after subtracting m = maxⱼ zⱼ inside the exponentials, add it back outside the log.':
        'log Σⱼ e^{zⱼ} = m + log Σⱼ e^{zⱼ − m}：在指数里减去 m = maxⱼ zⱼ 之后，要在 log 外面把它加回来。',
    'summed over the batch instead of averaged':
        '对批量求了和，而不是求平均',
    'Return the mean over the N examples.':
        '应返回 N 个样本上的平均值。',
    'minus sign missing':
        '缺少负号',
    'The loss is −log softmax(z)_k, which is ≥ 0.':
        '损失是 −log softmax(z)_k，它总是 ≥ 0。',
    'softmax taken over the batch (dim 0) instead of the classes (dim 1)':
        'softmax 沿批量（dim 0）计算，而不是沿类别（dim 1）',
    'Normalize each row: log-sum-exp over dim=1.':
        '对每一行做归一化：沿 dim=1 计算 log Σⱼ e^{zⱼ}。',
    'probability used instead of its logarithm':
        '用了概率本身，而不是它的对数',
    'Cross-entropy is −log p_k, not −p_k.':
        '交叉熵是 −log p_k，而不是 −p_k。',
    'Return the mean over all elements (`.mean()`).':
        '应返回所有元素上的平均值（`.mean()`）。',
    'divided by the number of rows instead of the number of elements':
        '除以了行数，而不是元素个数',
    'The mean is over every element: divide by `z.numel()`, or use `.mean()`.':
        '平均是对每一个元素求的：除以 `z.numel()`，或者用 `.mean()`。',
    'the sign of y·z is flipped':
        'y·z 的符号反了',
    'ℓ = max(z, 0) − y·z + log(1 + e^{−|z|}): the target term enters with a minus sign.':
        'ℓ = max(z, 0) − y·z + log(1 + e^{−|z|})：含目标值的那一项带负号。',
    'max(z, 0) is missing':
        '缺少 max(z, 0)',
    'log(1 + e^{z}) = max(z, 0) + log(1 + e^{−|z|}): keep the max(z, 0) that was factored out.':
        'log(1 + e^{z}) = max(z, 0) + log(1 + e^{−|z|})：提出来的 max(z, 0) 要保留。',
    '|z| where the formula has max(z, 0), or e^{−z} where it has e^{−|z|}':
        '把公式中的 max(z, 0) 写成了 |z|，或把 e^{−|z|} 写成了 e^{−z}',
    'Factor out e^{z} only when z > 0: log(1 + e^{z}) = max(z, 0) + log(1 + e^{−|z|}). (|z| + log(1 + e^{−|z|}) and max(z, 0) + log(1 + e^{−z}) both equal log(1 + e^{|z|}) for z < 0, which is wrong, and e^{−z} overflows for z ≪ 0.)':
        '只有在 z > 0 时才提出 e^{z}：log(1 + e^{z}) = max(z, 0) + log(1 + e^{−|z|})。（当 z < 0 时，|z| + log(1 + e^{−|z|}) 和 max(z, 0) + log(1 + e^{−z}) 都等于 log(1 + e^{|z|})，这是错的；而且当 z ≪ 0 时 e^{−z} 会溢出。）',
    'e^{−z} where the formula has e^{−|z|}':
        '把公式中的 e^{−|z|} 写成了 e^{−z}',
    'For z < 0 that is log(1 + e^{|z|}), which is neither right nor safe: use log(1 + e^{−|z|}).':
        '当 z < 0 时，它是 log(1 + e^{|z|})，既不对也不安全：应该用 log(1 + e^{−|z|})。',
    'the log(1 + e^{−|z|}) term is missing':
        '缺少 log(1 + e^{−|z|}) 这一项',
    'ℓ = max(z, 0) − y·z + log(1 + e^{−|z|}); the last term matters most near z = 0 (it is log 2 there).':
        'ℓ = max(z, 0) − y·z + log(1 + e^{−|z|})；最后一项在 z = 0 附近最重要（在那里它等于 log 2）。',
    'the 1 + inside the log is missing':
        'log 里面缺少 1 +',
    'The last term is log(1 + e^{−|z|}) (`torch.log1p(torch.exp(-z.abs()))`), not log(e^{−|z|}) = −|z|.':
        '最后一项是 log(1 + e^{−|z|})（`torch.log1p(torch.exp(-z.abs()))`），而不是 log(e^{−|z|}) = −|z|。',
    'log(1 − σ(z)) written as log σ(z)':
        '把 log(1 − σ(z)) 写成了 log σ(z)',
    'The label-0 term is (1 − y)·log(1 − σ(z)), and log(1 − σ(z)) = log σ(−z): the sign of z flips.':
        '标签为 0 的那一项是 (1 − y)·log(1 − σ(z))，而 log(1 − σ(z)) = log σ(−z)：z 的符号要反过来。',
    'targets flipped (y and 1 − y swapped)':
        '目标值反了（y 和 1 − y 对调了）',
    'The loss is −(y log σ(z) + (1 − y) log(1 − σ(z))): y goes with log σ(z), the probability of class 1.':
        '损失是 −(y log σ(z) + (1 − y) log(1 − σ(z)))：y 与 log σ(z) 相乘，σ(z) 是类别 1 的概率。',
    'the logits are used as probabilities (the sigmoid is missing)':
        '把 logit 当成了概率（缺少 sigmoid）',
    'z is a logit, any real number: p = σ(z). Better, use the stable form in z directly.':
        'z 是 logit，可以是任意实数：p = σ(z)。更好的做法是直接使用以 z 表示的稳定形式。',
    'the ½ is missing in the quadratic part':
        '二次部分缺少 ½',
    'Near the target ℓ = ½e², so that the two pieces meet at |e| = δ with the same slope.':
        '在目标值附近 ℓ = ½e²，这样两段才会在 |e| = δ 处以相同的斜率相接。',
    'the branches are swapped':
        '两个分支弄反了',
    'Quadratic for small errors (|e| < δ), linear for large ones.':
        '误差小（|e| < δ）时是二次的，误差大时是线性的。',
    'δ does not scale the linear part':
        '线性部分没有乘以 δ',
    'The linear piece is δ·(|e| − ½δ): its slope is δ, the slope of ½e² at |e| = δ.':
        '线性段是 δ·(|e| − ½δ)：它的斜率是 δ，也就是 ½e² 在 |e| = δ 处的斜率。',
    'this is the smooth L1 loss (the Huber loss divided by δ)':
        '这是平滑 L1 损失（smooth L1，即 Huber 损失除以 δ）',
    "PyTorch's smooth_l1_loss with β = δ is Huber/δ: ½e²/δ and |e| − ½δ. Huber is ½e² and δ·(|e| − ½δ).":
        'PyTorch 的 smooth_l1_loss 取 β = δ 时等于 Huber/δ：½e²/δ 和 |e| − ½δ。Huber 损失则是 ½e² 和 δ·(|e| − ½δ)。',
    'δ is ignored (δ = 1 is used)':
        '忽略了 δ（用的是 δ = 1）',
    'Use the `delta` argument in both the condition and the linear part.':
        '在判断条件和线性部分中都要用参数 `delta`。',
    'the linear part is not shifted by −½δ²':
        '线性部分没有平移 −½δ²',
    'δ·(|e| − ½δ) = δ|e| − ½δ², which makes the two pieces meet at |e| = δ.':
        'δ·(|e| − ½δ) = δ|e| − ½δ²，这样两段才会在 |e| = δ 处相接。',
    'δ² instead of ½δ² in the linear part':
        '线性部分用了 δ²，而不是 ½δ²',
    'The linear piece is δ·(|e| − ½δ) = δ|e| − ½δ².':
        '线性段是 δ·(|e| − ½δ) = δ|e| − ½δ²。',
    '+½δ instead of −½δ in the linear part':
        '线性部分用了 +½δ，而不是 −½δ',
    'The linear piece is δ·(|e| − ½δ): it meets ½e² at |e| = δ, where both are ½δ².':
        '线性段是 δ·(|e| − ½δ)：它在 |e| = δ 处与 ½e² 相接，两者在那里都等于 ½δ²。',
    '½δ instead of ½δ² in the linear part':
        '线性部分用了 ½δ，而不是 ½δ²',
    'δ·(|e| − ½δ) = δ|e| − ½δ²: the offset is squared.':
        'δ·(|e| − ½δ) = δ|e| − ½δ²：偏移量中的 δ 要平方。',
    'the absolute value of the error is missing':
        '误差缺少绝对值',
    'Both the test |e| < δ and the linear piece δ·(|e| − ½δ) use the size of the error: negative errors count as much as positive ones.':
        '判断条件 |e| < δ 和线性段 δ·(|e| − ½δ) 用的都是误差的大小：负的误差和正的误差同等对待。',
    'the linear part is missing (½e² everywhere)':
        '缺少线性部分（处处都是 ½e²）',
    'Beyond |e| = δ the loss grows linearly: δ·(|e| − ½δ).':
        '在 |e| = δ 之外，损失线性增长：δ·(|e| − ½δ)。',
    'this is the mean squared error':
        '这是均方误差',
    'Huber is ½e² only for |e| < δ, and linear beyond: δ·(|e| − ½δ).':
        'Huber 损失只在 |e| < δ 时是 ½e²，超出之后是线性的：δ·(|e| − ½δ)。',
    'this is the L1 loss (mean absolute error)':
        '这是 L1 损失（平均绝对误差）',
    'Huber is quadratic near the target, ½e² for |e| < δ, and δ·(|e| − ½δ) beyond.':
        'Huber 损失在目标值附近是二次的：|e| < δ 时为 ½e²，超出之后为 δ·(|e| − ½δ)。',
    'Return the mean over all elements.':
        '应返回所有元素上的平均值。',
    'not divided by N':
        '没有除以 N',
    'J is the mean over the N examples, so each row of the gradient is divided by N: (softmax(z) − y)/N.':
        'J 是 N 个样本上的平均，所以梯度的每一行都要除以 N：(softmax(z) − y)/N。',
    'sign flipped (one-hot − softmax)':
        '符号反了（one-hot − softmax）',
    "∂ℓ/∂z_c = p_c − y_c: the right class's logit gets p_k − 1 < 0, so gradient descent raises it.":
        '∂ℓ/∂z_c = p_c − y_c：正确类别的 logit 得到的梯度是 p_k − 1 < 0，所以梯度下降会把它调高。',
    'the softmax is missing (z − one-hot)':
        '缺少 softmax（z − one-hot）',
    'Differentiate log Σⱼ e^{zⱼ}: its derivative with respect to z_c is e^{z_c}/Σⱼ e^{zⱼ} = softmax(z)_c, not z_c.':
        '对 log Σⱼ e^{zⱼ} 求导：它对 z_c 的导数是 e^{z_c}/Σⱼ e^{zⱼ} = softmax(z)_c，而不是 z_c。',
    'the log-softmax instead of the softmax':
        '用了 log-softmax，而不是 softmax',
    'The derivative of log Σⱼ e^{zⱼ} is the softmax itself, p = softmax(z), not its logarithm.':
        'log Σⱼ e^{zⱼ} 的导数就是 softmax 本身，p = softmax(z)，而不是它的对数。',
    'the one-hot target is missing':
        '缺少独热（one-hot）目标',
    "Differentiate −z_k too: it contributes −1 to the right class's entry, so the gradient is p − y.":
        '−z_k 也要求导：它给正确类别的那一项贡献 −1，所以梯度是 p − y。',
    "only the right class's logit gets a gradient":
        '只有正确类别的 logit 得到了梯度',
    'Every logit appears in log Σⱼ e^{zⱼ}: the other classes get p_c, the right one p_k − 1.':
        '每个 logit 都出现在 log Σⱼ e^{zⱼ} 中：其他类别的梯度是 p_c，正确类别的是 p_k − 1。',
    'the sigmoid instead of the softmax':
        '用了 sigmoid，而不是 softmax',
    'With C classes the probabilities come from the softmax over each row; σ(z) − y is the two-class formula.':
        '有 C 个类别时，概率来自对每一行做的 softmax；σ(z) − y 是二分类的公式。',
    'the softmax is taken over the batch (dim 0)':
        'softmax 沿批量（dim 0）计算',
    "Normalize each example's row: softmax over the classes, dim=1.":
        '对每个样本的那一行做归一化：沿类别（dim=1）做 softmax。',
    'the class index is subtracted instead of a one-hot vector':
        '减去的是类别编号，而不是独热向量',
    'y is one-hot: 1 in the column of the right class, 0 elsewhere (`F.one_hot(target, C)`), not the number k.':
        'y 是独热向量：正确类别所在的列为 1，其余为 0（`F.one_hot(target, C)`），而不是数 k。',
    'divided by N·C instead of N':
        '除以了 N·C，而不是 N',
    'J averages over the N examples, not over the N·C logits: divide by N.':
        'J 是对 N 个样本求平均，而不是对 N·C 个 logit 求平均：应除以 N。',
    'divided by C instead of N':
        '除以了 C，而不是 N',
    'J averages over the N examples (rows), not over the C classes: divide by N = len(target).':
        'J 是对 N 个样本（行）求平均，而不是对 C 个类别求平均：应除以 N = len(target)。',
    'softmax applied before cross_entropy':
        '在 cross_entropy 之前先做了 softmax',
    '`F.cross_entropy` expects logits and applies the softmax itself; on probabilities the softmax is applied twice, so the loss cannot get near 0 and its gradients shrink. Pass the logits: `F.cross_entropy(model(x), y)`.':
        '`F.cross_entropy` 需要的是 logit，它自己会做 softmax；传入概率的话 softmax 就做了两次，损失无法接近 0，梯度也会变小。请直接传入 logit：`F.cross_entropy(model(x), y)`。',
    '`F.cross_entropy` expects logits and applies the softmax itself, over the classes; pass the logits unchanged: `F.cross_entropy(model(x), y)`.':
        '`F.cross_entropy` 需要的是 logit，它自己会沿类别做 softmax；请原样传入 logit：`F.cross_entropy(model(x), y)`。',
    'MSE on the logits':
        '对 logit 用了 MSE',
    'The mean squared error between logits and one-hot targets is not a classification loss; use `F.cross_entropy(logits, y)`.':
        'logit 与独热目标之间的均方误差不是分类损失；请用 `F.cross_entropy(logits, y)`。',
    'MSE on the probabilities':
        '对概率用了 MSE',
    'Squared error on softmax probabilities has gradients that vanish when the model is confidently wrong; use `F.cross_entropy(logits, y)`.':
        '对 softmax 概率取平方误差，在模型很有把握却判断错误时，梯度会消失；请用 `F.cross_entropy(logits, y)`。',
    'NLL loss on raw logits':
        '对原始 logit 用了 NLL 损失',
    '`F.nll_loss` expects log-probabilities: it only picks −input[k], so on raw logits the loss is −z_k, which has no minimum. Use `F.cross_entropy(logits, y)` (= nll_loss(log_softmax(logits), y)).':
        '`F.nll_loss` 需要的是对数概率：它只取出 −input[k]，所以对原始 logit 而言损失就是 −z_k，没有最小值。请用 `F.cross_entropy(logits, y)`（= nll_loss(log_softmax(logits), y)）。',
    'NLL loss on probabilities (the log is missing)':
        '对概率用了 NLL 损失（缺少 log）',
    '`F.nll_loss` expects log-probabilities; on probabilities it computes −p_k, not −log p_k. Use `F.cross_entropy(logits, y)`.':
        '`F.nll_loss` 需要的是对数概率；传入概率时它算出的是 −p_k，而不是 −log p_k。请用 `F.cross_entropy(logits, y)`。',
    'sigmoid applied before cross_entropy':
        '在 cross_entropy 之前先做了 sigmoid',
    '`F.cross_entropy` expects logits; pass `model(x)` unchanged.':
        '`F.cross_entropy` 需要的是 logit；请原样传入 `model(x)`。',
    'binary cross-entropy on one-hot targets':
        '对独热目标用了二元交叉熵',
    'With one class per example, the loss is the softmax cross-entropy: `F.cross_entropy(logits, y)`.':
        '每个样本只属于一个类别时，损失应是 softmax 交叉熵：`F.cross_entropy(logits, y)`。',
    'loss summed instead of averaged':
        '损失求了和，而不是求平均',
    "Keep the mean over the examples (the default `reduction='mean'`); with the sum the step is N times larger.":
        "保持对样本求平均（默认的 `reduction='mean'`）；如果求和，每一步的步长会大 N 倍。",
    'zero_grad missing: gradients accumulate':
        '缺少 zero_grad：梯度在不断累积',
    "PyTorch adds each backward()'s gradients to `.grad`; call `optimizer.zero_grad()` before `loss.backward()`.":
        'PyTorch 会把每次 backward() 的梯度加到 `.grad` 上；请在 `loss.backward()` 之前调用 `optimizer.zero_grad()`。',
    'the parameters are never updated':
        '参数从未更新',
    'Call `optimizer.step()` after `loss.backward()`, in every epoch.':
        '每一轮都要在 `loss.backward()` 之后调用 `optimizer.step()`。',
    'one epoch too few':
        '少训练了一轮',
    'Loop `for epoch in range(epochs)`.':
        '循环应写成 `for epoch in range(epochs)`。',
    'one epoch too many':
        '多训练了一轮',
    "With large logits, exp(z) overflows to infinity (or underflows to 0 inside a log). Subtract the largest logit of each row before exponentiating: log Σⱼ e^{zⱼ} = m + log Σⱼ e^{zⱼ − m}, m = maxⱼ zⱼ, and never take the log of a probability.":
        "logit 很大时，exp(z) 会上溢为无穷大（或在 log 里下溢为 0）。取指数之前，先减去每一行中最大的 logit：log Σⱼ e^{zⱼ} = m + log Σⱼ e^{zⱼ − m}，m = maxⱼ zⱼ；并且永远不要对概率取 log。",
    "ℓ = max(z, 0) − y·z + log(1 + e^{−|z|}), averaged over all elements":
        "ℓ = max(z, 0) − y·z + log(1 + e^{−|z|})，对所有元素求平均",
    "not finite":
        "结果不是有限值",
    "ℓ = −zₖ + log Σⱼ e^{zⱼ}, averaged over the batch":
        "ℓ = −zₖ + log Σⱼ e^{zⱼ}，对批量求平均",
    "loss = F.cross_entropy(model(x), y), then zero_grad, backward, step":
        "loss = F.cross_entropy(model(x), y)，然后依次 zero_grad、backward、step",
    ", logits of ±1000":
        "，logit 为 ±1000",
}

TEMPLATES = {
    "cross_entropy: not numerically stable. {STABILITY}":
        "cross_entropy：数值上不稳定。{STABILITY}",
    "{name}: not numerically stable. It is close to the right value but not within rounding: going through σ(z) loses digits (1 − σ(z) cancels for z > 0, and an ε added inside a log shifts it). Use the form in z directly: ℓ = max(z, 0) − y·z + log(1 + e^{{−|z|}}).":
        "{name}：数值上不稳定。结果接近正确值，但误差超出了舍入误差的范围：经由 σ(z) 计算会损失有效数字（z > 0 时 1 − σ(z) 会发生相消，而在 log 里加上一个 ε 又会使结果偏移）。请直接使用以 z 表示的形式：ℓ = max(z, 0) − y·z + log(1 + e^{{−|z|}})。",
    "{name} matches PyTorch's binary_cross_entropy_with_logits, values and gradients, on all {len(ordinary) + len(huge)} test cases, logits of ±1000 included.":
        "{name} 在全部 {len(ordinary) + len(huge)} 个测试用例上（包括 logit 为 ±1000 的用例）都与 PyTorch 的 binary_cross_entropy_with_logits 一致，值和梯度都相同。",
    "{name}: not numerically stable. It is right for ordinary logits but wrong for logits of ±1000: log(1 + e^{{z}}) overflows (e^{{1000}} = inf), and σ(z) rounds to exactly 0 or 1, so log σ(z) or log(1 − σ(z)) is log 0. Never exponentiate a positive number: ℓ = max(z, 0) − y·z + log(1 + e^{{−|z|}}).":
        "{name}：数值上不稳定。对普通的 logit 结果正确，但 logit 为 ±1000 时出错：log(1 + e^{{z}}) 会上溢（e^{{1000}} = inf），而 σ(z) 会被舍入成恰好 0 或 1，于是 log σ(z) 或 log(1 − σ(z)) 变成了 log 0。永远不要对正数取指数：ℓ = max(z, 0) − y·z + log(1 + e^{{−|z|}})。",
    "{name}: not numerically stable. The value is right, but the gradient is wrong (NaN) for logits of ±1000. `torch.where` evaluates both branches, and the gradient of the branch not taken (through e^{{1000}} = inf) is NaN. Use one formula that never exponentiates a positive number: ℓ = max(z, 0) − y·z + log(1 + e^{{−|z|}}).":
        "{name}：数值上不稳定。值是正确的，但 logit 为 ±1000 时梯度是错的（NaN）。`torch.where` 会计算两个分支，而没有选中的那个分支的梯度（经过 e^{{1000}} = inf）是 NaN。请使用一个永远不对正数取指数的公式：ℓ = max(z, 0) − y·z + log(1 + e^{{−|z|}})。",
    "four classes, 20 epochs, seed {seed}, {device}":
        "四个类别，20 轮，随机种子 {seed}，{device}",
    "{name} trains exactly like the correct loop (cross-entropy on the logits) on {'both' if len(cases) == 2 else f'all {len(cases)}'} test runs.":
        "{name} 在 {'both' if len(cases) == 2 else f'all {len(cases)}'} 次测试运行中的训练过程都与正确的循环（对 logit 计算交叉熵）完全一致。",
    "logits of size about {scale:g}":
        "logit 的大小约为 {scale:g}",
}

# The count of test runs above is a word of the English ("both", "all 4"), and the test
# cases' labels ("shape (6, 3)") are too short to be catalogued: in Chinese.
PATTERNS = [
    (r"(?<=[(（])shape (\([\d, ]*\))", r"形状 \1"),
    ("在 both 次测试运行中", "在两次测试运行中"),
    (r"在 all (\d+) 次测试运行中", r"在全部 \1 次测试运行中"),
]
