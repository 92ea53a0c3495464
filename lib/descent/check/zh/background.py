"""descent.check.background's mistakes in Chinese (see descent.check.language)."""

MESSAGES = {
    "argmax over the wrong dimension (dim 0, the examples)":
        "argmax 取错了维度（dim 0，即样本所在的维度）",
    "Each row holds one example's C logits: the predicted class is the argmax of the row, dim=1.":
        "每一行是一个样本的 C 个 logit：预测的类别是这一行的 argmax，即 dim=1。",
    "argmin instead of argmax":
        "用了 argmin 而不是 argmax",
    "The predicted class is the one with the LARGEST logit: `logits.argmax(dim=1)`.":
        "预测的类别是 logit 最大（而不是最小）的那一个：`logits.argmax(dim=1)`。",
    "argmax without dim (over the whole tensor)":
        "argmax 没有指定 dim（在整个张量上取）",
    "`logits.argmax()` flattens the tensor and returns one index; take the argmax of each row, `dim=1`.":
        "`logits.argmax()` 会把张量展平，只返回一个下标；要对每一行取 argmax，即 `dim=1`。",
    "the count of right predictions instead of the fraction":
        "返回了预测正确的个数，而不是比例",
    "Divide by the number of examples (or take the mean): accuracy is a fraction between 0 and 1.":
        "要除以样本数（或者取平均值）：准确率是介于 0 和 1 之间的比例。",
    "divided by the number of classes instead of the number of examples":
        "除以了类别数，而不是样本数",
    "Average over the N examples (rows): divide the count by `len(labels)`.":
        "对 N 个样本（即行）求平均：把正确的个数除以 `len(labels)`。",
    "a percentage instead of a fraction":
        "返回了百分数，而不是比例",
    "Return the fraction, between 0 and 1, not 100 times it.":
        "返回介于 0 和 1 之间的比例，而不是它的 100 倍。",
    "integer division":
        "用了整数除法",
    "`count // n` rounds down to 0 unless every prediction is right: divide with `/`, or take the mean of the float tensor.":
        "除非每个预测都正确，否则 `count // n` 会向下取整为 0：请用 `/` 做除法，或者对浮点张量取平均值。",
    "the logits are compared with the labels":
        "拿 logit 直接和标签比较",
    "A logit is a score, not a class: the predicted class is the index of the largest logit, `logits.argmax(dim=1)`.":
        "logit 是分数，不是类别：预测的类别是最大 logit 的下标，`logits.argmax(dim=1)`。",
    "the largest logit's value is compared, not its index":
        "比较的是最大 logit 的值，而不是它的下标",
    "`logits.max(dim=1)` returns (values, indices): the predicted class is the index, `logits.max(dim=1).indices` or `logits.argmax(dim=1)`.":
        "`logits.max(dim=1)` 返回 (values, indices)：预测的类别是其中的下标，即 `logits.max(dim=1).indices` 或 `logits.argmax(dim=1)`。",
    "the error rate instead of the accuracy":
        "返回了错误率，而不是准确率",
    "Accuracy is the fraction of predictions equal to the label, not the fraction that differ.":
        "准确率是预测与标签相同的比例，而不是预测与标签不同的比例。",
}
