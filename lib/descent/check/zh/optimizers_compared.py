"""descent.check.optimizers_compared's texts in Chinese (see descent.check.language)."""

MESSAGES = {
    "SGD with momentum (β = 0.9)":
        "带动量的 SGD（β = 0.9）",
    "Along the flat direction (curvature 1) SGD's step is α·θ₁ = 0.1 % of the way per step. Momentum's velocity adds up to 1/(1 − β) = 10 such steps, and with α·100 = 0.1 the steep direction is stable for both.":
        "沿平坦方向（曲率为 1），SGD 每一步走 α·θ₁，即剩余路程的 0.1 %。动量的速度会累积到 1/(1 − β) = 10 个这样的步长；而由于 α·100 = 0.1，陡峭方向对两者都是稳定的。",
    "Adam moves each coordinate by about α = 10⁻³ per step, whatever the gradient: in 200 steps at most 0.2, and θ₁ has 4 to travel. Its default rate suits weights of order 0.1, not this journey; a rate measured in units of the weights is a strength only when the unit fits.":
        "无论梯度多大，Adam 每一步都把每个坐标移动约 α = 10⁻³：200 步最多移动 0.2，而 θ₁ 要走 4 的距离。它的默认学习率适合量级为 0.1 的权重，而不适合这段路程；以权重为单位来衡量的学习率，只有在这个单位合适时才是优点。",
    " It is the rate with the LARGEST validation loss of those you tried: `min`, not `max`?":
        " 它是你试过的学习率中验证损失最大的那个：该用 `min`，而不是 `max`？",
    "too small":
        "太小",
    "too large":
        "太大",
    "returned None":
        "返回了 None",
    "wrong type":
        "类型错误",
    "returned a loss, not a learning rate":
        "返回的是损失，而不是学习率",
    "returned an index, not a learning rate":
        "返回的是下标，而不是学习率",
    "not a positive learning rate":
        "不是正的学习率",
    "no evaluation":
        "没有做任何评估",
    "the chosen learning rate diverges":
        "所选的学习率发散了",
    "picked the largest loss":
        "选了损失最大的那个",
    "linear grid":
        "线性网格",
}

TEMPLATES = {
    "Validation loss at your rate {lr:.3g}: {achieved:.3g}; the best on a fine grid: {best:.3g} at {best_lr:.3g} (rates you tried: {tried_text}).":
        "你的学习率 {lr:.3g} 下的验证损失：{achieved:.3g}；在精细网格上，最好的验证损失是 {best:.3g}，对应学习率 {best_lr:.3g}（你试过的学习率：{tried_text}）。",
    "After {WINNER_STEPS} steps from θ = (−4, 1), where J = 58, {table}.":
        "从 θ = (−4, 1)（此处 J = 58）出发走 {WINNER_STEPS} 步之后：{table}。",
    "{name}: learning rate {direction}, not within 25 % of the best. {summary} Cover the orders of magnitude first (a factor of about 10 between tries), then spend the rest of the budget between the best rate and its neighbours.":
        "{name}：学习率{direction}，与最佳值相差超过 25 %。{summary}先覆盖各个数量级（相邻两次尝试相差约 10 倍），再把剩余的预算花在最佳学习率和与它相邻的学习率之间。",
    "learning rate {direction}":
        "学习率{direction}",
    "lr must be a positive number, got {lr!r}":
        "lr 必须是正数，得到的是 {lr!r}",
    "{name} returned None. Did you forget to return the learning rate?":
        "{name} 返回了 None。是不是忘了返回学习率？",
    "{name} returned {describe(chosen)}; return the learning rate you choose, a number.":
        "{name} 返回了 {describe(chosen)}；请返回你选定的学习率，一个数。",
    "{name} returned {lr:.4g}, a validation loss, not a learning rate. Keep the rate that gave the smallest loss and return the rate.":
        "{name} 返回了 {lr:.4g}，这是一个验证损失，而不是学习率。请记下给出最小损失的学习率，并返回这个学习率。",
    "{name} returned {chosen}, the position of a rate in your list, not the rate itself: return `rates[i]`, not `i`.":
        "{name} 返回了 {chosen}，这是某个学习率在你的列表中的位置，而不是学习率本身：请返回 `rates[i]`，而不是 `i`。",
    "{name} returned {lr!r}; a learning rate is a positive number.":
        "{name} 返回了 {lr!r}；学习率应当是一个正数。",
    "{name} returned a value without calling `validation_loss` once: tuning means measuring. Try a few values and keep the best.":
        "{name} 一次也没有调用 `validation_loss` 就返回了一个值：调参就是要测量。请试几个值，保留最好的那个。",
    "{name}: {summary} Within 25 % of the best.":
        "{name}：{summary}与最佳值相差在 25 % 以内。",
    "{name}: the chosen learning rate diverges. {summary}{hint} A rate past the cliff is worse than no training at all; treat NaN and huge losses as failures before taking the minimum.":
        "{name}：所选的学习率发散了。{summary}{hint}越过悬崖的学习率比完全不训练还要糟糕；在取最小值之前，要先把 NaN 和巨大的损失当作失败排除掉。",
    "{name} returned {lr:.3g}, the rate with the LARGEST validation loss of those you tried ({distinct[worst]:.3g}). {summary} Keep the smallest loss: `min(..., key=...)`, not `max`.":
        "{name} 返回了 {lr:.3g}，它是你试过的学习率中验证损失最大的那个（{distinct[worst]:.3g}）。{summary}应当保留最小的损失：用 `min(..., key=...)`，而不是 `max`。",
    "{name}: a linear grid misses the good region. {summary} Equally spaced rates put nearly all evaluations near the largest one; what matters is the order of magnitude, so space them by a constant factor, then refine around the best.":
        "{name}：线性网格会错过好的区域。{summary}等间距的学习率会让几乎所有评估都落在最大的那个附近；真正重要的是数量级，所以要让相邻的学习率相差一个固定的倍数，然后再在最佳值附近细化。",
    "lr must be a positive number, got {describe(lr)}":
        "lr 必须是正数，得到的是 {describe(lr)}",
}

# The experiment's table ("SGD: J = 5.36 at θ = (−3.27, 0.00); …") is joined in code, not a text.
PATTERNS = [
    (r"(SGD|Adam|SGD（β = 0\.9）): J = (\S+) at θ = (\([^()]*\))(; )?",
     lambda match: f"{match[1]}：J = {match[2]}，θ = {match[3]}{'；' if match[4] else ''}"),
    # The answers allowed, listed at the end of "请返回以下答案之一：…": each gets its meaning.
    (r"'sgd'(?:, |、)'momentum'(?:, |、)'adam'(?=。$)",
     "'sgd'（SGD）、'momentum'（带动量的 SGD）、'adam'（Adam）"),
]
