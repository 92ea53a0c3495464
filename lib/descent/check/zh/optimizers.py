"""descent.check.optimizers's mistakes in Chinese (see descent.check.language)."""

MESSAGES = {
    "β and (1 − τ) swapped":
        "β 与 (1 − τ) 用反了",
    "β keeps the old buffer and (1 − τ) scales the new gradient: b_t = β·b_{t−1} + (1 − τ)·g_t.":
        "β 乘的是旧的缓冲区，(1 − τ) 缩放的是新的梯度：b_t = β·b_{t−1} + (1 − τ)·g_t。",
    "this is Nesterov's step, not plain momentum":
        "这是 Nesterov 的更新步，不是普通动量",
    "Plain momentum steps along the buffer itself, θ_t = θ_{t−1} − α·b_t, not along g_t + β·b_t.":
        "普通动量沿缓冲区本身前进，θ_t = θ_{t−1} − α·b_t，而不是沿 g_t + β·b_t 前进。",
    "dampening ignored":
        "忽略了阻尼 τ",
    "From the second step on, the new gradient is scaled by (1 − τ): b_t = β·b_{t−1} + (1 − τ)·g_t.":
        "从第二步起，新的梯度要乘以 (1 − τ)：b_t = β·b_{t−1} + (1 − τ)·g_t。",
    "dampening misapplied":
        "阻尼 τ 用错了",
    "On the first step the buffer is the gradient itself, b₁ = g₁; dampening τ only scales the new gradient from the second step on: b_t = β·b_{t−1} + (1 − τ)·g_t.":
        "第一步时缓冲区就是梯度本身，b₁ = g₁；阻尼 τ 从第二步起才缩放新的梯度：b_t = β·b_{t−1} + (1 − τ)·g_t。",
    "The new gradient is weighted by (1 − τ), not by τ: b_t = β·b_{t−1} + (1 − τ)·g_t.":
        "新梯度的权重是 (1 − τ)，而不是 τ：b_t = β·b_{t−1} + (1 − τ)·g_t。",
    "this is the source article's \"momentum\"":
        "这是原文的“动量”",
    "Adding β times the previous gradient is not momentum. Keep a velocity: b_t = β·b_{t−1} + g_t, θ_t = θ_{t−1} − α·b_t.":
        "加上 β 乘以前一个梯度并不是动量。要维护一个速度：b_t = β·b_{t−1} + g_t，θ_t = θ_{t−1} − α·b_t。",
    "state not kept between steps: this is plain SGD":
        "两步之间没有保留状态：这就是普通的 SGD",
    "Keep the velocity in `state` (e.g. `state['momentum_buffer']`) so that it carries over to the next call, and step along it: θ_t = θ_{t−1} − α·b_t.":
        "把速度保存在 `state` 中（例如 `state['momentum_buffer']`），使它延续到下一次调用，并沿着它前进：θ_t = θ_{t−1} − α·b_t。",
    "the buffer is averaged with (1 − β)":
        "缓冲区用 (1 − β) 做了加权平均",
    "PyTorch's buffer adds the whole gradient: b_t = β·b_{t−1} + g_t, not β·b_{t−1} + (1 − β)·g_t.":
        "PyTorch 的缓冲区加上的是完整的梯度：b_t = β·b_{t−1} + g_t，而不是 β·b_{t−1} + (1 − β)·g_t。",
    "g_t is missing from the look-ahead":
        "向前看的方向中缺少 g_t",
    "Nesterov steps along g_t + β·b_t, not β·b_t.":
        "Nesterov 沿 g_t + β·b_t 前进，而不是沿 β·b_t。",
    "β is missing from the look-ahead":
        "向前看的方向中缺少 β",
    "Nesterov steps along g_t + β·b_t, not g_t + b_t.":
        "Nesterov 沿 g_t + β·b_t 前进，而不是沿 g_t + b_t。",
    "β multiplies the gradient instead of the buffer":
        "β 乘在了梯度上，而不是缓冲区上",
    "Nesterov steps along g_t + β·b_t, not β·g_t + b_t.":
        "Nesterov 沿 g_t + β·b_t 前进，而不是沿 β·g_t + b_t。",
    "this is plain momentum, not Nesterov":
        "这是普通动量，不是 Nesterov",
    "Nesterov steps along the look-ahead direction g_t + β·b_t, not along b_t.":
        "Nesterov 沿向前看的方向 g_t + β·b_t 前进，而不是沿 b_t。",
    "bias correction added (RMSprop has none)":
        "加了偏差校正（RMSprop 没有偏差校正）",
    "PyTorch's RMSprop divides by √v_t + ε with v_t = ρ·v_{t−1} + (1 − ρ)·g_t², without Adam's 1/(1 − ρᵗ).":
        "PyTorch 的 RMSprop 除以 √v_t + ε，其中 v_t = ρ·v_{t−1} + (1 − ρ)·g_t²，没有 Adam 那样的 1/(1 − ρᵗ)。",
    "v starts at g₁² instead of 0":
        "v 从 g₁² 开始，而不是从 0 开始",
    "v₀ = 0, so v₁ = (1 − ρ)·g₁².":
        "v₀ = 0，所以 v₁ = (1 − ρ)·g₁²。",
    "the gradient is not squared":
        "梯度没有取平方",
    "The running average is of g², v_t = ρ·v_{t−1} + (1 − ρ)·g_t²; a negative average has no square root (NaN).":
        "滑动平均的对象是 g²：v_t = ρ·v_{t−1} + (1 − ρ)·g_t²；平均值为负时没有平方根（得到 NaN）。",
    "`alpha` (ρ, a decay rate) used as the learning rate":
        "把 `alpha`（即衰减率 ρ）当成了学习率",
    "In PyTorch's names the step size α is `lr`; `alpha` is ρ, the decay of the running average: θ ← θ − lr·g/(√v + ε).":
        "按 PyTorch 的命名，步长 α 是 `lr`；`alpha` 是 ρ，即滑动平均的衰减率：θ ← θ − lr·g/(√v + ε)。",
    "learning rate and decay rate swapped":
        "学习率与衰减率用反了",
    "`lr` is α, the step size; `alpha` is ρ, the decay of the running average (PyTorch's names).":
        "`lr` 是步长 α；`alpha` 是 ρ，即滑动平均的衰减率（PyTorch 的命名）。",
    "ρ and 1 − ρ swapped":
        "ρ 与 1 − ρ 用反了",
    "The running average keeps ρ of the old value and adds (1 − ρ) of the new: v_t = ρ·v_{t−1} + (1 − ρ)·g_t².":
        "滑动平均保留旧值的 ρ，再加上新值的 (1 − ρ)：v_t = ρ·v_{t−1} + (1 − ρ)·g_t²。",
    "square root missing":
        "缺少平方根",
    "Divide by the root mean square, √v_t + ε, not by v_t.":
        "要除以均方根 √v_t + ε，而不是除以 v_t。",
    "this is the source article's formula":
        "这是原文的公式",
    "g/√(1 + β·g²) keeps no running average. RMSprop divides by the root of v_t = ρ·v_{t−1} + (1 − ρ)·g_t².":
        "g/√(1 + β·g²) 没有保留任何滑动平均。RMSprop 除以 v_t = ρ·v_{t−1} + (1 − ρ)·g_t² 的平方根。",
    "the L2 term is added for m but not for v":
        "L2 项只加进了 m，没有加进 v",
    "Add λθ to the gradient once, before both averages: g ← g + λθ, then m and v from that g.":
        "在计算两个平均值之前，把 λθ 加到梯度上，只加一次：g ← g + λθ，然后用这个 g 计算 m 和 v。",
    "weight decay missing":
        "缺少权重衰减",
    "With λ ≠ 0, add the L2 term to the gradient first: g ← g + λθ.":
        "λ ≠ 0 时，先把 L2 项加到梯度上：g ← g + λθ。",
    "weight decay decoupled, but Adam couples it":
        "权重衰减被解耦了，但 Adam 的权重衰减是耦合的",
    "Adam's weight decay is an L2 penalty: add λθ to the gradient before the averages, g ← g + λθ. Shrinking θ directly is AdamW.":
        "Adam 的权重衰减是 L2 惩罚：在计算两个平均值之前把 λθ 加到梯度上，g ← g + λθ。直接缩小 θ 的是 AdamW。",
    "both decoupled decay and L2 applied":
        "同时施加了解耦的权重衰减和 L2 惩罚",
    "AdamW only shrinks the weights, θ ← (1 − αλ)·θ; do not also add λθ to the gradient.":
        "AdamW 只缩小权重，θ ← (1 − αλ)·θ；不要再把 λθ 加到梯度上。",
    "the weights grow instead of decaying":
        "权重在增大，而不是衰减",
    "Multiply by (1 − αλ), not (1 + αλ).":
        "要乘以 (1 − αλ)，而不是 (1 + αλ)。",
    "AdamW first shrinks the weights, θ ← (1 − αλ)·θ, then takes the Adam step.":
        "AdamW 先缩小权重，θ ← (1 − αλ)·θ，然后再做 Adam 的更新步。",
    "weight decay coupled where it should be decoupled":
        "权重衰减本应解耦，却耦合到了梯度中",
    "Adding λθ to the gradient is Adam with L2. AdamW shrinks the weights directly, θ ← (1 − αλ)·θ, and runs the Adam step on the raw gradient.":
        "把 λθ 加到梯度上，得到的是带 L2 的 Adam。AdamW 直接缩小权重，θ ← (1 − αλ)·θ，并用原始梯度做 Adam 的更新步。",
    "weight decay not scaled by the learning rate":
        "权重衰减没有乘以学习率",
    "Decay by (1 − αλ), not (1 − λ): θ ← (1 − αλ)·θ.":
        "按 (1 − αλ) 衰减，而不是 (1 − λ)：θ ← (1 − αλ)·θ。",
    "weight decay applied after the Adam step":
        "权重衰减放在了 Adam 更新步之后",
    "Decay θ first, θ ← (1 − αλ)·θ, then take the Adam step.":
        "先衰减 θ，θ ← (1 − αλ)·θ，再做 Adam 的更新步。",
    "PyTorch's Adagrad adds ε outside the root: divide by (√s_t + ε), not by √(s_t + ε).":
        "PyTorch 的 Adagrad 把 ε 加在根号外：要除以 (√s_t + ε)，而不是 √(s_t + ε)。",
    "mean instead of sum":
        "用了平均值而不是总和",
    "s_t is the sum of all squared gradients so far, not their mean: do not divide by t.":
        "s_t 是到目前为止所有梯度平方的总和，而不是它们的平均值：不要除以 t。",
    "Divide by the root of the sum, √s_t + ε, not by s_t.":
        "要除以总和的平方根 √s_t + ε，而不是除以 s_t。",
    "the sum is updated after the step":
        "总和在更新步之后才更新",
    "Add g_t² to the sum first, then divide by √s_t + ε: the current gradient counts in its own step (on the first step s_1 = g_1², and the step is about α in every coordinate).":
        "先把 g_t² 加进总和，再除以 √s_t + ε：当前梯度也要计入它自己这一步（第一步时 s_1 = g_1²，每个坐标上的步长都约为 α）。",
    "the sum adds g, not g²":
        "累加的是 g，而不是 g²",
    "Accumulate squared gradients, s_t = s_{t−1} + g_t²; a sum of signed gradients can turn negative, and its root is NaN.":
        "要累加梯度的平方，s_t = s_{t−1} + g_t²；带符号的梯度之和可能变成负数，而负数的平方根是 NaN。",
    "the first gradient counted twice":
        "第一个梯度被计入了两次",
    "Start the sum at 0 and add g_t² once per call: s_1 = g_1², not 2g_1² (initializing the sum with g² and then adding g² again).":
        "总和从 0 开始，每次调用只加一次 g_t²：s_1 = g_1²，而不是 2g_1²（先用 g² 初始化总和，又再加了一次 g²）。",
    "the sum adds |g|, not g²":
        "累加的是 |g|，而不是 g²",
    "Accumulate squared gradients, s_t = s_{t−1} + g_t², then divide by √s_t + ε.":
        "要累加梯度的平方，s_t = s_{t−1} + g_t²，再除以 √s_t + ε。",
    "one sum for the whole tensor":
        "整个张量只用了一个总和",
    "Adagrad keeps one sum per coordinate: s_t = s_{t−1} + g_t² element-wise, not the squared norm Σ g².":
        "Adagrad 为每个坐标各保留一个总和：s_t = s_{t−1} + g_t² 是逐元素计算的，而不是平方范数 Σ g²。",
    "ε added to the step, not to the denominator":
        "ε 加在了步长上，而不是分母上",
    "Mind the parentheses: θ −= α·g/(√s_t + ε), not α·g/√s_t + ε.":
        "注意括号：θ −= α·g/(√s_t + ε)，而不是 α·g/√s_t + ε。",
    "the sum does not start at 0":
        "总和不是从 0 开始的",
    "PyTorch's default initial_accumulator_value is 0: start with s_0 = 0 (Keras starts at 0.1).":
        "PyTorch 中 initial_accumulator_value 的默认值是 0：从 s_0 = 0 开始（Keras 从 0.1 开始）。",
    "state not kept between steps":
        "两步之间没有保留状态",
    "The sum starts again from zero at every call, so every step is α·g/(|g| + ε). Keep s in `state` and add to it.":
        "每次调用时总和都从零重新开始，因此每一步都是 α·g/(|g| + ε)。把 s 保存在 `state` 中，并在它上面累加。",
    "sign of the β term flipped":
        "β 项的符号反了",
    "The momentum term continues the previous step: +β(θ_t − θ_{t−1}), not −β(θ_t − θ_{t−1}).":
        "动量项延续的是前一步的位移：+β(θ_t − θ_{t−1})，而不是 −β(θ_t − θ_{t−1})。",
    "previous parameter not used: this is plain gradient descent":
        "没有用到上一步的参数：这就是普通的梯度下降",
    "θ_t − θ_{t−1} was always 0. Keep a copy of θ_t in `state` for the next call, and store it only after you have used the old one: read θ_{t−1}, compute the step, then `state['previous'] = param.clone()`, then update `param`.":
        "θ_t − θ_{t−1} 始终为 0。把 θ_t 的副本保存在 `state` 中供下一次调用使用，而且要在用完旧值之后再保存：先读取 θ_{t−1}，计算这一步，然后 `state['previous'] = param.clone()`，最后更新 `param`。",
    "the previous parameter is never updated":
        "上一步的参数从未更新",
    "θ_{t−1} stayed θ_0, so the β term pulls back towards the start. Store a copy of θ_t at every call, not only the first (`state.setdefault` sets it only once).":
        "θ_{t−1} 一直停留在 θ_0，于是 β 项会把参数拉回起点。每次调用都要保存 θ_t 的副本，而不只是第一次（`state.setdefault` 只会设置一次）。",
    "θ₋₁ starts at 0, not at θ₀":
        "θ₋₁ 从 0 开始，而不是从 θ₀ 开始",
    "On the first call there is no previous step: take θ_{−1} = θ_0 (a copy of `param`), so that the first step is plain gradient descent.":
        "第一次调用时还没有上一步：取 θ_{−1} = θ_0（`param` 的副本），这样第一步就是普通的梯度下降。",
    "the momentum term uses the parameter after the gradient step":
        "动量项用的是梯度步之后的参数",
    "Both terms use θ_t, the parameter before this call changes it: compute −α∇J(θ_t) + β(θ_t − θ_{t−1}) first, then add it.":
        "两项都使用 θ_t，即本次调用修改之前的参数：先算出 −α∇J(θ_t) + β(θ_t − θ_{t−1})，再把它加上去。",
    "this is the source article's \"momentum\": β times the previous gradient":
        "这是原文的“动量”：β 乘以前一个梯度",
    "Momentum adds the previous *step* θ_t − θ_{t−1}, which already points downhill, not β·∇J(θ_{t−1}).":
        "动量加上的是前一*步*的位移 θ_t − θ_{t−1}，它本来就指向下坡方向，而不是 β·∇J(θ_{t−1})。",
    "β multiplies the gradient (the article's example)":
        "β 乘在了梯度上（原文的例子）",
    "θ − α·g + β·g is gradient descent with rate α − β. The β term is β(θ_t − θ_{t−1}).":
        "θ − α·g + β·g 就是学习率为 α − β 的梯度下降。β 项应当是 β(θ_t − θ_{t−1})。",
    "this is PyTorch's momentum (a buffer of gradients), not the heavy ball":
        "这是 PyTorch 的动量（梯度的缓冲区），不是重球法",
    "The two agree while α is constant, but when α changes PyTorch's form rescales the whole velocity at once (its buffer holds gradients). The heavy ball adds the previous step itself: θ_{t+1} = θ_t − α_t∇J(θ_t) + β(θ_t − θ_{t−1}); keep θ_{t−1}, or a velocity v = βv − α_t g that holds steps.":
        "α 不变时两者一致，但 α 一变，PyTorch 的形式会立即把整个速度一起重新缩放（它的缓冲区存的是梯度）。重球法加上的是前一步的位移本身：θ_{t+1} = θ_t − α_t∇J(θ_t) + β(θ_t − θ_{t−1})；请保存 θ_{t−1}，或者保存一个存放步长的速度 v = βv − α_t g。",
    "the norm of g instead of its elementwise size":
        "用了 g 的范数，而不是它逐元素的大小",
    "Adam works coordinate by coordinate: v̂_1 = g² elementwise, so the step is α·g/(|g| + ε) with |g| per element, not the norm ‖g‖.":
        "Adam 逐个坐标计算：v̂_1 = g² 是逐元素的，所以步长是 α·g/(|g| + ε)，其中 |g| 按元素取值，而不是范数 ‖g‖。",
    "ε added to the step instead of the denominator":
        "ε 加在了步长上，而不是分母上",
    "Mind the parentheses: α·g/(|g| + ε), not α·g/|g| + ε.":
        "注意括号：α·g/(|g| + ε)，而不是 α·g/|g| + ε。",
    "|g| replaced by g in the denominator":
        "分母中的 |g| 写成了 g",
    "√(v̂_1) = √(g²) = |g|, not g: the step is α·g/(|g| + ε), whose sign is the sign of g.":
        "√(v̂_1) = √(g²) = |g|，而不是 g：步长是 α·g/(|g| + ε)，它的符号与 g 相同。",
    "bias correction missing":
        "缺少偏差校正",
    "m_1 = (1 − β₁)g and v_1 = (1 − β₂)g² are too small; after dividing them by 1 − β₁ and 1 − β₂ the betas cancel: m̂_1 = g, v̂_1 = g².":
        "m_1 = (1 − β₁)g 和 v_1 = (1 − β₂)g² 都偏小；把它们分别除以 1 − β₁ 和 1 − β₂ 之后，β 就约掉了：m̂_1 = g，v̂_1 = g²。",
    "this is the source article's Adam: bias correction missing and ε inside the square root":
        "这是原文的 Adam：缺少偏差校正，而且 ε 放在了根号内",
    "With PyTorch's Adam, m̂_1 = g and v̂_1 = g², and ε is added outside the root: α·m̂_1/(√v̂_1 + ε).":
        "按 PyTorch 的 Adam，m̂_1 = g，v̂_1 = g²，并且 ε 加在根号外：α·m̂_1/(√v̂_1 + ε)。",
    "bias correction applied to only one average":
        "偏差校正只用在了一个平均值上",
    "Correct both: m̂_1 = m_1/(1 − β₁) = g and v̂_1 = v_1/(1 − β₂) = g².":
        "两个都要校正：m̂_1 = m_1/(1 − β₁) = g，v̂_1 = v_1/(1 − β₂) = g²。",
    "ε ignored: α·sign(g)":
        "忽略了 ε：α·sign(g)",
    "α·sign(g) is the limit for |g| ≫ ε. Here the gradients are about as small as ε, and the step is α·g/(|g| + ε): keep ε in the denominator.":
        "α·sign(g) 是 |g| ≫ ε 时的极限。这里的梯度与 ε 差不多小，步长是 α·g/(|g| + ε)：分母中要保留 ε。",
    "PyTorch's Adam adds ε outside the root: √v̂_1 + ε = |g| + ε.":
        "PyTorch 的 Adam 把 ε 加在根号外：√v̂_1 + ε = |g| + ε。",
    "ε added before the bias correction":
        "在偏差校正之前就加上了 ε",
    "That is the paper's \"efficient\" form, whose ε is really ε·√(1 − β₂ᵗ). PyTorch divides by √v̂ + ε with v̂_1 = v_1/(1 − β₂) = g².":
        "这是论文中的“高效”形式，其中的 ε 实际上相当于 ε·√(1 − β₂ᵗ)。PyTorch 除以 √v̂ + ε，其中 v̂_1 = v_1/(1 − β₂) = g²。",
    "Adam divides by √v̂_1 + ε = |g| + ε, not by v̂_1 + ε.":
        "Adam 除以 √v̂_1 + ε = |g| + ε，而不是除以 v̂_1 + ε。",
    "step count t starts at 0":
        "步数 t 从 0 开始",
    "The first step has t = 1; with t = 0 the bias corrections divide by 1 − β⁰ = 0.":
        "第一步的 t = 1；若 t = 0，偏差校正会除以 1 − β⁰ = 0。",
    "the step is α·g, as in SGD":
        "步长是 α·g，和 SGD 一样",
    "Adam divides m̂ by √v̂ + ε: on the first step that is g/(|g| + ε).":
        "Adam 把 m̂ 除以 √v̂ + ε：第一步时就是 g/(|g| + ε)。",
    "sign flipped: this is θ_1 − θ_0":
        "符号反了：这是 θ_1 − θ_0",
    "Return the amount subtracted from θ, θ_0 − θ_1 = α·m̂_1/(√v̂_1 + ε), which has the sign of g.":
        "返回从 θ 中减去的量，θ_0 − θ_1 = α·m̂_1/(√v̂_1 + ε)，它的符号与 g 相同。",
    "the sign of the step is missing":
        "步长丢掉了符号",
    "Return the signed step θ_0 − θ_1, which has the sign of g, not its absolute value.":
        "返回带符号的步长 θ_0 − θ_1，它的符号与 g 相同，而不是它的绝对值。",
    "ε added to the ratio instead of the denominator":
        "ε 加在了比值上，而不是分母上",
    "ε belongs in the denominator: α·m̂/(√v̂ + ε), not α·(m̂/√v̂ + ε).":
        "ε 应当放在分母中：α·m̂/(√v̂ + ε)，而不是 α·(m̂/√v̂ + ε)。",
    "β₁ and β₂ swapped":
        "β₁ 与 β₂ 用反了",
    "β₁ (0.9 by default) averages the gradient in m; β₂ (0.999) averages its square in v.":
        "β₁（默认为 0.9）在 m 中平均梯度；β₂（默认为 0.999）在 v 中平均梯度的平方。",
    "ε inside the square root":
        "ε 放在了平方根里面",
    "PyTorch's RMSprop and Adam add ε outside the root: divide by (√v + ε), not by √(v + ε).":
        "PyTorch 的 RMSprop 和 Adam 都把 ε 加在根号外：要除以 (√v + ε)，而不是 √(v + ε)。",
    "Mind the parentheses: α·g/(√v + ε), not α·g/√v + ε.":
        "注意括号：α·g/(√v + ε)，而不是 α·g/√v + ε。",
    "m and v start at 0, so early on they are too small. Divide them by (1 − β₁ᵗ) and (1 − β₂ᵗ) before the update: m̂_t = m_t/(1 − β₁ᵗ), v̂_t = v_t/(1 − β₂ᵗ).":
        "m 和 v 从 0 开始，所以起初它们偏小。在更新之前，先把它们分别除以 (1 − β₁ᵗ) 和 (1 − β₂ᵗ)：m̂_t = m_t/(1 − β₁ᵗ)，v̂_t = v_t/(1 − β₂ᵗ)。",
    "Correct both: m̂_t = m_t/(1 − β₁ᵗ) and v̂_t = v_t/(1 − β₂ᵗ).":
        "两个都要校正：m̂_t = m_t/(1 − β₁ᵗ)，v̂_t = v_t/(1 − β₂ᵗ)。",
    "step count t not kept between steps":
        "两步之间没有保留步数 t",
    "The bias correction needs the number of steps so far; keep it in `state`, e.g. `state['step'] += 1`.":
        "偏差校正需要知道到目前为止的步数；把它保存在 `state` 中，例如 `state['step'] += 1`。",
    "On the first step t = 1: with t = 0 the bias correction divides by 1 − β⁰ = 0. Increase t before using it.":
        "第一步的 t = 1：若 t = 0，偏差校正会除以 1 − β⁰ = 0。要先把 t 加 1，再使用它。",
    "running average instead of sum (this is RMSprop)":
        "用了滑动平均而不是总和（这是 RMSprop）",
    "Adagrad never forgets: it adds every squared gradient to the sum, s_t = s_{t−1} + g_t², without decay factors.":
        "Adagrad 从不遗忘：它把每个梯度的平方都加进总和，s_t = s_{t−1} + g_t²，没有任何衰减因子。",
    "the velocity is an average, not a sum":
        "速度是平均值，而不是累加和",
    "The heavy ball adds the whole previous step, β(θ_t − θ_{t−1}); a velocity v = βv + (1 − β)g shrinks the steps by (1 − β).":
        "重球法加上的是完整的前一步位移 β(θ_t − θ_{t−1})；速度 v = βv + (1 − β)g 会把步长缩小为原来的 (1 − β) 倍。",
    "θ ← (1 − αλ)·θ; then Adam on the raw gradient: m̂/(√v̂ + ε)":
        "θ ← (1 − αλ)·θ；然后用原始梯度做 Adam 的更新：m̂/(√v̂ + ε)",
}

TEMPLATES = {
    "{name} is right while the learning rate stays the same, but not when it changes between calls (α = 0.1 for 4 steps, then 0.01): after step {t}, {largest_difference(got[t - 1], expected[t - 1])}. Does it keep α from an earlier call? Check the equation: {equation}.":
        "{name} 在学习率保持不变时是对的，但学习率在两次调用之间改变时就不对了（前 4 步 α = 0.1，之后为 0.01）：第 {t} 步之后，{largest_difference(got[t - 1], expected[t - 1])}。它是不是沿用了之前某次调用的 α？请检查公式：{equation}。",
    "{feedback.message[2:]} It also stays the heavy ball when the learning rate changes between calls.":
        "{feedback.message[2:]}学习率在两次调用之间改变时，它也仍然是重球法。",
}

# ARTICLE_ADAM's advice is a formula with two English words in it ("Use … with …"), not
# prose to the extractor (so not MESSAGES): a pattern.
PATTERNS = [
    (r"Use (θ ← θ − α·m̂_t/\(√v̂_t \+ ε\)) with (m̂_t = m_t/\(1 − β₁ᵗ\)), (v̂_t = v_t/\(1 − β₂ᵗ\))\.",
     r"请用 \1，其中 \2，\3。"),
]
