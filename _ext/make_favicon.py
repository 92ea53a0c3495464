"""Draw favicon.ico, the same picture as _static/favicon.svg, for pages without an icon link.

Jupyter Book's root index.html is a redirect stub with no <link rel="icon">,
so browsers ask for /favicon.ico; without this file that is a 404 in the console.
Run: python _ext/make_favicon.py  (writes _extra/favicon.ico, copied to the site root)
"""
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
SCALE = SIZE / 64


def bezier(p0, p1, p2, p3, n=64):
    """Points of the cubic Bézier curve with control points p0..p3."""
    points = []
    for t in (i / n for i in range(n + 1)):
        weights = ((1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3)
        x = sum(w * p[0] for w, p in zip(weights, (p0, p1, p2, p3)))
        y = sum(w * p[1] for w, p in zip(weights, (p0, p1, p2, p3)))
        points.append((x * SCALE, y * SCALE))
    return points


def draw() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, SIZE - 1, SIZE - 1), radius=12 * SCALE, fill="#0072B2")
    pen.line(bezier((10, 14), (22, 40), (34, 50), (54, 52)), fill="#ffffff", width=int(6 * SCALE), joint="curve")
    r, cx, cy = 6 * SCALE, 54 * SCALE, 52 * SCALE
    pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill="#E69F00")
    return image


if __name__ == "__main__":
    draw().save(Path(__file__).parent.parent / "_extra" / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
