"""descent.check.initialization's texts in Chinese (see descent.check.language)."""

MESSAGES = {
    'the variance of ReLU(z) used instead of its second moment':
        '用了 ReLU(z) 的方差，而不是它的二阶矩',
    "The next layer needs E[h²], and E[ReLU(z)²] = ½·E[z²] exactly; ½ − 1/(2π) is Var(ReLU(z))/Var(z), which leaves out the square of ReLU's mean.":
        '下一层需要的是 E[h²]，而 E[ReLU(z)²] 恰好等于 ½·E[z²]；½ − 1/(2π) 是 Var(ReLU(z))/Var(z)，它漏掉了 ReLU 输出均值的平方。',
    'the ½ of ReLU missing':
        '缺少 ReLU 带来的 ½',
    'ReLU sets the negative half of a symmetric z to 0, so E[ReLU(z)²] = ½E[z²]: each layer multiplies the second moment by ½·n_in·σ².':
        '由于 ReLU 把对称分布的 z 中为负的那一半置为 0，所以 E[ReLU(z)²] = ½E[z²]：每一层把二阶矩乘以 ½·n_in·σ²。',
    'the ½ of ReLU counted once instead of at every layer':
        'ReLU 的 ½ 只算了一次，而不是每一层都算',
    'Every ReLU halves the second moment: the factor is ½·n_in·σ² per layer.':
        '每个 ReLU 都会把二阶矩减半：每一层的因子是 ½·n_in·σ²。',
    'σ used where σ² belongs':
        '该用 σ² 的地方用了 σ',
    'Var(z) = n_in·Var(w)·E[h²], and Var(w) = σ² (weight_std squared).':
        '这里要用方差：Var(z) = n_in·Var(w)·E[h²]，而 Var(w) = σ²（weight_std 的平方）。',
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

    # The labels of relu_stack_second_moment_reference's variants (not shown to the learner).
    'every layer':
        '每一层',
    'second moment':
        '二阶矩',
    'pre-activation':
        '预激活值',
    'in_features everywhere':
        '每一层都用 in_features',

    # predict_deep_activation_scale: the choices, read in "you predicted …", and why a choice fails.
    'that the activations vanish':
        '激活值会逐层消失',
    'that the activations stay about the same size':
        '激活值大致保持原来的大小',
    'that the activations explode':
        '激活值会逐层爆炸',
    "Var(w) = 1/n_in keeps the second moment of a *linear* layer's output equal to its input's, but ReLU zeroes the negative half of every pre-activation: each layer multiplies the second moment by ½·n_in·Var(w) = ½. He's 2/n_in puts the ½ back.":
        'Var(w) = 1/n_in 能让*线性*层输出的二阶矩等于其输入的二阶矩，但 ReLU 会把每个预激活值中为负的那一半置为 0：每一层都把二阶矩乘以 ½·n_in·Var(w) = ½。He 初始化的 2/n_in 正好把这个 ½ 补了回来。',
    'The factor per layer, ½·n_in·Var(w) = ½, is below 1; the signal would grow only if n_in·Var(w) were above 2.':
        '每一层的因子 ½·n_in·Var(w) = ½ 小于 1；只有当 n_in·Var(w) 大于 2 时，信号才会变大。',

    # kaiming_normal_ and xavier_uniform_: the mistakes' names (tags) and advice.
    'the same numbers on every call':
        '每次调用都抽出相同的数',
    'out of place':
        '非原地更新',
    'returned None':
        '返回了 None',
    'wrong return':
        '返回值不对',
    'not inside torch.no_grad()':
        '没有放在 torch.no_grad() 内',
    'fan_out used instead of fan_in':
        '用了 fan_out 而不是 fan_in',
    "He initialization in mode 'fan_in' uses fan_in = tensor.shape[1] × kernel size.":
        "在 'fan_in' 模式下，He 初始化用的是 fan_in = tensor.shape[1] × 卷积核大小。",
    'the gain √2 for ReLU is missing':
        'ReLU 的增益 √2 被漏掉了',
    'variance used as the standard deviation':
        '把方差当成了标准差',
    'Var(w) = 2/fan_in, so std = √(2/fan_in).':
        'Var(w) = 2/fan_in，所以 std = √(2/fan_in)。',
    "this is Xavier's variance":
        '这是 Xavier 初始化的方差',
    'He uses 2/fan_in.':
        'He 初始化用的是 2/fan_in。',
    'the kernel size is missing from fan_in':
        'fan_in 中漏掉了卷积核大小',
    'For a convolution weight (out, in, kh, kw), fan_in = in × kh × kw.':
        '对于形状为 `(out, in, kh, kw)` 的卷积权重，fan_in = in × kh × kw。',
    'fan_in counts every weight of the tensor':
        'fan_in 把张量的所有权重都算了进去',
    'fan_in is the number of inputs of one output unit: tensor.shape[1] × kernel size, not tensor.numel().':
        'fan_in 是一个输出单元的输入个数：tensor.shape[1] × 卷积核大小，而不是 tensor.numel()。',
    'fan_in taken from the last dimension':
        'fan_in 取自最后一个维度',
    'For a convolution weight (out, in, kh, kw) the last dimension is the kernel width; fan_in = in × kh × kw.':
        '对于形状为 `(out, in, kh, kw)` 的卷积权重，最后一个维度是卷积核的宽度；fan_in = in × kh × kw。',
    'wrong std':
        '标准差不对',
    'partly filled':
        '只填充了一部分',
    'not finite':
        '结果不是有限值',
    'all weights equal':
        '所有权重都相等',
    'not one independent draw per weight':
        '没有为每个权重独立抽取',
    'normal instead of uniform':
        '用了正态分布而不是均匀分布',
    'not uniform':
        '不是均匀分布',
    'U(0, a) instead of U(−a, a)':
        '用了 U(0, a) 而不是 U(−a, a)',
    'wrong bound':
        '边界不对',
    'the kernel size is missing from the fans':
        'fan_in 和 fan_out 中漏掉了卷积核大小',
    'For a convolution weight (out, in, kh, kw), fan_in = in·kh·kw and fan_out = out·kh·kw.':
        '对于形状为 `(out, in, kh, kw)` 的卷积权重，fan_in = in·kh·kw，fan_out = out·kh·kw。',
    'the fans taken from the last two dimensions':
        'fan_in 和 fan_out 取自最后两个维度',
    'fan_in = tensor.shape[1] × kernel size, fan_out = tensor.shape[0] × kernel size.':
        'fan_in = tensor.shape[1] × 卷积核大小，fan_out = tensor.shape[0] × 卷积核大小。',
    'gain ignored':
        '忽略了增益',
    'Multiply the bound by the gain: a = gain·√(6/(fan_in + fan_out)).':
        '要把边界乘以增益：a = gain·√(6/(fan_in + fan_out))。',
    'gain squared':
        '用了增益的平方',
    'The gain multiplies the bound once: a = gain·√(6/(fan_in + fan_out)).':
        '增益只乘边界一次：a = gain·√(6/(fan_in + fan_out))。',
    'gain inside the square root':
        '把增益放进了平方根里',
    'The gain multiplies the bound: a = gain·√(6/(fan_in + fan_out)), not √(6·gain/…).':
        '增益乘的是边界：a = gain·√(6/(fan_in + fan_out))，而不是 √(6·gain/…)。',
    'bound √(3/(fan_in + fan_out)): the 3 of the uniform counted without the 2 of Xavier':
        '边界用了 √(3/(fan_in + fan_out))：算上了均匀分布的 3，却漏掉了 Xavier 的 2',
    'Var(w) = 2/(fan_in + fan_out) and U(−a, a) has variance a²/3, so a = √3·√(2/(fan_in + fan_out)) = √(6/(fan_in + fan_out)).':
        '由于 Var(w) = 2/(fan_in + fan_out)，而 U(−a, a) 的方差是 a²/3，所以 a = √3·√(2/(fan_in + fan_out)) = √(6/(fan_in + fan_out))。',
    'the standard deviation used as the bound':
        '把标准差当成了边界',
    'U(−a, a) has standard deviation a/√3: a = √3·σ = gain·√(6/(fan_in + fan_out)).':
        'U(−a, a) 的标准差是 a/√3：a = √3·σ = gain·√(6/(fan_in + fan_out))。',
    'square root missing':
        '缺少平方根',
    'the variance used as the bound':
        '把方差当成了边界',
    'the square root taken of 6 only':
        '平方根只作用在了 6 上',
    'The square root covers the whole fraction: math.sqrt(6 / (fan_in + fan_out)).':
        '平方根要作用于整个分式：math.sqrt(6 / (fan_in + fan_out))。',
    'fan_out missing: only fan_in used':
        '缺少 fan_out：只用了 fan_in',
    'Xavier averages both directions: a = gain·√(6/(fan_in + fan_out)).':
        '在 Xavier 初始化中，两个方向（fan_in 与 fan_out）都要兼顾：a = gain·√(6/(fan_in + fan_out))。',
    'fan_in missing: only fan_out used':
        '缺少 fan_in：只用了 fan_out',
    'the fans averaged: √(6/((fan_in + fan_out)/2))':
        '对 fan_in 和 fan_out 取了平均：√(6/((fan_in + fan_out)/2))',
    'a = gain·√(6/(fan_in + fan_out)): the 2 of the average is already in the 6.':
        'a = gain·√(6/(fan_in + fan_out))：取平均的那个 2 已经包含在 6 里了。',
    '(rand − 0.5)·a draws from U(−a/2, a/2)':
        '(rand − 0.5)·a 抽取的是 U(−a/2, a/2)',
    'torch.rand gives U(0, 1); (2·rand − 1)·a, or tensor.uniform_(-a, a), gives U(−a, a).':
        '用 torch.rand 得到的是 U(0, 1)；用 (2·rand − 1)·a 或 tensor.uniform_(-a, a) 得到的才是 U(−a, a)。',
}

TEMPLATES = {
    # A value before a final "." may hold a "." itself (torch.float32): the Chinese ends with the
    # same "." (zh/steps.py's PATTERNS make it "。").

    # predict_deep_activation_scale: the experiment's evidence.
    "Standard deviation of the activations of a 50-layer ReLU network, width 256, weights N(0, 1/n_in): {rows}. From layer 1 to 50 it shrinks by {ratio:.1e}, close to (1/√2)^49 ≈ {2 ** (-24.5):.0e}: every ReLU layer halves the second moment.":
        "一个 50 层、宽度 256、权重服从 N(0, 1/n_in) 的 ReLU 网络中，各层激活值的标准差：{rows}。从第 1 层到第 50 层，它缩小为原来的 {ratio:.1e} 倍，接近 (1/√2)^49 ≈ {2 ** (-24.5):.0e}：每经过一个 ReLU 层，二阶矩就减半。",

    # kaiming_normal_
    "{name} fills the tensor in place with mean 0 and std √(2/fan_in), normally distributed, for linear and convolution weights.":
        "{name} 对线性层和卷积层的权重都能原地填充张量，取值服从均值为 0、标准差为 √(2/fan_in) 的正态分布。",
    "{name} drew the same numbers on two calls: every layer would start with the same weights. Do not seed the generator inside the initializer.":
        "{name} 两次调用抽出了相同的数：这样每一层都会从相同的权重开始。不要在初始化函数内部设置随机数种子。",
    " It returned {describe(out)} instead.":
        " 它返回的却是{describe(out)}。",
    "{name} did not fill the tensor in place.{where} Initializers change the given tensor: use `tensor.normal_(0, std)` (inside torch.no_grad()).":
        "{name} 没有原地填充传入的张量。{where}初始化函数要修改传入的张量本身：请用 `tensor.normal_(0, std)`（放在 torch.no_grad() 内）。",
    "{name} returned None. It should return the tensor it filled, like torch.nn.init does (`return tensor`).":
        "{name} 返回了 None。它应当像 torch.nn.init 那样，返回它所填充的张量（`return tensor`）。",
    "{name} should return the tensor it filled (like torch.nn.init does), not {describe(out)}.":
        "{name} 应当返回它所填充的张量（和 torch.nn.init 一样），而不是{describe(out)}.",
    "{name}: the standard deviation is {std:.4g}; expected √(2/fan_in) = {expected:.4g} for shape {shape}.":
        "{name}：标准差是 {std:.4g}；对于形状 {shape}，应为 √(2/fan_in) = {expected:.4g}。",
    "{name}: the weights should have mean 0, got {tensor.mean().item():.3g} (std {std:.3g}). Draw from N(0, σ²): `tensor.normal_(0, std)`.":
        "{name}：权重的均值应为 0，实际是 {tensor.mean().item():.3g}（标准差 {std:.3g}）。请从 N(0, σ²) 中抽取：`tensor.normal_(0, std)`。",
    "{name}: the values look uniformly distributed (kurtosis {kurtosis:.2f}); kaiming_normal_ draws from a normal distribution.":
        "{name}：这些值看起来服从均匀分布（峰度 {kurtosis:.2f}）；kaiming_normal_ 应当从正态分布中抽取。",
    "{name} cannot fill an nn.Parameter: autograd does not allow in-place changes of a weight that requires grad. Fill it inside `with torch.no_grad():`.":
        "{name} 无法填充 nn.Parameter：autograd 不允许原地修改需要梯度的权重。请在 `with torch.no_grad():` 内填充它。",

    # xavier_uniform_. A case's label, pasted into the verdicts in parentheses; the values
    # after the shape keep their English separators (the shape itself holds ", ").
    "{kind} of shape {self.shape}{gain}, {self.dtype}, {self.device}":
        "{kind}，形状为 {self.shape}{gain}, {self.dtype}, {self.device}",
    "{name} fills the tensor in place with U(−a, a), a = gain·√(6/(fan_in + fan_out)), for linear and convolution weights, with and without a gain, and returns it.":
        "{name} 对线性层和卷积层的权重，无论是否给定增益，都能原地用 U(−a, a)（a = gain·√(6/(fan_in + fan_out))）填充张量，并返回该张量。",
    "{name} did not fill the tensor in place.{where} Initializers change the given tensor: `tensor.uniform_(-a, a)` (inside torch.no_grad()).":
        "{name} 没有原地填充传入的张量。{where}初始化函数要修改传入的张量本身：请用 `tensor.uniform_(-a, a)`（放在 torch.no_grad() 内）。",
    "{name} filled only part of the tensor ({case.label()}).":
        "{name} 只填充了张量的一部分（{case.label()}）。",
    "{name} filled the tensor with NaN or infinity ({case.label()}).":
        "{name} 在张量中填入了 NaN 或无穷大（{case.label()}）。",
    "{name} gave every weight the same value {high:.4g}: the weights must be random, or every unit of the layer computes the same thing.":
        "{name} 给每个权重都赋了同一个值 {high:.4g}：权重必须是随机的，否则这一层的每个单元都会计算出相同的结果。",
    "{name}: many weights repeat ({case.label()}): draw one independent number per weight, e.g. tensor.uniform_(-a, a), not one per row and broadcast.":
        "{name}：许多权重是重复的（{case.label()}）：要为每个权重独立抽取一个数，例如用 tensor.uniform_(-a, a)，而不是每行抽一个再广播。",
    "{name}: normal instead of uniform. The values look normally distributed (kurtosis {peakedness:.2f}; a uniform distribution has 1.8): draw from U(−a, a) with tensor.uniform_(-a, a), a = gain·√(6/(fan_in + fan_out)).":
        "{name}：用了正态分布而不是均匀分布。这些值看起来服从正态分布（峰度 {peakedness:.2f}；均匀分布的峰度是 1.8）：请用 tensor.uniform_(-a, a) 从 U(−a, a) 中抽取，a = gain·√(6/(fan_in + fan_out))。",
    "{name}: the values are not uniformly distributed (kurtosis {peakedness:.2f}; U(−a, a) has 1.8), {case.label()}.":
        "{name}：这些值不服从均匀分布（峰度 {peakedness:.2f}；U(−a, a) 的峰度是 1.8）。测试情形：{case.label()}.",
    "{name}: U(0, a) instead of U(−a, a). All the weights are positive (from {low:.3g} to {high:.3g}); the interval is symmetric around 0: tensor.uniform_(-a, a).":
        "{name}：用了 U(0, a) 而不是 U(−a, a)。所有权重都是正的（从 {low:.3g} 到 {high:.3g}）；区间应当关于 0 对称：tensor.uniform_(-a, a)。",
    "{name}: the values lie in [{low:.4g}, {high:.4g}]; expected U(−a, a) with a = gain·√(6/(fan_in + fan_out)) = {expected:.4g} ({case.label()}).":
        "{name}：这些值落在 [{low:.4g}, {high:.4g}] 内；应为 U(−a, a)，其中 a = gain·√(6/(fan_in + fan_out)) = {expected:.4g}（{case.label()}）。",
    "{name}: the weights should be centred on 0; they lie in [{low:.4g}, {high:.4g}] with mean {values.mean().item():.3g}. Draw from U(−a, a).":
        "{name}：权重应当以 0 为中心；它们落在 [{low:.4g}, {high:.4g}] 内，均值为 {values.mean().item():.3g}。请从 U(−a, a) 中抽取。",
    "{name} cannot fill an nn.Parameter ({case.label()}): autograd does not allow in-place changes of a weight that requires grad. Fill it inside `with torch.no_grad():`.":
        "{name} 无法填充 nn.Parameter（{case.label()}）：autograd 不允许原地修改需要梯度的权重。请在 `with torch.no_grad():` 内填充它。",
}

# Built by code, not literals: the rows of the evidence ("layer 10: 2.2e-02 (He: 0.71); …"),
# the label's kind ("tensor"), and the answers allowed, which are code: each keeps its English
# and gets its meaning after it.
_ROW = r"layer (\d+): ([-+.\deE]+) \(He: ([-+.\deE]+)\)"
PATTERNS = [
    (_ROW + r"; (?=layer \d)", r"第 \1 层：\2（He 初始化：\3）；"),
    (_ROW, r"第 \1 层：\2（He 初始化：\3）"),
    (r"\btensor，形状为 ", "张量，形状为 "),
    (r"'vanishes', 'stays', 'explodes'",
     "'vanishes'（逐层消失）、'stays'（大致保持原来的大小）、'explodes'（逐层爆炸）"),
]
