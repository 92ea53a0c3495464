"""descent.check.kinds's texts in Chinese (see descent.check.language)."""

MESSAGES = {
    'wrong prediction':
        '预测错了',
    'invalid prediction':
        '预测无效',
}

TEMPLATES = {
    # check_prediction. A choice reads as a clause ("that the activations vanish") or a name
    # ("SGD"); "{evidence} {reason}" stays joined by its space (the reason may be empty).
    "{name} returned {answer!r}; return one of {allowed}.":
        "{name} 返回了 {answer!r}；请返回以下答案之一：{allowed}。",
    "{name}: you predicted {choices[prediction]}, and the experiment agrees. {evidence}":
        "{name}：你预测的是{choices[prediction]}，实验结果与之相符。{evidence}",
    "{name}: you predicted {choices[prediction]}, but the experiment shows {choices[outcome]}. {evidence} {reason}":
        "{name}：你预测的是{choices[prediction]}，但实验显示的是{choices[outcome]}。{evidence} {reason}",
    # Budget: read after "… went over its budget: ".
    "the budget is {self.calls} evaluations, and this is one more":
        "预算是 {self.calls} 次评估，而这是多出来的一次",
}

# Applied after the texts (and after zh/feedback.py's and zh/functions.py's patterns, which
# join "返回了" to a described value): a value in Latin letters, digits or quotes that lands
# right after "返回了", "应返回", "得到的是" or a prediction ("你预测的是SGD") gets its space;
# a Chinese one ("一个形状为 … 的张量") none. The answers allowed ("'sgd', 'momentum', 'adam'",
# at the end of "请返回以下答案之一：…" or "请返回 … 之一。") are listed with "、".
PATTERNS = [
    (r"(?<=返回了|应返回|到的是|测的是|示的是)(?=[A-Za-z0-9'\"<\[(])", " "),
    (r"(?<=返回了|应返回|到的是) (?=一个)", ""),
    (r"(?<=['）]), (?=`?'[^；]*。$)", "、"),
]
