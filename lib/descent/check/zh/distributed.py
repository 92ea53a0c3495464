"""descent.check.distributed's texts in Chinese (see descent.check.language)."""

MESSAGES = {
    "on every rank, for every parameter: p.grad ← (1/N) Σ_r p.grad of rank r, with N = dist.get_world_size(); all_reduce(p.grad) with op=SUM, then p.grad /= N, both in place":
        "在每个 rank 上、对每个参数：p.grad ← (1/N) Σ_r（rank r 上的 p.grad），其中 N = dist.get_world_size()；先用 op=SUM 做 all_reduce(p.grad)，再做 p.grad /= N，两步都原地进行",
    "three parameters, float64":
        "三个参数，float64",
    "a linear layer's weight and bias, float32":
        "一个线性层的权重和偏置，float32",
    "one parameter, float64":
        "一个参数，float64",
    "not divided by the number of ranks":
        "没有除以 rank 的个数",
    "all_reduce with op=SUM leaves the *sum* of the N gradients on every rank: N times the mean, so every step would be N times too long. Divide by N = dist.get_world_size() afterwards (in place: p.grad /= N).":
        "op=SUM 的 all_reduce 在每个 rank 上留下的是 N 个梯度的*总和*：它是平均值的 N 倍，于是每一步都会长 N 倍。之后还要除以 N = dist.get_world_size()（原地进行：p.grad /= N）。",
    "no all_reduce: each rank divided its own gradient":
        "没有 all_reduce：每个 rank 只是把自己的梯度除以了 N",
    "Each rank's gradient comes from its own share of the batch; dividing it by N alone averages nothing. The ranks must exchange their gradients: dist.all_reduce(p.grad) sums them over the ranks, in place, then divide by N.":
        "每个 rank 的梯度来自它自己分到的那一份批量；只除以 N 并没有求任何平均。各 rank 必须交换梯度：dist.all_reduce(p.grad) 原地把它们在各 rank 上求和，然后再除以 N。",
    "the gradients left unchanged":
        "梯度没有被改变",
    "Every `.grad` is what it was: the averaging did not reach them. all_reduce works in place on the tensor it is given: give it `p.grad` itself (not a copy such as `p.grad.clone()`, or a tensor you compute), or assign the result back to `p.grad`.":
        "每个 `.grad` 都还是原来的值：求平均没有作用到它们身上。all_reduce 原地修改传给它的张量：要把 `p.grad` 本身传给它（而不是 `p.grad.clone()` 这样的副本，或者你另外算出来的张量），或者把结果赋值回 `p.grad`。",
    "only rank 0 has the mean":
        "只有 rank 0 得到了平均值",
    "Rank 0's gradients are right, the other ranks' are not: `dist.reduce` leaves the sum on one rank only (and an `if rank == 0` does the same). Every rank steps its own copy of the model, so every rank needs the mean: use `dist.all_reduce`.":
        "rank 0 的梯度是对的，其他 rank 的不对：`dist.reduce` 只在一个 rank 上留下总和（`if rank == 0` 也是同样的效果）。每个 rank 都要用自己那份模型副本执行更新，所以每个 rank 都需要平均值：请使用 `dist.all_reduce`。",
    "only the first parameter averaged":
        "只对第一个参数求了平均",
    "The first parameter's gradient is the mean, the others are untouched: the loop must reach every parameter (a `return` or `break` inside it, or `next(iter(params))`, stops after the first).":
        "第一个参数的梯度是平均值，其他参数的都没动：循环必须遍历每个参数（循环里的 `return` 或 `break`，或者 `next(iter(params))`，都会在第一个参数之后就停下）。",
    "divided by the wrong number":
        "除数不对",
    "wrong type":
        "类型错误",
    "not implemented":
        "未实现",
    "parameters averaged instead of gradients":
        "求平均的是参数而不是梯度",
    "descent-check-":
        "descent-检查-",
    "gradient removed":
        "梯度被删除了",
    "wrong shape":
        "形状错误",
    "not finite":
        "结果不是有限值",
    " and on ":
        " 和 ",
}

TEMPLATES = {
    "on rank {report['rank']} of {report['world']}":
        "在 rank {report['rank']} 上，rank 总数为 {report['world']}",
    "on rank {r.rank} of {r.world} ({r.case.label})":
        "在 rank {r.rank} 上（共 {r.world} 个 rank；{r.case.label}）",
    "{name}: parameter {i}'s gradient on rank {r.rank} of {r.world} ({r.case.label}) is not the mean over the ranks: {largest_difference(r.got[i].double(), r.mean[i])}. Check: {AVERAGE_EQUATION}.":
        "{name}：在 rank {r.rank} 上（共 {r.world} 个 rank；{r.case.label}），参数 {i} 的梯度不是各 rank 梯度的平均值：{largest_difference(r.got[i].double(), r.mean[i])}。请检查：{AVERAGE_EQUATION}。",
    "{value.__qualname__} is too deeply nested to send":
        "{value.__qualname__} 嵌套太深，无法发送",
    "{name} gives every rank the mean of the ranks' gradients, for every parameter, on {' and on '.join(map(str, WORLDS))} processes ({len(CASES)} models each).":
        "{name} 让每个 rank 都得到了各 rank 梯度的平均值，每个参数都是如此；在 {' and on '.join(map(str, WORLDS))} 个进程上都成立（每种各 {len(CASES)} 个模型）。",
    "{name}: divided by the wrong number. Your gradients are the sum over the ranks divided {say_divisors(ratios)}; the mean divides by the number of ranks, N = dist.get_world_size(), whatever it is (not a fixed number, and not the rank).":
        "{name}：除数不对。你的梯度是各 rank 梯度之和除以了别的数：{say_divisors(ratios)}；平均值要除以 rank 的个数 N = dist.get_world_size()，无论它是多少（不是一个固定的数，也不是 rank 编号）。",
    "{name} should be a function defined with `def`, got {type(function).__name__}.":
        "{name} 应当是用 `def` 定义的函数，得到的却是 {type(function).__name__}。",
    "a {type(value).__name__} cannot be pickled ({error})":
        "{type(value).__name__} 类型的值无法 pickle（{error}）",
    "{name} stopped a process: {error.message}. (Rank {error.rank} of the check's {error.world_size} processes.)":
        "{name} 让一个进程中止了：{error.message}。（检查共有 {error.world_size} 个进程，出错的是 rank {error.rank}。）",
    "{name}: the ranks waited for each other and never met. Rank {report['rank']} of {report['world']} finished {name}, but another rank did not within {feedback.SECONDS + WAIT:g} s: it is waiting in a collective that this rank did not call. Every rank must call the same collectives (all_reduce), in the same order, on tensors of the same shapes; do not make them depend on the rank.":
        "{name}：各 rank 互相等待，却始终没有会合。{report['world']} 个 rank 中的 rank {report['rank']} 已经执行完 {name}，但另一个 rank 在 {feedback.SECONDS + WAIT:g} 秒内没有完成：它正在等待一个集合通信操作，而这个 rank 并没有调用该操作。每个 rank 都必须以相同的顺序、在形状相同的张量上调用相同的集合通信操作（all_reduce）；不要让它们随 rank 而变。",
    ". The check runs {name} in new processes, and `{missing}` could not be sent there: {why}. Import what you need inside the function, or use only picklable values":
        "。检查会在新的进程中运行 {name}，而 `{missing}` 无法发送过去：{why}。请在函数内部导入所需的东西，或者只使用可以 pickle 的值",
    "by {ks[0]:.4g} on {world} ranks":
        "在 {world} 个 rank 上除以 {ks[0]:.4g}",
    "by {', '.join((f'{k:.4g}' for k in ks))} on ranks {', '.join(map(str, range(world)))} of {world}":
        "在 rank {', '.join(map(str, range(world)))} 上分别除以 {', '.join((f'{k:.4g}' for k in ks))}，rank 总数为 {world}",
    "{name} changed the parameters themselves {where}: it averaged (or changed) `p` rather than `p.grad`. The ranks start with the same parameters and must keep them; it is the gradients that differ, and are averaged: dist.all_reduce(p.grad).":
        "{name} {where}改动了参数本身：它对 `p`（而不是 `p.grad`）求了平均（或做了修改）。各 rank 从相同的参数出发，也必须保持相同的参数；各不相同、需要求平均的是梯度：dist.all_reduce(p.grad)。",
    "{name} left parameter {i}'s `.grad` None {where}: average it in place instead of removing it.":
        "{name} {where}把参数 {i} 的 `.grad` 变成了 None：应当原地求平均，而不是把它删掉。",
    "{name}: parameter {i}'s gradient became a tensor of shape {tuple(got.shape)} and dtype {got.dtype} {where}; it should keep its shape {tuple(given.shape)} and dtype {given.dtype}.":
        "{name}：{where}，参数 {i} 的梯度变成了形状为 {tuple(got.shape)}、dtype 为 {got.dtype} 的张量；它应当保持原来的形状 {tuple(given.shape)} 和 dtype {given.dtype}。",
    "{name}: parameter {i}'s gradient holds NaN or infinity {where}.":
        "{name}：{where}，参数 {i} 的梯度含有 NaN 或无穷大。",
    "{value.__qualname__} could not be sent ({error})":
        "{value.__qualname__} 无法发送（{error}）",
    "{name} did not finish: {error}. The ranks were waiting for each other: every rank must call the same collectives, in the same order.":
        "{name} 没有运行完：{error}。各 rank 在互相等待：每个 rank 都必须以相同的顺序调用相同的集合通信操作。",
}

# say_divisors joins one part per world size; a part "by …, … on ranks …, … of N" ends with a
# value, so its template takes the rest of the verdict with it (and may start at an earlier
# part's "by"). These put the parts the templates leave right.
PATTERNS = [
    (r"在 rank ([^，；]+?) 上分别除以 ([^，；]+?) on (\d+) ranks, by ([^，；]+?)，rank 总数为",
     r"在 \3 个 rank 上除以 \2, 在 rank \1 上分别除以 \4，rank 总数为"),
    (r"by ([^，；;]+?) on ranks ([^，；;]+?) of (\d+)",
     r"在 rank \2 上分别除以 \1，rank 总数为 \3"),
    # rank_failure's f"{message} ({where})", and descent.distributed's LaunchTimeout (not a text
    # of descent.check) in "{name} did not finish: {error}. …".
    (r" \((在 rank \d+ 上，rank 总数为 \d+)\)", r"（\1）"),
    (r"ranks? ([\d, ]+) of (\d+) did not finish within ([\d.e+]+) s; every rank was stopped",
     r"rank \1（共 \2 个）没有在 \3 秒内完成；所有 rank 都已被停止"),
    # descent.distributed's silent_death (not a text of descent.check): a rank that ended
    # without reporting, in "{name} stopped a process: {error.message}. …".
    (r"the process ended with exit code (-?\d+|None) without reporting \(killed, crashed, or "
     r"failed at start-up: see its standard error; a script must call launch\(\) under "
     r"`if __name__ == \"__main__\":`\)",
     r"该进程以退出码 \1 结束，没有报告任何结果（它被杀死了、崩溃了，或者在启动时就失败了："
     r'请查看它的标准错误输出；脚本必须在 `if __name__ == "__main__":` 之下调用 launch()）'),
    (r"; then rank (\d+) raised ([\w.]+): ", r"；随后 rank \1 引发了 \2："),
]
