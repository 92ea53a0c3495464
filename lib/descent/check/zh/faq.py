"""descent.check.faq's mistakes in Chinese (see descent.check.language)."""

MESSAGES = {
    'minimum and maximum swapped':
        '最小值和最大值弄反了',
    'Positive curvature in every direction (all eigenvalues > 0) is a minimum: f curves up around it.':
        '各个方向上曲率都为正（所有特征值 > 0）的点是最小值：f 在它周围向上弯曲。',
    'the diagonal read instead of the eigenvalues':
        '看的是对角线，而不是特征值',
    'The diagonal entries are the curvatures along the axes only; [[1, 2], [2, 1]] has a positive diagonal but curves down along (1, −1). Use the eigenvalues: torch.linalg.eigvalsh(hessian).':
        '对角元素只是沿坐标轴方向的曲率；[[1, 2], [2, 1]] 的对角元素为正，但沿 (1, −1) 方向向下弯曲。请使用特征值：torch.linalg.eigvalsh(hessian)。',
    'the 2×2 determinant test used for a larger matrix':
        '把 2×2 矩阵的行列式判别法用在了更大的矩阵上',
    'det > 0 and trace > 0 means a minimum only for 2×2 matrices; in general look at the signs of all the eigenvalues (torch.linalg.eigvalsh).':
        '只有对 2×2 矩阵，det > 0 且 trace > 0 才意味着最小值；一般情况下要看所有特征值的符号（torch.linalg.eigvalsh）。',
    "a zero eigenvalue counted as a minimum's or a maximum's":
        '把零特征值当作了最小值或最大值的情形',
    "Zero curvature in a direction leaves the test undecided: x² + y⁴ has a minimum at 0, x² − y⁴ a saddle, and both have the Hessian diag(2, 0): 'inconclusive'.":
        "某个方向上曲率为零时，二阶导数判别法无法下结论：x² + y⁴ 在 0 处取最小值，x² − y⁴ 在 0 处是鞍点，而二者的 Hessian 矩阵都是 diag(2, 0)：应判为 'inconclusive'。",
    'a zero eigenvalue called a saddle':
        '把零特征值判为鞍点',
    "A zero eigenvalue with no sign change leaves the test undecided ('inconclusive'): x² + y⁴ has a minimum at 0 with the Hessian diag(2, 0).":
        "有零特征值、而非零特征值同号时，判别法无法下结论（'inconclusive'）：x² + y⁴ 在 0 处取最小值，其 Hessian 矩阵为 diag(2, 0)。",
    'any zero eigenvalue called inconclusive':
        '只要有零特征值就判为无法确定',
    'One positive and one negative eigenvalue already make a saddle, whatever the zero ones do: diag(3, 0, −1) is a saddle.':
        '只要有一个正特征值和一个负特征值，就已经是鞍点，不论零特征值如何：diag(3, 0, −1) 是鞍点。',
    'eigenvalues compared with exactly 0':
        '拿特征值与 0 做精确比较',
    'Computed eigenvalues carry rounding errors: a zero eigenvalue can come out as ±1e-16. Count |λ| ≤ 1e-9 as zero.':
        '计算出的特征值带有舍入误差：本应为零的特征值可能算成 ±1e-16。请把 |λ| ≤ 1e-9 的特征值算作零。',
    'tolerance too large: a small eigenvalue counted as zero':
        '容差过大：把很小的特征值算作了零',
    'An eigenvalue of 0.0001 is positive; count only |λ| ≤ 1e-9 as zero.':
        '特征值 0.0001 是正的；只有 |λ| ≤ 1e-9 才算作零。',
    "that gradient descent stays at the saddle":
        "梯度下降会停在鞍点处",
    "that it escapes within 100 steps":
        "梯度下降会在 100 步之内离开鞍点",
    "that it escapes, but only after more than 100 steps":
        "梯度下降会离开鞍点，不过要到 100 步以后",
    "escapes quickly":
        "很快离开",
    "escapes slowly":
        "缓慢离开",
    "Only a start exactly on the line y = 0 stays: there ∂f/∂y = y³ − y is 0, so y remains 0. Any other y is multiplied by about 1 + α = 1.1 per step near the saddle, where the curvature along y is −1.":
        "只有恰好从直线 y = 0 上出发才会停住：那里 ∂f/∂y = y³ − y 为 0，所以 y 一直是 0。在鞍点附近，沿 y 方向的曲率为 −1，其他任何 y 每一步都会乘以约 1 + α = 1.1。",
    "The escape is certain, but a factor 1.1 per step is slow growth: it needs more than 100 steps.":
        "一定会离开鞍点，但每步只增大为原来的 1.1 倍，增长很慢：需要 100 多步。",
    "diag(2, -2), the Hessian of x² − y²":
        "diag(2, -2)，即 x² − y² 的 Hessian 矩阵",
    "a rotated diag(1, 2, 3)":
        "旋转后的 diag(1, 2, 3)",
    "a rotated diag(-1, -2, -3)":
        "旋转后的 diag(-1, -2, -3)",
    "a rotated diag(-1, -1, 2)":
        "旋转后的 diag(-1, -1, 2)",
    "[[5]] (one parameter)":
        "[[5]]（只有一个参数）",
    "[[-0.5]] (one parameter)":
        "[[-0.5]]（只有一个参数）",
    "a rotated diag(0.0001, 1, 4, 2)":
        "旋转后的 diag(0.0001, 1, 4, 2)",
    "diag(2, 0), the Hessian of x² + y⁴ and of x² − y⁴":
        "diag(2, 0)，即 x² + y⁴ 和 x² − y⁴ 的 Hessian 矩阵",
    "the zero matrix":
        "零矩阵",
    "a rotated diag(2, 0, 0)":
        "旋转后的 diag(2, 0, 0)",
    "a rotated diag(0, -1)":
        "旋转后的 diag(0, -1)",
    "input modified":
        "修改了输入",
    "invalid answer":
        "无效的答案",
}

TEMPLATES = {
    "From (1, 1e-6), after 100 steps θ = ({x100:.1e}, {y100:.1e}), f = {saddle(path[100]).item():.1e}: still at the saddle; |y| first exceeds 0.5 at step {escape}, and after 1000 steps θ = ({path[-1, 0].item():.1e}, {path[-1, 1].item():.3f}), f = {saddle(path[-1]).item():.3f}, a minimum. From (1, 0) exactly, y stays 0: after 1000 steps θ = ({end[0]:.1e}, {end[1]:g}), at the saddle. Near the saddle y grows by 1 + α = 1.1 per step: 10⁻⁶·1.1^k = 0.5 at k ≈ {math.log(0.5 / 1e-06) / math.log(1.1):.0f}.":
        "从 (1, 1e-6) 出发，100 步后 θ = ({x100:.1e}, {y100:.1e})，f = {saddle(path[100]).item():.1e}：仍在鞍点处；|y| 在第 {escape} 步首次超过 0.5，1000 步后 θ = ({path[-1, 0].item():.1e}, {path[-1, 1].item():.3f})，f = {saddle(path[-1]).item():.3f}，到达了一个最小值点。恰好从 (1, 0) 出发时，y 一直是 0：1000 步后 θ = ({end[0]:.1e}, {end[1]:g})，仍在鞍点处。在鞍点附近，y 每一步增大为原来的 1 + α = 1.1 倍：10⁻⁶·1.1^k = 0.5 时 k ≈ {math.log(0.5 / 1e-06) / math.log(1.1):.0f}。",
    "{name} returned {answer!r} for {case.label}, whose eigenvalues are {eigenvalues}; expected {right!r}. Check the rule: all λ > 0 minimum, all λ < 0 maximum, both signs saddle, otherwise inconclusive.":
        "{name} 返回了 {answer!r}（Hessian 矩阵：{case.label}，特征值：{eigenvalues}）；应返回 {right!r}。请检查判别规则：所有 λ > 0 为 'minimum'，所有 λ < 0 为 'maximum'，正负都有为 'saddle'，其余情况为 'inconclusive'。",
    "{name} classifies all {len(cases)} Hessians right, degenerate ones included.":
        "{name} 对全部 {len(cases)} 个 Hessian 矩阵都分类正确，包括退化的情形。",
    "{name} changed the Hessian it was given. Inputs belong to the caller: compute on them without modifying them.":
        "{name} 修改了传给它的 Hessian 矩阵。输入属于调用者：只能用它们来计算，不要修改它们。",
    "{name} returned {describe(answer)} for {case.label}; return one of {allowed}.":
        "{name} 返回了 {describe(answer)}（Hessian 矩阵：{case.label}）；请返回 {allowed} 之一。",
}

# The answers the learner returns are code: where the English names them in quotes
# ("return one of 'stays', 'escapes quickly', …"), they stay in English.
PATTERNS = [
    ("'很快离开'", "'escapes quickly'"),
    ("'缓慢离开'", "'escapes slowly'"),
    # The answers allowed, listed at the end of "请返回以下答案之一：…": each gets its meaning.
    (r"'stays'(?:, |、)'escapes quickly'(?:, |、)'escapes slowly'(?=。$)",
     "'stays'（停在鞍点处）、'escapes quickly'（在 100 步之内离开鞍点）、"
     "'escapes slowly'（会离开鞍点，但要到 100 步以后）"),
]
