"""descent.check.future's texts in Chinese (see descent.check.language)."""

MESSAGES = {
    "momentum updated before the interpolation":
        "插值之前就更新了动量",
    "Compute c = β₁·m + (1 − β₁)·g with the OLD momentum m; update m ← β₂·m + (1 − β₂)·g only after the step.":
        "要用“旧”的动量 m 计算 c = β₁·m + (1 − β₁)·g；等这一步走完之后，再更新 m ← β₂·m + (1 − β₂)·g。",
    "steps along sign(m) instead of sign(c)":
        "沿 sign(m) 而不是 sign(c) 更新",
    "Lion steps along the sign of the interpolation c = β₁·m + (1 − β₁)·g (with β₁), not of the momentum m (with β₂).":
        "Lion 沿插值 c = β₁·m + (1 − β₁)·g（用 β₁）的符号更新，而不是沿动量 m（用 β₂）的符号。",
    "sign missing":
        "缺少取符号",
    "Lion steps by α·sign(c): every coordinate moves by exactly α.":
        "Lion 每一步走 α·sign(c)：每个坐标的移动量都恰好是 α。",
    "β₁ and β₂ swapped":
        "β₁ 与 β₂ 用反了",
    "β₁ (beta1) mixes the interpolation c = β₁·m + (1 − β₁)·g; β₂ (beta2) updates the momentum m ← β₂·m + (1 − β₂)·g.":
        "β₁（beta1）用于混合插值 c = β₁·m + (1 − β₁)·g；β₂（beta2）用于更新动量 m ← β₂·m + (1 − β₂)·g。",
    "β₁ and 1 − β₁ swapped in the interpolation":
        "插值中 β₁ 与 1 − β₁ 用反了",
    "c = β₁·m + (1 − β₁)·g: β₁ weights the momentum.":
        "c = β₁·m + (1 − β₁)·g：β₁ 是动量的权重。",
    "weight decay not scaled by the learning rate":
        "权重衰减没有乘以学习率",
    "The decay is decoupled, as in AdamW: θ ← θ·(1 − αλ), with α = lr; not θ·(1 − λ).":
        "这里的衰减是解耦的，与 AdamW 一样：θ ← θ·(1 − αλ)，其中 α = lr；而不是 θ·(1 − λ)。",
    "weight decay added to the gradient (coupled)":
        "权重衰减加到了梯度上（耦合式）",
    "Lion's weight decay is decoupled: multiply θ by (1 − αλ); do not add λθ to the gradient.":
        "Lion 的权重衰减是解耦的：把 θ 乘以 (1 − αλ)；不要把 λθ 加到梯度上。",
    "weight decay applied after the sign step":
        "权重衰减放在了符号更新之后",
    "Decay the old weights, then step: θ ← θ·(1 − αλ) − α·sign(c).":
        "先对旧的权重做衰减，再更新：θ ← θ·(1 − αλ) − α·sign(c)。",
    "weight decay missing":
        "缺少权重衰减",
    "Multiply the weights by (1 − αλ) at every step: θ ← θ·(1 − αλ) − α·sign(c).":
        "每一步都要把权重乘以 (1 − αλ)：θ ← θ·(1 − αλ) − α·sign(c)。",
    "momentum updated with c instead of g":
        "用 c 而不是 g 更新了动量",
    "The momentum averages the gradients: m ← β₂·m + (1 − β₂)·g, with the new gradient g, not the interpolation c.":
        "动量是梯度的平均：m ← β₂·m + (1 − β₂)·g，用的是新的梯度 g，而不是插值 c。",
    "momentum starts at the first gradient":
        "动量的初值取了第一个梯度",
    "m starts at zero (m₀ = 0), as in the paper; on the first step c = (1 − β₁)·g₁.":
        "与论文中一样，m 从零开始（m₀ = 0）；因此第一步时 c = (1 − β₁)·g₁。",
    "momentum not kept between steps, or not used: this steps along sign(g)":
        "动量没有在步与步之间保留，或者没有用上：这样实际上是沿 sign(g) 更新",
    "Keep m in `state` (e.g. `state['m']`) so that it carries over to the next call, and step along the sign of c = β₁·m + (1 − β₁)·g.":
        "把 m 保存在 `state` 中（例如 `state['m']`），让它延续到下一次调用，并沿 c = β₁·m + (1 − β₁)·g 的符号更新。",
    "Nesterov counted with two buffers":
        "把 Nesterov 算成了两个缓冲区",
    "Nesterov keeps one momentum buffer, like plain momentum; the look-ahead g + β·b is computed at each step, not stored.":
        "Nesterov 与普通动量一样，只保存一个动量缓冲区；前瞻项 g + β·b 是每一步现算的，并不保存。",
    "AdamW counted with an extra buffer":
        "给 AdamW 多算了一个缓冲区",
    "AdamW keeps the same m and v as Adam; its decoupled decay shrinks θ directly and stores nothing.":
        "AdamW 保存的 m 和 v 与 Adam 完全相同；它的解耦衰减直接缩小 θ，不需要保存任何东西。",
    "Adagrad counted with no state":
        "把 Adagrad 算成了没有状态",
    "Adagrad keeps the running sum of squared gradients, one buffer of the parameters' size.":
        "Adagrad 保存梯度平方的累加和，即一个与参数同样大小的缓冲区。",
    "RMSprop counted with two buffers":
        "把 RMSprop 算成了两个缓冲区",
    "Plain RMSprop (no momentum, not centered) keeps one buffer, the running average of g².":
        "普通的 RMSprop（不带动量、不中心化）只保存一个缓冲区，即 g² 的滑动平均。",
    "parameters and gradients counted too":
        "把参数和梯度也算进去了",
    "Count the optimizer's state only: the tensors it keeps between steps. The parameters and their gradients exist with any optimizer.":
        "只计算优化器状态，即优化器在步与步之间保存的张量。参数及其梯度无论用哪种优化器都存在。",
    "parameters counted too":
        "把参数也算进去了",
    "Count the optimizer's state only: the parameters themselves are the model, not the optimizer's state.":
        "只计算优化器状态：参数本身属于模型，不属于优化器状态。",
    "bits instead of bytes":
        "算成了比特而不是字节",
    "bytes_per_value is already in bytes (4 for float32); do not multiply by 8.":
        "bytes_per_value 的单位已经是字节（float32 为 4）；不要再乘以 8。",
    "bytes_per_value ignored (this counts values, not bytes)":
        "忽略了 bytes_per_value（这样数的是数值个数，而不是字节数）",
    "Multiply the number of values by the bytes each takes.":
        "把数值的个数乘以每个数值所占的字节数。",
    "bytes_per_value ignored: always 4 bytes (float32)":
        "忽略了 bytes_per_value：一律按 4 字节（float32）计算",
    "Use the bytes_per_value you are given: 2 for float16 or bfloat16, 8 for float64.":
        "请使用给定的 bytes_per_value：float16 或 bfloat16 为 2，float64 为 8。",
    "Adam counted as one buffer":
        "把 Adam 算成了一个缓冲区",
    "Adam and AdamW keep two tensors per parameter tensor: the first moment m and the second moment v.":
        "Adam 和 AdamW 为每个参数张量保存两个张量：一阶矩 m 和二阶矩 v。",
    "AdamW counted differently from Adam":
        "AdamW 的状态算得与 Adam 不同",
    "AdamW keeps exactly Adam's state (m and v); only its weight decay differs.":
        "AdamW 保存的状态与 Adam 完全相同（m 和 v）；不同的只是它的权重衰减。",
    "Lion counted as two buffers":
        "把 Lion 算成了两个缓冲区",
    "Lion keeps one buffer, the momentum m: that is its saving over Adam.":
        "Lion 只保存一个缓冲区，即动量 m：这正是它比 Adam 节省的地方。",
    "plain SGD counted with a buffer":
        "给普通 SGD 算了一个缓冲区",
    "Plain SGD keeps nothing between steps: θ ← θ − α·g needs only the current gradient.":
        "普通 SGD 在步与步之间什么也不保存：θ ← θ − α·g 只需要当前的梯度。",
    "momentum counted as stateless":
        "把动量算成了没有状态",
    "SGD with momentum (and Nesterov) keeps the velocity b, one tensor of the parameters' size.":
        "带动量的 SGD（以及 Nesterov）保存速度 b，即一个与参数同样大小的张量。",
    "Adagrad or RMSprop counted as stateless":
        "把 Adagrad 或 RMSprop 算成了没有状态",
    "Adagrad keeps the running sum of squared gradients and RMSprop their running average: one tensor each.":
        "Adagrad 保存梯度平方的累加和，RMSprop 保存它们的滑动平均：各是一个张量。",
    "Adagrad or RMSprop counted as two buffers":
        "把 Adagrad 或 RMSprop 算成了两个缓冲区",
    "Adagrad and RMSprop keep one tensor (squared gradients), not Adam's two.":
        "Adagrad 和 RMSprop 只保存一个张量（梯度的平方），而不是像 Adam 那样保存两个。",
    "this is the memory traffic of one step, not the state":
        "这是一步的内存读写量，而不是状态",
    "A step READS θ, g and the state and WRITES θ and the state (28 bytes per parameter for fp32 Adam); the question is what is STORED between steps.":
        "一步更新要“读取” θ、g 和状态，并“写入” θ 和状态（fp32 的 Adam 每个参数 28 字节）；而这里问的是在步与步之间“保存”了什么。",
    "Adam counted as three buffers":
        "把 Adam 算成了三个缓冲区",
    "Adam keeps m and v; its step count t is a single number, and AMSGrad's extra maximum is not part of Adam.":
        "Adam 保存 m 和 v；它的步数 t 只是一个数，而 AMSGrad 额外保存的最大值不属于 Adam。",
    "momentum counted as two buffers":
        "把动量算成了两个缓冲区",
    "Momentum keeps only the velocity, b ← β·b + g: the gradient of the previous step is not needed.":
        "动量只保存速度 b ← β·b + g：不需要上一步的梯度。",
    "a larger unit (kB, MB or GB), not bytes":
        "用了更大的单位（kB、MB 或 GB），而不是字节",
    "Return the number of bytes.":
        "请返回字节数。",
    "GPT-2 small, AdamW, 2-byte values":
        "GPT-2 small，AdamW，每个值 2 字节",
    "10⁹ parameters, Lion, 2-byte values":
        "10⁹ 个参数，Lion，每个值 2 字节",
    "bytes = (tensors of the parameters' size kept between steps) × n_params × bytes_per_value":
        "字节数 = (步与步之间保存的、与参数同样大小的张量个数) × n_params × bytes_per_value",
}

PATTERNS = [
    # optimizer_state_bytes's cases, too short to be texts: "{n} parameters, {optimizer}, {dtype}".
    (r"（([^（）]+?) parameters, (\w+), (float\d+)）", r"（\1 个参数，\2，\3）"),
    (r"（(GPT-2 small|ResNet-50), (\w+), (float\d+)）", r"（\1，\2，\3）"),
]
