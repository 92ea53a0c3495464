"""descent.check.why_optimizers_work's texts in Chinese (see descent.check.language)."""

MESSAGES = {
    "momentum left out: that is gradient descent's rate max |1 − αh|":
        "漏掉了动量：那是梯度下降的收敛速率 max |1 − αh|",
    "With momentum each direction follows θ_{t+1} = (1 + β − αh)θ_t − βθ_{t−1}: two numbers of state, a 2×2 matrix T(h), and its two eigenvalues.":
        "有动量时，每个方向都满足 θ_{t+1} = (1 + β − αh)θ_t − βθ_{t−1}：状态是两个数，对应一个 2×2 矩阵 T(h) 及其两个特征值。",
    "only the largest curvature":
        "只考虑了最大的曲率",
    "The rate is the worst direction's, and that is often the *flattest* one: take the spectral radius of T(h) for every curvature h and return the largest.":
        "收敛速率由最差的方向决定，而它往往是*最平坦*的那个方向：对每个曲率 h 求 T(h) 的谱半径，返回其中最大的。",
    "only the smallest curvature":
        "只考虑了最小的曲率",
    "Near the stability limit the steepest direction is the slowest: take the spectral radius of T(h) for every curvature and return the largest.":
        "在稳定性极限附近，最陡的方向反而最慢：对每个曲率求 T(h) 的谱半径，返回其中最大的。",
    "√β for every direction: that holds only where the direction is under-damped":
        "每个方向都取 √β：这只在欠阻尼的方向上成立",
    "|r| = √β only when the eigenvalues are complex, (1 + β − αh)² < 4β. Where they are real (over-damped) the larger one is bigger than √β.":
        "只有当特征值为复数，即 (1 + β − αh)² < 4β 时，才有 |r| = √β。特征值为实数（过阻尼）时，较大的那个大于 √β。",
    "the real part of the eigenvalues instead of their modulus":
        "用了特征值的实部，而不是它的模",
    "Complex eigenvalues r = a ± ib shrink the error by |r| = √(a² + b²) per step: use abs() of the complex eigenvalues.":
        "复特征值 r = a ± ib 每一步把误差缩小为原来的 |r| = √(a² + b²) 倍：对复特征值取 abs()。",
    "+β in the matrix: the momentum term has the wrong sign":
        "矩阵里写成了 +β：动量项的符号错了",
    "θ_{t+1} = (1 + β − αh)θ_t − βθ_{t−1}: the coefficient of θ_{t−1} is −β, so T = [[1 + β − αh, −β], [1, 0]].":
        "θ_{t+1} = (1 + β − αh)θ_t − βθ_{t−1}：递推式最后一项的系数是 −β，所以 T = [[1 + β − αh, −β], [1, 0]]。",
    "the average over the curvatures instead of the largest":
        "对各个曲率取了平均，而不是取最大值",
    "The error shrinks only as fast as its slowest direction: take the maximum of the spectral radii.":
        "误差缩小的快慢只取决于它最慢的方向：取各谱半径中的最大值。",
    "κ instead of √κ":
        "用了 κ 而不是 √κ",
    "The heavy ball's gain is that √κ replaces κ: β* = ((√κ − 1)/(√κ + 1))². With κ the momentum is far too close to 1.":
        "重球法的好处正在于用 √κ 取代了 κ：β* = ((√κ − 1)/(√κ + 1))²。用 κ 的话，动量就离 1 太近了。",
    "the square on β is missing: that is the rate √β*":
        "β 少了平方：那是收敛速率 √β*",
    "At the optimum the rate is ρ* = √β* = (√κ − 1)/(√κ + 1), so β* is its square.":
        "在最优处，收敛速率为 ρ* = √β* = (√κ − 1)/(√κ + 1)，所以 β* 是它的平方。",
    "κ instead of √κ, and no square: that is gradient descent's best rate":
        "用了 κ 而不是 √κ，又没有平方：那是梯度下降的最优收敛速率",
    "(κ − 1)/(κ + 1) is the rate of gradient descent at α = 2/(μ + L). The heavy ball's optimal momentum is ((√κ − 1)/(√κ + 1))².":
        "(κ − 1)/(κ + 1) 是梯度下降在 α = 2/(μ + L) 时的收敛速率。重球法的最优动量是 ((√κ − 1)/(√κ + 1))²。",
    "upside down: (√κ + 1)/(√κ − 1)":
        "分子分母颠倒了：(√κ + 1)/(√κ − 1)",
    "β must be below 1 for the heavy ball to converge: β* = ((√κ − 1)/(√κ + 1))².":
        "重球法要收敛，β 必须小于 1：β* = ((√κ − 1)/(√κ + 1))²。",
    "(1 − 1/√κ)²: an approximation for large κ, not the optimum":
        "(1 − 1/√κ)²：这是 κ 很大时的近似，不是最优值",
    "Solve αμ = (1 − √β)² and αL = (1 + √β)² exactly: √β = (√κ − 1)/(√κ + 1).":
        "精确求解 αμ = (1 − √β)² 和 αL = (1 + √β)²：√β = (√κ − 1)/(√κ + 1)。",
    "the square root of αh is missing: (1 − αh)²":
        "αh 少了平方根：(1 − αh)²",
    "Δ = (1 + β − αh)² − 4β = 0 means 1 + β − αh = ±2√β, that is αh = (1 ∓ √β)²: √β = 1 − √(αh).":
        "Δ = (1 + β − αh)² − 4β = 0 意味着 1 + β − αh = ±2√β，即 αh = (1 ∓ √β)²：√β = 1 − √(αh)。",
    "the square is missing: 1 − √(αh) is √β, not β":
        "少了平方：1 − √(αh) 是 √β，不是 β",
    "From αh = (1 − √β)², √β = 1 − √(αh), so β = (1 − √(αh))².":
        "由 αh = (1 − √β)² 得 √β = 1 − √(αh)，所以 β = (1 − √(αh))²。",
    "the other sign: (1 + √(αh))² is above 1":
        "取错了符号：(1 + √(αh))² 大于 1",
    "β must be below 1; of the roots of Δ = 0, β = (1 − √(αh))² is the one in [0, 1).":
        "β 必须小于 1；在 Δ = 0 的根中，落在 [0, 1) 内的是 β = (1 − √(αh))²。",
    "β = αh/4: the discriminant's terms mixed up":
        "β = αh/4：把判别式的各项弄混了",
    "Δ = (1 + β − αh)² − 4β; setting it to 0 gives αh = (1 − √β)², so β = (1 − √(αh))².":
        "Δ = (1 + β − αh)² − 4β；令它为 0，得到 αh = (1 − √β)²，所以 β = (1 − √(αh))²。",
    "the condition number of H itself: the preconditioner is not applied":
        "算的是 H 本身的条件数：没有用上预条件子",
    "Scale first: S = D^(−1/2) H D^(−1/2) with D = diag(H), then κ(S) = λ_max(S)/λ_min(S).":
        "先做缩放：S = D^(−1/2) H D^(−1/2)，其中 D = diag(H)，再算 κ(S) = λ_max(S)/λ_min(S)。",
    "divided by D on both sides: D⁻¹HD⁻¹ instead of D^(−1/2)HD^(−1/2)":
        "两边都除以了 D：用了 D⁻¹HD⁻¹，而不是 D^(−1/2)HD^(−1/2)",
    "Each side takes the square root: S_ij = H_ij/√(H_ii H_jj), so that S has a unit diagonal.":
        "两边各取平方根：S_ij = H_ij/√(H_ii H_jj)，这样 S 的对角线全是 1。",
    "multiplied by D^(1/2) instead of dividing":
        "乘以了 D^(1/2)，而不是除以它",
    "The preconditioner divides: S_ij = H_ij/√(H_ii H_jj).":
        "预条件子做的是除法：S_ij = H_ij/√(H_ii H_jj)。",
    "the ratio of the diagonal entries, not of the eigenvalues":
        "用了对角元之比，而不是特征值之比",
    "κ is λ_max/λ_min of the scaled matrix; its diagonal is all ones after Jacobi's scaling.":
        "κ 是缩放后矩阵的 λ_max/λ_min；经过 Jacobi 缩放后，它的对角线全是 1。",
    "upside down: λ_min/λ_max":
        "分子分母颠倒了：λ_min/λ_max",
    "κ = λ_max/λ_min ≥ 1.":
        "κ = λ_max/λ_min ≥ 1。",
    "the largest eigenvalue only, not divided by the smallest":
        "只取了最大特征值，没有除以最小特征值",
    "κ = λ_max/λ_min of the scaled matrix.":
        "κ 是缩放后矩阵的 λ_max/λ_min。",
    "T(h) = [[1 + β − αh, −β], [1, 0]];  rate = max over h of the largest |eigenvalue| of T(h)":
        "T(h) = [[1 + β − αh, −β], [1, 0]]；收敛速率 = 对所有 h 取 T(h) 的最大 |特征值|，再取其中的最大值",
    "both ends critically damped: αμ = (1 − √β)², αL = (1 + √β)², so β* = ((√κ − 1)/(√κ + 1))²":
        "两端都处于临界阻尼：αμ = (1 − √β)²，αL = (1 + √β)²，所以 β* = ((√κ − 1)/(√κ + 1))²",
    "the bowl ½(u₁² + 100u₂²) turned by 30°":
        "旋转了 30° 的碗 ½(u₁² + 100u₂²)",
}

TEMPLATES = {
    "{name} is right to about six digits only: somewhere your computation is in float32 (e.g. `torch.tensor([[...]])` without `dtype=torch.float64`). Work in float64 or with Python floats. Equation: {equation}.":
        "{name} 只精确到大约六位有效数字：你的计算中某处用的是 float32（例如 `torch.tensor([[...]])` 没有写 `dtype=torch.float64`）。请用 float64 或 Python 的 float 来计算。公式：{equation}。",
}

PATTERNS = [
    # The cases' labels, too short to be texts: "α = {lr}, β = {momentum}, curvatures {tuple(h)}",
    # "a {n}×{n} H", "a diagonal H".
    (r"(α = [\d.e+-]+), (β = [\d.e+-]+), curvatures \(", r"\1，\2，曲率 ("),
    (r"（a (\d+)×(\d+) H）", r"（一个 \1×\2 的 H）"),
    ("（a diagonal H）", "（一个对角的 H）"),
]
