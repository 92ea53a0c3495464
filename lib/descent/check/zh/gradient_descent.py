"""descent.check.gradient_descent's mistakes in Chinese (see descent.check.language)."""

MESSAGES = {
    "summed over the features instead of the samples":
        "对特征求和，而不是对样本求和",
    "∂J/∂w_j sums over the samples i: (residual[:, None] * x).sum(dim=0), one number per feature j.":
        "∂J/∂w_j 是对样本 i 求和：(residual[:, None] * x).sum(dim=0)，每个特征 j 得到一个数。",
    "the minus sign is missing in ∂J/∂b":
        "∂J/∂b 中缺少负号",
    "ŷ enters y − ŷ with a minus sign for b too: ∂J/∂b = −Σᵢ (yᵢ − ŷᵢ).":
        "对 b 来说，ŷ 同样以负号进入 y − ŷ：∂J/∂b = −Σᵢ (yᵢ − ŷᵢ)。",
    "b is left out of the prediction":
        "预测中漏掉了 b",
    "ŷᵢ = w·xᵢ + b: the residual needs b as well.":
        "ŷᵢ = w·xᵢ + b：计算残差时也需要 b。",
    "the residual is broadcast along the wrong axis":
        "残差沿错误的轴广播",
    "Residual i belongs to sample i, row i of x: multiply residual[:, None] * x (or x.T @ residual), not residual * x, which pairs residual j with feature j.":
        "残差 i 属于样本 i，即 x 的第 i 行：要计算 residual[:, None] * x（或 x.T @ residual），而不是 residual * x，后者把残差 j 与特征 j 配成了一对。",
    "residuals and inputs summed separately":
        "残差和输入被分别求和",
    "The gradient sums the products, Σᵢ (yᵢ − ŷᵢ)·xᵢ, not (Σᵢ (yᵢ − ŷᵢ))·(Σᵢ xᵢ).":
        "梯度是对乘积求和：Σᵢ (yᵢ − ŷᵢ)·xᵢ，而不是 (Σᵢ (yᵢ − ŷᵢ))·(Σᵢ xᵢ)。",
    "the minus sign is missing (the source article's error)":
        "缺少负号（原文的错误）",
    "ŷ enters the residual y − ŷ with a minus sign, so ∂J/∂w₁ = −Σᵢ (yᵢ − ŷᵢ)·x₁ᵢ. Without it, gradient descent climbs the loss.":
        "ŷ 以负号进入残差 y − ŷ，所以 ∂J/∂w₁ = −Σᵢ (yᵢ − ŷᵢ)·x₁ᵢ。少了这个负号，梯度下降就会让损失一路往上爬。",
    "extra factor 2":
        "多了一个系数 2",
    "The ½ in J = ½ Σ (y − ŷ)² cancels the 2 from the derivative of the square.":
        "J = ½ Σ (y − ŷ)² 中的 ½ 正好抵消了对平方求导得到的 2。",
    "averaged instead of summed":
        "求了平均而不是求和",
    "The article's J sums over the samples (½ Σᵢ ...), so its gradient is a sum, not a mean.":
        "原文的 J 是对样本求和（½ Σᵢ ...），所以它的梯度也是和，而不是平均。",
    "divided by the learning rate":
        "除以了学习率",
    "Multiply: θ ← θ − α·∇J(θ).":
        "应该相乘：θ ← θ − α·∇J(θ)。",
    "the gradient is evaluated at θ₀ at every step":
        "每一步都在 θ₀ 处计算梯度",
    "Recompute the gradient at the current point in each iteration: θ ← θ − α·grad(θ), with the updated θ.":
        "每次迭代都要在当前点重新计算梯度：θ ← θ − α·grad(θ)，其中 θ 是更新后的值。",
    "gradient sign flipped (gradient ascent)":
        "梯度的符号反了（梯度上升）",
    "Step against the gradient: θ ← θ − α∇J(θ).":
        "要逆着梯度的方向走：θ ← θ − α∇J(θ)。",
    "the starting point was returned unchanged":
        "原样返回了起点",
    "Update θ inside the loop and return the updated θ (θ = θ − α·grad(θ)).":
        "在循环中更新 θ，并返回更新后的 θ（θ = θ − α·grad(θ)）。",
    "one step too many":
        "多走了一步",
    "Take exactly `steps` updates: `for _ in range(steps)`.":
        "恰好做 `steps` 次更新：`for _ in range(steps)`。",
    "one step too few":
        "少走了一步",
    "the learning rate is not used":
        "没有用到学习率",
    "Scale the gradient by α: θ ← θ − α∇J(θ).":
        "用 α 缩放梯度：θ ← θ − α∇J(θ)。",
    "1/L instead of 2/L":
        "用了 1/L 而不是 2/L",
    "1/L is where the steepest coordinate starts to overshoot (1 − αL < 0), not where it stops converging: |1 − αλⱼ| < 1 allows α up to 2/λⱼ.":
        "1/L 是最陡的坐标开始冲过头的地方（1 − αL < 0），而不是它不再收敛的地方：|1 − αλⱼ| < 1 允许 α 一直取到 2/λⱼ。",
    "the smallest curvature instead of the largest":
        "用了最小曲率而不是最大曲率",
    "Every coordinate must shrink: |1 − αλⱼ| < 1 for every j, so the steepest one (largest λⱼ) sets the limit.":
        "每个坐标都必须收缩：对每个 j 都要有 |1 − αλⱼ| < 1，所以上限由最陡的坐标（λⱼ 最大）决定。",
    "1/λ_min: the smallest curvature, and 1 instead of 2":
        "用了 1/λ_min：既用了最小曲率，又把 2 写成了 1",
    "The steepest coordinate (largest λⱼ) sets the limit, and |1 − αλ| < 1 allows α up to 2/λ.":
        "上限由最陡的坐标（λⱼ 最大）决定，而且 |1 − αλ| < 1 允许 α 一直取到 2/λ。",
    "the mean curvature instead of the largest":
        "用了平均曲率而不是最大曲率",
    "Each coordinate θⱼ is multiplied by 1 − αλⱼ at every step, separately: the largest λⱼ sets the limit, not an average.":
        "每一步，每个坐标 θⱼ 都各自乘以 1 − αλⱼ：决定上限的是最大的 λⱼ，而不是平均值。",
    "the sum of the curvatures instead of the largest":
        "用了曲率之和而不是最大曲率",
    "The coordinates do not interact: θⱼ ← (1 − αλⱼ) θⱼ. The largest λⱼ sets the limit.":
        "各坐标互不影响：θⱼ ← (1 − αλⱼ) θⱼ。上限由最大的 λⱼ 决定。",
    "that is the best learning rate, 2/(λ_min + λ_max), not the largest stable one":
        "这是最佳学习率 2/(λ_min + λ_max)，而不是保持稳定的最大学习率",
    "2/(λ_min + λ_max) makes the slowest coordinate shrink fastest; gradient descent still converges up to 2/λ_max.":
        "2/(λ_min + λ_max) 让收敛最慢的坐标收缩得最快；而学习率一直到 2/λ_max，梯度下降都仍然收敛。",
    "the norm of the curvatures instead of the largest":
        "用了曲率的范数而不是最大曲率",
    "The coordinates do not interact: θⱼ ← (1 − αλⱼ) θⱼ. The largest λⱼ sets the limit (the Hessian's spectral norm, not its Frobenius norm).":
        "各坐标互不影响：θⱼ ← (1 − αλⱼ) θⱼ。上限由最大的 λⱼ 决定（即 Hessian 的谱范数，而不是它的 Frobenius 范数）。",
    "L/2 instead of 2/L":
        "用了 L/2 而不是 2/L",
    "The condition |1 − αL| < 1 gives α < 2/L.":
        "由条件 |1 − αL| < 1 得到 α < 2/L。",
    "2L instead of 2/L":
        "用了 2L 而不是 2/L",
    "1/(2L) instead of 2/L":
        "用了 1/(2L) 而不是 2/L",
    "the minimum-norm solution X⁺y: the start θ₀ is ignored":
        "给出的是最小范数解 X⁺y：忽略了起点 θ₀",
    "X⁺y is where gradient descent ends from θ₀ = 0. From another start, the part of θ₀ that the data cannot see (outside the span of the rows of X) never changes.":
        "X⁺y 是梯度下降从 θ₀ = 0 出发时的终点。从别的起点出发时，θ₀ 中数据“看不见”的那部分（位于 X 的行张成的空间之外）始终不会改变。",
    "the start θ₀ itself":
        "给出的是起点 θ₀ 本身",
    "Gradient descent moves θ until Xθ = y; only the part of θ₀ outside the span of the rows of X stays.":
        "梯度下降会一直移动 θ，直到 Xθ = y；只有 θ₀ 中位于 X 的行张成的空间之外的那部分保持不变。",
    "sign of the correction flipped":
        "修正量的符号反了",
    "The correction solves X(θ − θ₀) = y − Xθ₀: θ = θ₀ + X⁺(y − Xθ₀).":
        "修正量是方程 X(θ − θ₀) = y − Xθ₀ 的解：θ = θ₀ + X⁺(y − Xθ₀)。",
    "the correction is X⁺y: the start's predictions Xθ₀ are not subtracted":
        "修正量用了 X⁺y：没有减去起点的预测 Xθ₀",
    "What remains to fit from θ₀ is the residual y − Xθ₀: θ = θ₀ + X⁺(y − Xθ₀).":
        "从 θ₀ 出发，还需要拟合的是残差 y − Xθ₀：θ = θ₀ + X⁺(y − Xθ₀)。",
    "θ₀ is not added back":
        "没有把 θ₀ 加回去",
    "X⁺(y − Xθ₀) is the step from θ₀, not the end point: θ = θ₀ + X⁺(y − Xθ₀).":
        "X⁺(y − Xθ₀) 是从 θ₀ 出发的位移，而不是终点：θ = θ₀ + X⁺(y − Xθ₀)。",
    "Xᵀ instead of the pseudo-inverse X⁺":
        "用了 Xᵀ 而不是伪逆 X⁺",
    "Gradient descent moves along the rows of X, θ − θ₀ = Xᵀc, but c must solve XXᵀc = y − Xθ₀: c = (XXᵀ)⁻¹(y − Xθ₀), so X⁺ = Xᵀ(XXᵀ)⁻¹.":
        "梯度下降沿 X 的行移动，θ − θ₀ = Xᵀc，但 c 必须满足 XXᵀc = y − Xθ₀：c = (XXᵀ)⁻¹(y − Xθ₀)，因此 X⁺ = Xᵀ(XXᵀ)⁻¹。",
    "the projections are swapped: θ₀ is projected onto the rows of X":
        "两个投影弄反了：把 θ₀ 投影到了 X 的行空间上",
    "The part of θ₀ that stays is the one gradient descent cannot change, outside the span of the rows: (I − X⁺X)θ₀. The limit is (I − X⁺X)θ₀ + X⁺y.":
        "θ₀ 中保留下来的，是梯度下降无法改变的那部分，即位于行张成的空间之外的部分：(I − X⁺X)θ₀。极限是 (I − X⁺X)θ₀ + X⁺y。",
    "X⁺y is missing: only the projection (I − X⁺X)θ₀":
        "缺少 X⁺y：只有投影 (I − X⁺X)θ₀",
    "The limit is the part of θ₀ gradient descent cannot change plus the part the data fix: (I − X⁺X)θ₀ + X⁺y.":
        "极限等于 θ₀ 中梯度下降无法改变的部分，加上由数据确定的部分：(I − X⁺X)θ₀ + X⁺y。",
    "θ − θ₀ stays in the span of the rows of X, and Xθ = y at the limit: θ = θ₀ + X⁺(y − Xθ₀)":
        "θ − θ₀ 始终位于 X 的行张成的空间中，而在极限处 Xθ = y：θ = θ₀ + X⁺(y − Xθ₀)",
    "that it converges":
        "梯度下降会收敛",
    "that it oscillates forever with the same amplitude":
        "梯度下降会以不变的振幅一直振荡下去",
    "that it diverges":
        "梯度下降会发散",
    "Below 2/L each step multiplies θ by 1 − αL, of size under 1. Above 2/L the factor is 1 − αL = −1 − εL: its size 1 + εL is over 1.":
        "α 小于 2/L 时，每一步把 θ 乘以 1 − αL，其绝对值小于 1。α 大于 2/L 时，这个因子是 1 − αL = −1 − εL：其绝对值 1 + εL 大于 1。",
    "That is α = 2/L exactly, where the factor is −1. Any ε > 0 makes it −(1 + εL): the sign still flips at each step, but the amplitude grows geometrically, slowly at first.":
        "那是 α 恰好等于 2/L 的情形，此时因子为 −1。任何 ε > 0 都会让因子变成 −(1 + εL)：符号仍然每一步翻转一次，但振幅按几何级数增长，只是起初增长得很慢。",
    "θ_{t+1} = θ_t − α ∇J(θ_t), repeated `steps` times":
        "θ_{t+1} = θ_t − α ∇J(θ_t)，重复 `steps` 次",
    "θⱼ ← (1 − αλⱼ) θⱼ converges for every start iff |1 − αλⱼ| < 1 for every j":
        "θⱼ ← (1 − αλⱼ) θⱼ 对任意起点都收敛，当且仅当对每个 j 都有 |1 − αλⱼ| < 1",
    "the article's example":
        "原文的例子",
    "normal equations are singular":
        "正规方程是奇异的",
    "approximated by iterating, not the exact limit":
        "用迭代做了近似，而不是精确的极限",
    "another minimizer, not the one gradient descent reaches":
        "另一个最小值点，而不是梯度下降到达的那一个",
    "the article's data":
        "原文的数据",
}

TEMPLATES = {
    "{name}: the normal equations XᵀXθ = Xᵀy are singular here. With fewer equations than unknowns XᵀX has no inverse, and the equations have infinitely many solutions. Use what gradient descent preserves: θ − θ₀ stays in the span of the rows of X.":
        "{name}：正规方程 XᵀXθ = Xᵀy 在这里是奇异的。方程个数少于未知数个数时，XᵀX 不可逆，方程有无穷多个解。请利用梯度下降保持不变的性质：θ − θ₀ 始终位于 X 的行张成的空间中。",
    "{name} does not return a minimizer: Xθ ≠ y ({case.label}, relative residual {residual:.2g}). At the limit the gradient Xᵀ(Xθ − y) is 0, which here means Xθ = y. (If you inverted XᵀX: it is singular with fewer equations than unknowns.) Check the equation: {LIMIT_EQUATION}":
        "{name} 返回的不是最小值点：Xθ ≠ y（{case.label}，相对残差 {residual:.2g}）。在极限处梯度 Xᵀ(Xθ − y) 为 0，在这里就意味着 Xθ = y。（如果你对 XᵀX 求了逆：方程个数少于未知数个数时，它是奇异的。）请检查公式：{LIMIT_EQUATION}",
    "{name} is close to the limit but not equal to it ({case.label}: {largest_difference(got, expected)}). Running gradient descent only approaches the limit; write the limit itself as a formula.":
        "{name} 接近极限，但并不等于极限（{case.label}：{largest_difference(got, expected)}）。运行梯度下降只能逼近极限；请把极限本身写成公式。",
    "{name} returns a minimizer (Xθ = y), but not the one gradient descent reaches from θ₀ ({case.label}). With fewer equations than unknowns there are infinitely many; solving the normal equations XᵀXθ = Xᵀy (singular here) picks an arbitrary one. Gradient descent changes θ only along the rows of X: θ = θ₀ + Xᵀc, with c such that Xθ = y.":
        "{name} 返回的是一个最小值点（Xθ = y），但不是梯度下降从 θ₀ 出发到达的那一个（{case.label}）。方程个数少于未知数个数时，最小值点有无穷多个；求解正规方程 XᵀXθ = Xᵀy（这里是奇异的）只会任意选出其中一个。梯度下降只沿 X 的行改变 θ：θ = θ₀ + Xᵀc，其中 c 使得 Xθ = y。",
    "Gradient descent on f(θ) = (L/2)θ² with L = {L:g}, θ₀ = 1 and α = 2/L + {epsilon:g} = {2 / L + epsilon:g} (each step multiplies θ by 1 − αL = {1 - (2 / L + epsilon) * L:g}): |θ_t| = ":
        "在 f(θ) = (L/2)θ² 上做梯度下降，L = {L:g}，θ₀ = 1，α = 2/L + {epsilon:g} = {2 / L + epsilon:g}（每一步把 θ 乘以 1 − αL = {1 - (2 / L + epsilon) * L:g}）：|θ_t| = ",
}

# Plain pieces too short to be catalogued: the test cases' labels ("3 samples", "7 steps",
# "3 equations, 5 unknowns"), and the end of the experiment's sentence above
# ("|θ_t| = 1, 1.22, 7.24, 19957 at t = 0, 10, 100, 500. At α = 2/L exactly, |θ_t| stays 1.").
PATTERNS = [
    (r"(?<=[(（])(\d+) samples(?=[,，)）;；:：])", r"\1 个样本"),
    (r"α = 0\.1, 7 steps", r"α = 0.1, 7 步"),
    (r"\b(\d+) equations, (\d+) unknowns", r"\1 个方程，\2 个未知数"),
    (r" at t = ((?:\d+, )*\d+)\. At α = 2/L exactly, \|θ_t\| stays (\S+?)\.",
     r"（t = \1 时）。α 恰好等于 2/L 时，|θ_t| 始终为 \2。"),
    # The answers allowed, listed at the end of "请返回以下答案之一：…": each gets its meaning.
    (r"'converges'(?:, |、)'oscillates'(?:, |、)'diverges'(?=。$)",
     "'converges'（收敛）、'oscillates'（以不变的振幅一直振荡下去）、'diverges'（发散）"),
]
