"""descent.check.performance's mistakes in Chinese (see descent.check.language)."""

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
}

# The advice of "not in bytes" is an f-string, one per unit: not a literal, so a pattern.
PATTERNS = [
    (r"Return the count in bytes, not in (MiB|GiB): 7 · n · b\.",
     r"请返回以字节为单位的数量，而不是以 \1 为单位：7 · n · b。"),
    *((rf"Return the count in bytes, not in {unit}: 7 · n · b\.",
       f"请返回以字节为单位的数量，而不是以{chinese}为单位：7 · n · b。")
      for unit, chinese in (("kilobytes", "千字节"), ("megabytes", "兆字节（MB）"),
                            ("gigabytes", "吉字节（GB）"))),
]
