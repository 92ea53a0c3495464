"""descent.check.performance's texts in Chinese (see descent.check.language)."""

MESSAGES = {
    'bytes added to the count of values instead of multiplied':
        '字节数被加到了值的个数上，而不是与之相乘',
    'Each of the 7 values per parameter takes b bytes: 7 · n · b.':
        '每个参数的 7 个值各占 b 字节：7 · n · b。',
    'float32 assumed':
        '默认假设了 float32',
    'The values take `bytes_per_value` bytes each (2 in bfloat16, 8 in float64), not always 4: 7 · n · b.':
        '每个值占 `bytes_per_value` 字节（bfloat16 中为 2，float64 中为 8），并不总是 4：7 · n · b。',
    'only the reads counted':
        '只计算了读取',
    'The step also writes θ, m and v back: 4 values read (θ, g, m, v) plus 3 written, 7 · n · b.':
        '这一步还要把 θ、m 和 v 写回：读取 4 个值（θ, g, m, v），再写入 3 个，共 7 · n · b。',
    'only the writes counted':
        '只计算了写入',
    'The step must first read θ, g, m and v: 4 values read plus 3 written (θ, m, v), 7 · n · b.':
        '这一步首先要读取 θ、g、m 和 v：读取 4 个值，再写入 3 个（θ, m, v），共 7 · n · b。',
    'the gradient forgotten':
        '漏掉了梯度',
    'The step reads the gradient too: θ, g, m, v read, θ, m, v written, 7 · n · b.':
        '这一步也要读取梯度：读取 θ、g、m、v，写入 θ、m、v，共 7 · n · b。',
    'the gradient written back':
        '把梯度也算作写回',
    'The step reads g but does not change it: 4 values read, 3 written (θ, m, v), 7 · n · b.':
        '这一步读取 g，但不修改它：读取 4 个值，写入 3 个（θ, m, v），共 7 · n · b。',
    'every value counted as read and written':
        '每个值都被算作既读取又写入',
    'g is only read; θ, m and v are read once and written once: 4 + 3 = 7 values per parameter.':
        'g 只被读取；θ、m 和 v 各读取一次、写入一次：每个参数 4 + 3 = 7 个值。',
    "this is SGD with momentum's count":
        '这是带动量的 SGD 的计数',
    'SGD with momentum moves 5 values (θ, g, b read; θ, b written); Adam keeps two averages: θ, g, m, v read and θ, m, v written, 7 · n · b.':
        '带动量的 SGD 搬运 5 个值（读取 θ, g, b；写入 θ, b）；Adam 维护两个滑动平均：读取 θ、g、m、v，写入 θ、m、v，共 7 · n · b。',
    'bits, not bytes':
        '算成了比特，而不是字节',
    '`bytes_per_value` is already in bytes: 7 · n · b, without the factor 8.':
        '`bytes_per_value` 的单位已经是字节：7 · n · b，不需要乘以 8。',
    'bytes per value ignored':
        '忽略了每个值的字节数',
    'Each value takes `bytes_per_value` bytes: multiply the 7 values per parameter by n and by b.':
        '每个值占 `bytes_per_value` 字节：把每个参数的 7 个值乘以 n，再乘以 b。',
    'per parameter, not for n parameters':
        '算的是单个参数，而不是 n 个参数',
    "7 · b bytes is one parameter's share; multiply by n_params.":
        '7 · b 字节只是一个参数的份额；还要乘以 n_params。',
    'floating-point operations, not bytes':
        '算成了浮点运算次数，而不是字节数',
    'About 14 operations per parameter is the arithmetic; the question is the memory traffic: 7 values of b bytes each.':
        '每个参数约 14 次运算，那是算术运算量；这里问的是内存流量：7 个值，每个 b 字节。',
    'bandwidth and peak paired with the wrong quantities':
        '带宽和峰值与错误的量搭配在了一起',
    'Bytes move at the bandwidth B and operations run at the peak P: max(bytes/B, FLOP/P), not max(bytes/P, FLOP/B).':
        '字节以带宽 B 搬运，运算以峰值 P 执行：max(bytes/B, FLOP/P)，而不是 max(bytes/P, FLOP/B)。',
    'the two times added':
        '把两个时间相加了',
    'In the roofline model memory traffic and arithmetic overlap: the slower of the two sets the time, max(bytes/B, FLOP/P), not their sum.':
        '在屋顶线模型中，内存流量和算术运算是重叠进行的：时间由两者中较慢的一个决定，即 max(bytes/B, FLOP/P)，而不是两者之和。',
    'min instead of max':
        '用了 min，而不是 max',
    'The computation cannot finish before its bytes have moved nor before its operations are done: t = max(bytes/B, FLOP/P).':
        '计算既不可能在它的字节搬运完之前结束，也不可能在它的运算做完之前结束：t = max(bytes/B, FLOP/P)。',
    'only the memory time':
        '只算了内存时间',
    'A computation with many operations per byte (a large matrix product) is limited by arithmetic: t = max(bytes/B, FLOP/P).':
        '每字节运算次数很多的计算（如大矩阵乘法）受算术运算限制：t = max(bytes/B, FLOP/P)。',
    'only the arithmetic time':
        '只算了算术运算时间',
    'An optimizer step does so few operations per byte that memory limits it: t = max(bytes/B, FLOP/P).':
        '优化器的一步每字节的运算次数极少，因而受内存限制：t = max(bytes/B, FLOP/P)。',
    'returned the attainable FLOP/s, not the time':
        '返回的是可达到的 FLOP/s，而不是时间',
    'min(P, B·I) is the rate; the time is FLOP / min(P, B·I) = max(bytes/B, FLOP/P) seconds.':
        'min(P, B·I) 是速率；时间是 FLOP / min(P, B·I) = max(bytes/B, FLOP/P) 秒。',
    'rates inverted':
        '除法颠倒了',
    'Time is amount / rate: bytes/B and FLOP/P, not B/bytes and P/FLOP.':
        '时间 = 量 / 速率：bytes/B 和 FLOP/P，而不是 B/bytes 和 P/FLOP。',
    'multiplied by the rates':
        '乘以了速率',
    'Time is amount / rate: bytes/B and FLOP/P, not bytes·B and FLOP·P.':
        '时间 = 量 / 速率：bytes/B 和 FLOP/P，而不是 bytes·B 和 FLOP·P。',
    'not in seconds':
        '单位不是秒',
    'Return seconds: N/B and F/P are already in seconds when B is in bytes/s and P in FLOP/s (no factor 1000).':
        '请返回秒数：当 B 的单位是 bytes/s、P 的单位是 FLOP/s 时，N/B 和 F/P 已经是秒（不要乘以 1000）。',
    'Return seconds: N/B and F/P are already in seconds when B is in bytes/s and P in FLOP/s (no factor 10⁶).':
        '请返回秒数：当 B 的单位是 bytes/s、P 的单位是 FLOP/s 时，N/B 和 F/P 已经是秒（不要乘以 10⁶）。',
    'not in bytes':
        '单位不是字节',
    'a Linear(5, 3) and a scalar parameter of shape ()':
        '一个 Linear(5, 3) 和一个形状为 () 的标量参数',
    'read θ, g, m, v and write θ, m, v: 7 values × n × b bytes':
        '读取 θ、g、m、v，写入 θ、m、v：7 个值 × n × b 字节',
    't = flops / min(P, B·I), I = flops/bytes; that is max(bytes/B, flops/P)':
        't = flops / min(P, B·I)，I = flops/bytes；即 max(bytes/B, flops/P)',
    'returned None':
        '返回了 None',
    'wrong type':
        '类型错误',
    'wrong shape':
        '形状错误',
    'wrong values':
        '数值错误',
    'parameters are not views of the buffer':
        '参数不是缓冲区的视图',
    'model broken':
        '模型被破坏了',
    'an Adam step on 100 M parameters, H100':
        '100 M 个参数上的一步 Adam，H100',
    'a 4096 × 4096 matrix product, H100':
        '一次 4096 × 4096 的矩阵乘法，H100',
    'an SGD step on 1 M parameters, a CPU':
        '1 M 个参数上的一步 SGD，CPU',
    '3 FLOP per byte, ridge point at 10':
        '每字节 3 FLOP，脊点在 10',
    '300 FLOP per byte, ridge point at 10':
        '每字节 300 FLOP，脊点在 10',
    '40 FLOP per byte, ridge point at 25':
        '每字节 40 FLOP，脊点在 25',
    'wrong dtype':
        'dtype 错误',
    'wrong device':
        '设备错误',
    'offset not advanced':
        '偏移量没有前移',
    'values not copied':
        '值没有复制过去',
    'parameters changed':
        '参数被修改了',
}

TEMPLATES = {
    "{name}: one buffer holds every parameter's values in order, every parameter is a view of it, and the model works as before.":
        "{name}：一个缓冲区按顺序存放了所有参数的值，每个参数都是它的视图，模型也照常工作。",
    "n = {n:,}, {b} bytes per value":
        "n = {n:,}，每个值 {b} 字节",
    "{name} returned None. Return the flat buffer.":
        "{name} 返回了 None。请返回扁平缓冲区。",
    "{name} returned {describe(flat)}; return the flat buffer, one tensor.":
        "{name} 返回了 {describe(flat)}；请返回扁平缓冲区，即一个张量。",
    "{name} returned a tensor of shape {tuple(flat.shape)} for parameters with {total} elements ({label}); the buffer is 1-D with one element per parameter value, no padding.":
        "{name} 返回了形状为 {tuple(flat.shape)} 的张量，而参数共有 {total} 个元素（{label}）；缓冲区应是一维的，每个参数值占一个元素，没有填充。",
    "{name} returned a buffer of dtype {flat.dtype} on {flat.device} for parameters of dtype {dtype} on {device}: create it like them, e.g. `torch.empty(n, dtype=params[0].dtype, device=params[0].device)`.":
        "{name} 返回的缓冲区 dtype 为 {flat.dtype}，位于 {flat.device}，而参数的 dtype 为 {dtype}，位于 {device}：请照参数的样子创建它，例如 `torch.empty(n, dtype=params[0].dtype, device=params[0].device)`。",
    "{name}: the buffer does not hold the parameters' values one after the other, in the order of the list ({label}).":
        "{name}：缓冲区没有按列表的顺序依次存放各个参数的值（{label}）。",
    "{name}: doubling the buffer did not double every parameter ({label}).":
        "{name}：把缓冲区乘以 2 之后，并不是每个参数都变成了原来的 2 倍（{label}）。",
    "{name}: after flattening, the model computes something else ({label}).":
        "{name}：扁平化之后，模型算出的结果变了（{label}）。",
    "{name}: after flattening, backward() no longer gives every parameter a gradient of its shape: keep the parameters themselves, and change only their `.data`.":
        "{name}：扁平化之后，backward() 不再给每个参数一个与它形状相同的梯度：请保留参数对象本身，只修改它们的 `.data`。",
    "Return the count in bytes, not in {unit}: 7 · n · b.":
        "请返回以字节为单位的数量，而不是以 {unit} 为单位：7 · n · b。",
    "{name} changed the shape of a parameter from {tuple(original.shape)} to {tuple(p.shape)}: make each view with `.view_as(p)`.":
        "{name} 把一个参数的形状从 {tuple(original.shape)} 改成了 {tuple(p.shape)}：请用 `.view_as(p)` 创建每个视图。",
    "{name}: every parameter starts at element 0 of the buffer, so they overwrite each other. Advance the offset by p.numel() after each parameter.":
        "{name}：每个参数都从缓冲区的第 0 个元素开始，于是它们互相覆盖。每处理完一个参数，就把偏移量增加 p.numel()。",
    "{name}: the values were not copied into the buffer ({label}): the parameters became views of an uninitialized (or zero) buffer. Copy each parameter into its slice, `flat[start:stop] = p.detach().reshape(-1)`, before making it a view of that slice.":
        "{name}：参数的值没有复制到缓冲区里（{label}）：参数变成了一个未初始化（或全为零）的缓冲区的视图。请先把每个参数复制到它的切片中，`flat[start:stop] = p.detach().reshape(-1)`，再让它成为这个切片的视图。",
    "{name} changed the values of parameter {i} ({label}).":
        "{name} 修改了参数 {i} 的值（{label}）。",
    "{name}: parameter {i} is not a view of the buffer ({label}): updating the buffer would not change the model. Assign the view to the parameter, `p.data = flat[start:stop].view_as(p)` (not `p = ...`, which only rebinds a name, and not a copy such as torch.cat's result).":
        "{name}：参数 {i} 不是缓冲区的视图（{label}）：更新缓冲区不会改变模型。请把视图赋给参数，`p.data = flat[start:stop].view_as(p)`（不要写 `p = ...`，那只是让一个名字重新绑定；也不要用副本，例如 torch.cat 的结果）。",
    "{name}: parameter {i} is a view of the buffer at element {where}, but its values are at {right}.":
        "{name}：参数 {i} 是缓冲区从第 {where} 个元素开始的视图，但它的值在第 {right} 个元素处。",
    "{name}: after flattening, the model fails: {type(error).__name__}: {error}":
        "{name}：扁平化之后，模型运行出错：{type(error).__name__}: {error}",
}

# The advice of "not in bytes" names the unit it found (a value of the template above):
# once the template is in Chinese, the unit's English name is translated here.
PATTERNS = [
    (rf"以 {unit} 为单位", f"以{chinese}为单位")
    for unit, chinese in (("kilobytes", "千字节（kB）"), ("megabytes", "兆字节（MB）"),
                          ("gigabytes", "吉字节（GB）"))
]
