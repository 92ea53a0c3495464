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
}
