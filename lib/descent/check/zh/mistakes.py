"""descent.check.mistakes's mistakes in Chinese (see descent.check.language)."""

MESSAGES = {
    "gradient sign flipped":
        "梯度的符号反了",
    "Every step goes uphill: the update subtracts the step direction, θ ← θ − α·(direction), and the direction follows +g.":
        "每一步都在往上坡走：更新时要减去步进方向，θ ← θ − α·(方向)，而这个方向与 +g 同向。",
    "state not kept between steps":
        "两步之间没有保留状态",
    "The running averages (or the velocity) start again from zero at every call. Store them in the `state` dict, e.g. `state['momentum_buffer']`, and read them back on the next call.":
        "滑动平均（或速度）在每次调用时都从零重新开始。请把它们保存在 `state` 字典中，例如 `state['momentum_buffer']`，并在下一次调用时读回来。",
}
