"""descent.check.background's texts in Chinese (see descent.check.language)."""

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
    # predict_long_training. The answers the learner returns are code: in a verdict they are
    # quoted ('both fall'), and PATTERNS below put the English back, with the Chinese after it.
    "both fall":
        "两者都下降",
    "test rises":
        "测试损失回升",
    "both level off":
        "两者都趋于平稳",
    # The choices, read after "你预测的是" / "实验显示的是".
    "that both losses keep falling":
        "两个损失都持续下降",
    "that the training loss keeps falling while the test loss, after a minimum, rises":
        "训练损失持续下降，而测试损失在达到最低点后回升",
    "that both losses level off and stay where they are":
        "两个损失都趋于平稳，并保持不变",
    # Why a wrong choice is wrong (after the evidence).
    "That is what happens with enough data (the chapter's full training set). With 60 images the network can fit them one by one, and what it learns about those particular images stops carrying over to new ones.":
        "数据足够多时（比如本章的完整训练集）确实如此。但只有 60 张图像时，网络可以把它们逐一拟合，而它从这几张特定图像中学到的东西，不再能推广到新的图像上。",
    "The training loss never stops falling: the cross-entropy reaches 0 only as the logits grow without limit, so gradient descent keeps growing them, and the confident mistakes on test images cost more and more.":
        "训练损失永远不会停止下降：只有当 logit 无限增大时，交叉熵才会趋于 0，所以梯度下降会不断增大 logit，而模型在测试图像上那些自信的错误预测，代价也越来越大。",
    # The evidence: this, then "epoch {e}: training {…}, test {…}" joined by "; " (PATTERNS),
    # then ". The test loss is lowest at epoch {best + 1}."
    "The chapter's network (64 → 32 → 10) trained on 60 images with full-batch gradient descent (α = 0.5), losses after each epoch: ":
        "本章的网络（64 → 32 → 10）在 60 张图像上用全批量梯度下降（α = 0.5）训练，各轮结束后的损失如下：",
}

TEMPLATES = {
    ". The test loss is lowest at epoch {best + 1}.":
        "。测试损失在第 {best + 1} 轮时最低。",
    # A test case's label, read in parentheses after the verdict.
    "6 examples, all right, {dtype}, {device}":
        "6 个样本, 全部预测正确, {dtype}, {device}",
}

# Applied after MESSAGES and TEMPLATES, and again when a verdict already in Chinese is shown:
# each replacement leaves nothing for the others to match a second time.
ANSWERS = (("both fall", "两者都下降"), ("test rises", "测试损失回升"),
           ("both level off", "两者都趋于平稳"))

PATTERNS = [
    # The allowed answers ('both fall', …) are code: the English to return, then its meaning
    # (quoted as the other predictions' answers are, without backticks).
    *((rf"`?'{chinese}'`?(?:（{chinese}）)?", f"'{english}'（{chinese}）") for english, chinese in ANSWERS),
    # A learner's answer quoted in a verdict ('both falls') is shown as it was.
    *((rf"'([^'（）]*){chinese}([^'（）]*)'", rf"'\1{english}\2'") for english, chinese in ANSWERS),
    # The losses of the evidence, "epoch {e}: training {…:.3f}, test {…:.3f}", joined by "; ".
    (r"epoch (\d+): training ([-\w.]+), test ([-\w.]+); (?=epoch )",
     r"第 \1 轮：训练损失 \2，测试损失 \3；"),
    (r"epoch (\d+): training ([-\w.]+), test ([-\w.]+?)(?=。|$)",
     r"第 \1 轮：训练损失 \2，测试损失 \3"),
    # The other labels of accuracy's cases: "{n} examples, {c} classes, {dtype}, {device}".
    (r"\b(\d+) examples, (\d+) classes, ", r"\1 个样本, \2 个类别, "),
]
