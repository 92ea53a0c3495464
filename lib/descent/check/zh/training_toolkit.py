"""descent.check.training_toolkit's texts in Chinese (see descent.check.language)."""

MESSAGES = {
    "β and 1 − β swapped":
        "β 和 1 − β 弄反了",
    "The average keeps most of itself: θ̄ ← β θ̄ + (1 − β) θ with β = decay close to 1. Swapped, it follows the last weights almost exactly.":
        "平均值应当保留自身的大部分：θ̄ ← β θ̄ + (1 − β) θ，其中 β = decay 接近 1。弄反之后，它几乎完全跟着最新的权重走。",
    "the average starts at zero":
        "平均值从零开始",
    "Before the first update there is nothing to average: copy the weights, θ̄ ← θ. Started at 0, the average is pulled towards 0 for about 1 / (1 − β) updates (the bias Adam corrects in m and v).":
        "第一次更新之前没有什么可平均的：直接复制权重，θ̄ ← θ。如果从 0 开始，平均值在大约 1 / (1 − β) 次更新内都会被拉向 0（这正是 Adam 在 m 和 v 中校正的偏差）。",
    "Before the first update there is nothing to average: copy the weights, θ̄ ← θ. Started at 0, the average is pulled towards 0 for about 1 / (1 − β) updates.":
        "第一次更新之前没有什么可平均的：直接复制权重，θ̄ ← θ。如果从 0 开始，平均值在大约 1 / (1 − β) 次更新内都会被拉向 0。",
    "the gradients averaged instead of the weights":
        "平均的是梯度而不是权重",
    "The EMA of the weights averages `p` itself (its values), not `p.grad`: that would be a momentum buffer.":
        "权重的 EMA 平均的是 `p` 本身（它的值），而不是 `p.grad`：那样得到的是一个动量缓冲区。",
    "SWA's mean instead of the EMA":
        "用了 SWA 的均值而不是 EMA",
    "The running mean θ̄ + (θ − θ̄)/(n + 1) gives every weight the same share (that is SWA); the EMA forgets old weights geometrically: θ̄ ← β θ̄ + (1 − β) θ.":
        "累计平均 θ̄ + (θ − θ̄)/(n + 1) 给每个权重相同的份额（那是 SWA）；EMA 则按几何级数遗忘旧的权重：θ̄ ← β θ̄ + (1 − β) θ。",
    "the micro-batch losses not divided":
        "微批量的损失没有做除法",
    "backward() adds up: k micro-batch means give k times the gradient. Weight each micro-batch's loss by n_j / N.":
        "backward() 会把梯度累加起来：k 个微批量的平均损失给出的是 k 倍的梯度。应把每个微批量的损失乘以权重 n_j / N。",
    "divided by k with an uneven last batch":
        "最后一个微批量大小不同时仍除以 k",
    "Dividing each mean by the number of micro-batches k is right only when they are all the same size. With n_j examples in micro-batch j and N in all, weight its mean loss by n_j / N: then every example counts the same, as in the big batch.":
        "只有当所有微批量大小相同时，把每个均值除以微批量个数 k 才是对的。若微批量 j 有 n_j 个样本、总共有 N 个样本，就把它的平均损失乘以权重 n_j / N：这样每个样本的分量都相同，和在大批量中一样。",
    "gradients cleared between micro-batches":
        "在微批量之间清空了梯度",
    "zero_grad before each micro-batch throws away the gradients accumulated so far: only the last one is left. Clear them once, before accumulating (here they start at None).":
        "在每个微批量之前调用 zero_grad，会扔掉到目前为止累积的梯度：最后只剩下最后一个微批量的梯度。应在开始累积之前清空一次（这里梯度初始为 None）。",
    "multiplied by n_j but not divided by N":
        "乘以了 n_j，却没有除以 N",
    "loss · n_j is the micro-batch's sum of losses: the total is the big batch's sum, N times its mean. Divide by N too.":
        "loss · n_j 是该微批量的损失之和：全部加起来是大批量的损失之和，即其均值的 N 倍。还要再除以 N。",
    "first update: θ̄ ← a copy of θ; then θ̄ ← β θ̄ + (1 − β) θ, with β = decay, for every parameter; the model's weights untouched":
        "第一次更新：θ̄ ← θ 的副本；之后对每个参数做 θ̄ ← β θ̄ + (1 − β) θ，其中 β = decay；模型的权重保持不动",
    "with n_j examples in micro-batch j and N = Σ n_j, backward on loss_fn(model(x_j), y_j) · n_j / N for each j; return the mean loss over all N examples":
        "设微批量 j 有 n_j 个样本，N = Σ n_j，对每个 j 在 loss_fn(model(x_j), y_j) · n_j / N 上调用 backward；返回全部 N 个样本上的平均损失",
    "that the smallest gradients are lost (they underflow to 0)":
        "最小的梯度会丢失（下溢为 0）",
    "that the largest gradients are lost (they overflow to infinity)":
        "最大的梯度会丢失（上溢为无穷大）",
    "that both ends are lost":
        "两端的梯度都会丢失",
    "that every gradient survives":
        "所有梯度都能保留下来",
    "Without scaling they would be: float16's smallest positive number is 2⁻²⁴ ≈ 6e−8. Multiplied by 2¹⁶, 1e−9 becomes 6.6e−5, inside float16's range.":
        "不缩放的话确实会丢失：float16 能表示的最小正数是 2⁻²⁴ ≈ 6e−8。乘以 2¹⁶ 之后，1e−9 变成 6.6e−5，落在 float16 的范围之内。",
    "The scale moves the whole range up by 2¹⁶: the small ones are saved, and only the large ones fall off the top, past 65504.":
        "缩放把整个范围向上移动了 2¹⁶ 倍：小的梯度得救了，只有大的梯度超过 65504，从顶端溢出。",
    "float16's largest number is 65504: a gradient of 4 times 2¹⁶ = 262144 does not fit. That is why GradScaler checks for infinities, skips that step and halves the scale.":
        "float16 能表示的最大数是 65504：梯度 4 乘以 2¹⁶ 得到 262144，放不下。正因如此，GradScaler 会检查无穷大，跳过这一步，并把缩放因子减半。",
    "the model's weights changed":
        "模型的权重被修改了",
    # "after the first update" and "after update {t}" are the {where} of the verdicts below,
    # which write "{where} 次更新之后" around them: "第 1 次更新之后", "第 3 次更新之后".
    # (A template that ends with a value must end with it in Chinese too.)
    "after the first update":
        "第 1",
    "3 micro-batches of 4, cross-entropy":
        "3 个大小为 4 的微批量，交叉熵",
    "micro-batches of 5, 5 and 2, cross-entropy":
        "大小为 5、5 和 2 的微批量，交叉熵",
    "micro-batches of 3, 6, 1 and 2, mean squared error":
        "大小为 3、6、1 和 2 的微批量，均方误差",
    "one micro-batch of 7, cross-entropy":
        "1 个大小为 7 的微批量，交叉熵",
    "micro-batches of 8 and 3, mean squared error":
        "大小为 8 和 3 的微批量，均方误差",
    "returns the last micro-batch's loss":
        "返回的是最后一个微批量的损失",
    "Return the mean loss over all N examples, Σ_j n_j · loss_j / N.":
        "请返回全部 N 个样本上的平均损失，Σ_j n_j · loss_j / N。",
    "returns the sum of the micro-batch losses":
        "返回的是各微批量损失之和",
    "returns the mean of the micro-batch means":
        "返回的是各微批量均值的平均",
    "With micro-batches of different sizes the mean of their means is not the mean over the examples: return Σ_j n_j · loss_j / N.":
        "微批量大小不同时，各微批量均值的平均并不等于所有样本上的平均：请返回 Σ_j n_j · loss_j / N。",
    "average not kept in state":
        "平均值没有保存在 state 中",
    "wrong type":
        "类型错误",
    "is None":
        "为 None",
    "wrong shape":
        "形状错误",
    "no copy of the weights":
        "没有复制权重",
    "keeps the autograd graph":
        "保留了 autograd 计算图",
    "mean of means":
        "均值的平均",
    "parameters changed":
        "参数被修改了",
    "no gradients":
        "没有梯度",
    "returned None":
        "返回了 None",
}

TEMPLATES = {
    "True gradients {show(list(TRUE_GRADIENTS))}; float16 without scaling: {show(plain)}; float16 with the loss × 2¹⁶, divided by 2¹⁶ afterwards: {show(scaled)}. GradScaler sees the infinity, skips the step and halves the scale, until the largest gradient fits.":
        "真实梯度 {show(list(TRUE_GRADIENTS))}；不缩放的 float16：{show(plain)}；把损失乘以 2¹⁶、之后再除以 2¹⁶ 的 float16：{show(scaled)}。GradScaler 发现无穷大后，会跳过这一步并把缩放因子减半，直到最大的梯度放得下为止。",
    "{name} changed the model's weights. The average is a separate copy: update the tensors in `state['averaged']` and leave `params` as they are (the model goes on training from its own weights).":
        "{name} 修改了模型的权重。平均值是一份独立的副本：请更新 `state['averaged']` 中的张量，让 `params` 保持原样（模型会从它自己的权重继续训练）。",
    "after update {t}":
        "第 {t}",
    "{name}: after update {t + 1}, the average of parameter {index} differs ({case.label}): {largest_difference(got[t][index], expected[t][index])}. Check the rule: {EMA_EQUATION}.":
        "{name}：第 {t + 1} 次更新之后，参数 {index} 的平均值不对（{case.label}）：{largest_difference(got[t][index], expected[t][index])}。请检查规则：{EMA_EQUATION}。",
    "{name} gives the gradient of the big batch's mean loss, and that loss, on all {len(runs)} cases, uneven micro-batches included.":
        "{name} 在全部 {len(runs)} 个用例上（包括大小不一的微批量）都给出了大批量平均损失的梯度，以及这个损失本身。",
    "{name}: `state['averaged']` is missing {where}. Keep the average there, a list with one tensor per parameter.":
        "{name}：{where} 次更新之后，`state['averaged']` 不存在。请把平均值保存在那里：一个列表，每个参数对应一个张量。",
    "{name}: `state['averaged']` is {describe(averaged)} {where}; it should be a list of {len(params)} tensors, one per parameter, in order.":
        "{name}：`state['averaged']` 是 {describe(averaged)} {where} 次更新之后；它应当是由 {len(params)} 个张量组成的列表，按顺序每个参数对应一个。",
    "{name} matches descent.averaging.AveragedModel with ema_average(decay) on all {len(runs)} training trajectories, update after update.":
        "{name} 在全部 {len(runs)} 条训练轨迹上，每一次更新后都与 descent.averaging.AveragedModel 配合 ema_average(decay) 的结果一致。",
    "{name}: the gradient of parameter {index} {detail} ({case.label}). Check: {ACCUMULATE_EQUATION}.":
        "{name}：参数 {index} 的梯度 {detail} ({case.label})。请检查：{ACCUMULATE_EQUATION}。",
    "{name}: the average of a parameter of shape {tuple(p.shape)} and dtype {p.dtype} is {describe(a)}; keep the parameter's shape, dtype and device (p.detach().clone()).":
        "{name}：形状为 {tuple(p.shape)}、dtype 为 {p.dtype} 的参数，其平均值却是{describe(a)}；请保持参数的形状、dtype 和设备（p.detach().clone()）。",
    "{name}: the average is the model's weights themselves, not a copy ({where}): `state['averaged']` shares their memory, so every optimizer step changes the \"average\" too. Store copies: `[p.detach().clone() for p in params]`.":
        "{name}：平均值就是模型的权重本身，而不是副本（{where} 次更新之后）：`state['averaged']` 与权重共享内存，所以优化器的每一步也会改变这个“平均值”。请保存副本：`[p.detach().clone() for p in params]`。",
    "{name}: the average keeps the autograd graph ({where}): each update links it to every earlier one, and memory grows at every step. Compute it from `p.detach()` or under `torch.no_grad()`.":
        "{name}：平均值保留了 autograd 计算图（{where} 次更新之后）：每次更新都把它和之前所有的计算图连在一起，内存每一步都在增长。请用 `p.detach()` 计算它，或者在 `torch.no_grad()` 下计算。",
    "{name} changed the model's weights. It only computes the gradients; the optimizer steps afterwards.":
        "{name} 修改了模型的权重。它只负责计算梯度；之后由优化器来执行更新。",
    "{name} left every `.grad` None ({case.label}): call `backward()` on each micro-batch's (weighted) loss.":
        "{name} 让每个 `.grad` 都还是 None（{case.label}）：请对每个微批量的（加权）损失调用 `backward()`。",
    "{name} returned None. The gradients are right; now return the mean loss over all the examples, a Python float.":
        "{name} 返回了 None。梯度是对的；现在请返回所有样本上的平均损失，一个 Python float。",
    "{name} returned {describe(got.returned)}; return the mean loss, a number (`loss.item()`).":
        "{name} 返回了 {describe(got.returned)}；请返回平均损失，一个数（`loss.item()`）。",
    "{name} computes the right gradients but returned {value:.10g}; the mean loss over all the examples is {expected.returned:.10g} ({case.label}).":
        "{name} 算出的梯度是对的，但返回了 {value:.10g}；所有样本上的平均损失是 {expected.returned:.10g}（{case.label}）。",
}

# Two values side by side in the English ("{describe(averaged)} {where}", "{detail}
# ({case.label})") are told apart only by a space or a parenthesis, which the values contain
# too: their templates above keep them side by side, as found, and these patterns then put
# the words in Chinese order.
PATTERNS = [
    (r"`state\['averaged'\]` 是 (.*) (第 \d+) 次更新之后；",
     r"\2 次更新之后，`state['averaged']` 是 \1；"),
    (r"(参数 \d+ 的梯度) 为 None", r"\1为 None"),
    # {detail} is "is None" or "differs: {largest_difference(...)}", a fragment too short to
    # be a text.
    (r"(参数 \d+ 的梯度) differs: ", r"\1与正确结果不同："),
    (r"(参数 \d+ 的梯度.*) \(([^()]*)\)。请检查：", r"\1（\2）。请检查："),
    # The answers allowed, listed at the end of "请返回以下答案之一：…": each gets its meaning.
    (r"'small'(?:, |、)'large'(?:, |、)'both'(?:, |、)'none'(?=。$)",
     "'small'（最小的梯度会丢失）、'large'（最大的梯度会丢失）、'both'（两端都会丢失）、"
     "'none'（所有梯度都能保留下来）"),
]
