"""descent.check.beyond_adam's mistakes in Chinese (see descent.check.language)."""

MESSAGES = {
    "no normalisation by the norm":
        "没有先除以范数做归一化",
    "Divide G by its Frobenius norm first, X₀ = G/max(‖G‖_F, ε): the polynomial only pushes singular values in [0, 1] towards 1; larger ones blow up.":
        "先把 G 除以它的 Frobenius 范数，X₀ = G/max(‖G‖_F, ε)：这个多项式只会把 [0, 1] 内的奇异值推向 1，更大的奇异值则会爆炸。",
    "normalised by the spectral norm instead of the Frobenius norm":
        "用谱范数而不是 Frobenius 范数做归一化",
    "Divide by ‖G‖_F = √(Σ G²) (`G.norm()`): it bounds the largest singular value and needs no SVD, which is the point of the iteration.":
        "除以 ‖G‖_F = √(Σ G²)（`G.norm()`）：它是最大奇异值的上界，而且不需要 SVD，这正是这种迭代的意义所在。",
    "coefficients applied in the wrong order":
        "系数的顺序用错了",
    "With (a, b, c) = coefficients, X ← a·X + (b·A + c·A²)·X: a multiplies X (the linear term), c the fifth power.":
        "设 (a, b, c) = coefficients，则 X ← a·X + (b·A + c·A²)·X：a 乘的是 X（一次项），c 对应五次项。",
    "`steps` ignored":
        "忽略了 `steps`",
    "Run the iteration `steps` times, not a fixed number: the check calls it with several values.":
        "迭代要运行 `steps` 次，而不是固定的次数：检查时会用几个不同的值来调用它。",
    "`coefficients` ignored":
        "忽略了 `coefficients`",
    "Use the (a, b, c) passed in `coefficients`: the check also calls it with the classical cubic (1.5, −0.5, 0).":
        "使用 `coefficients` 传入的 (a, b, c)：检查时也会用经典的三次多项式系数 (1.5, −0.5, 0) 来调用它。",
    "trust ratio missing: this is AdamW with the decay inside":
        "缺少信任比：这是把衰减放进方向里的 AdamW",
    "Scale the update of each tensor by the trust ratio ‖θ‖/‖u‖, so that it has length α‖θ‖: θ ← θ − α·(‖θ‖/‖u‖)·u.":
        "把每个张量的更新乘以信任比 ‖θ‖/‖u‖，使它的长度为 α‖θ‖：θ ← θ − α·(‖θ‖/‖u‖)·u。",
    "trust ratio inverted":
        "信任比颠倒了",
    "The ratio is ‖θ‖/‖u‖ (weights over update), so that the step α·(‖θ‖/‖u‖)·u has length α‖θ‖.":
        "比值是 ‖θ‖/‖u‖（权重的范数除以更新的范数），这样这一步 α·(‖θ‖/‖u‖)·u 的长度才是 α‖θ‖。",
    "trust ratio from the gradient's norm (that is LARS)":
        "用梯度的范数算信任比（那是 LARS）",
    "LAMB divides by the norm of its own update u = m̂/(√v̂ + ε) + λθ, not of the gradient g.":
        "LAMB 除以的是它自己的更新 u = m̂/(√v̂ + ε) + λθ 的范数，而不是梯度 g 的范数。",
    "weight decay outside the trust ratio":
        "权重衰减放在了信任比之外",
    "Add λθ to Adam's direction before taking the ratio, u = r + λθ, and scale all of u: θ ← θ − α·(‖θ‖/‖u‖)·u.":
        "在求比值之前，先把 λθ 加到 Adam 的方向上，u = r + λθ，再缩放整个 u：θ ← θ − α·(‖θ‖/‖u‖)·u。",
    "weight decay missing":
        "缺少权重衰减",
    "u = r + λθ: the decay is part of the direction whose length the trust ratio sets.":
        "u = r + λθ：衰减是方向的一部分，而这个方向的长度由信任比决定。",
    "bias correction missing":
        "缺少偏差校正",
    "m and v start at 0: divide them by (1 − β₁ᵗ) and (1 − β₂ᵗ) before forming r = m̂/(√v̂ + ε).":
        "m 和 v 从 0 开始：在构造 r = m̂/(√v̂ + ε) 之前，先把它们分别除以 (1 − β₁ᵗ) 和 (1 − β₂ᵗ)。",
    "ε inside the square root":
        "ε 放在了平方根里面",
    "As in Adam, add ε outside the root: r = m̂/(√v̂ + ε).":
        "和 Adam 一样，ε 要加在根号外面：r = m̂/(√v̂ + ε)。",
    "X₀ = G/max(‖G‖_F, ε) (Gᵀ first if G is tall);  A = X Xᵀ;  X ← a·X + (b·A + c·A²)·X, `steps` times;  transpose back":
        "X₀ = G/max(‖G‖_F, ε)（若 G 的行数多于列数，先取 Gᵀ）；A = X Xᵀ；X ← a·X + (b·A + c·A²)·X，重复 `steps` 次；最后转置回来",
    "r = m̂/(√v̂ + ε);  u = r + λθ;  θ ← θ − α·(‖θ‖/‖u‖)·u  (m̂, v̂ bias-corrected as in Adam)":
        "r = m̂/(√v̂ + ε)；u = r + λθ；θ ← θ − α·(‖θ‖/‖u‖)·u（m̂、v̂ 像在 Adam 中一样做偏差校正）",
    "newton_schulz: a tall matrix returned transposed. Working on Gᵀ when G has more rows than columns keeps A = X Xᵀ small, but the result must have G's shape: transpose it back at the end.":
        "newton_schulz：高矩阵被转置后返回了。当 G 的行数多于列数时，在 Gᵀ 上计算能让 A = X Xᵀ 保持较小，但结果必须与 G 的形状相同：最后要把它转置回来。",
    "tall matrix returned transposed":
        "高矩阵被转置后返回",
}
