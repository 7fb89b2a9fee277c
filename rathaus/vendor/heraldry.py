"""Simple heraldic shields drawn with Pillow, for the demo towns (no downloaded images).

A shield is a field colour and a few charges (a wavy bar, a cog wheel, a
chevron, ears of wheat), drawn four times larger and scaled down so the edges
come out smooth, on a transparent background, as a PNG.
"""

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 240, 280
SCALE = 4  # drawn at 4x, then scaled down: Pillow's polygons have no anti-aliasing
OUTLINE = "#1f1f1f"

Point = tuple[float, float]
Charge = Callable[[ImageDraw.ImageDraw, int, int], None]


def _shield_outline(width: int, height: int, steps: int = 48) -> list[Point]:
    """A heater shield: straight sides down to 45 %, then two curves meeting in a point."""
    shoulder = height * 0.45
    right: list[Point] = []
    for step in range(steps + 1):
        t = step / steps
        # A quadratic Bézier from the right shoulder, through (width, 0.85 h), to the point.
        x = (1 - t) ** 2 * width + 2 * (1 - t) * t * width + t**2 * width / 2
        y = (1 - t) ** 2 * shoulder + 2 * (1 - t) * t * height * 0.85 + t**2 * height
        right.append((x, y))
    left = [(width - x, y) for x, y in reversed(right)]
    return [(0, 0), (width, 0), *right, *left[1:]]


def wavy_bar(color: str, *, at: float = 0.5, thickness: float = 0.12) -> Charge:
    """A wavy bar across the shield (a river), ``at`` as a share of the height."""

    def draw(canvas: ImageDraw.ImageDraw, width: int, height: int) -> None:
        amplitude, wavelength = height * 0.025, width / 3
        middle, half = height * at, height * thickness / 2
        xs = [width * i / 120 for i in range(121)]
        top = [(x, middle - half + amplitude * math.sin(2 * math.pi * x / wavelength)) for x in xs]
        bottom = [(x, y + 2 * half) for x, y in reversed(top)]
        canvas.polygon(top + bottom, fill=color)

    return draw


def cog_wheel(
    color: str, *, hole: str, center: Point = (0.5, 0.27), radius: float = 0.16
) -> Charge:
    """A cog wheel (an ironworks) whose hub shows ``hole`` (the field's colour);
    ``center`` and ``radius`` as shares of the width and height."""

    def draw(canvas: ImageDraw.ImageDraw, width: int, height: int) -> None:
        cx, cy, outer = width * center[0], height * center[1], width * radius
        teeth, points = 10, []
        for i in range(teeth * 4):
            angle = 2 * math.pi * i / (teeth * 4)
            r = outer if i % 4 in (1, 2) else outer * 0.78
            points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
        canvas.polygon(points, fill=color)
        hub = outer * 0.32
        canvas.ellipse((cx - hub, cy - hub, cx + hub, cy + hub), fill=hole)

    return draw


def chevron(color: str, *, apex: float = 0.3, thickness: float = 0.13) -> Charge:
    """A chevron (an inverted V) with its point at ``apex`` of the height."""

    def draw(canvas: ImageDraw.ImageDraw, width: int, height: int) -> None:
        t = height * thickness
        top, foot = height * apex, height * (apex + 0.5)
        canvas.polygon(
            [(0, foot), (width / 2, top), (width, foot), (width, foot + t),
             (width / 2, top + t), (0, foot + t)],
            fill=color,
        )  # fmt: skip

    return draw


def wheat_ears(color: str, *, xs: Sequence[float] = (0.3, 0.5, 0.7), top: float = 0.12) -> Charge:
    """Upright ears of wheat (farmland), one at each of ``xs`` (shares of the width)."""

    def draw(canvas: ImageDraw.ImageDraw, width: int, height: int) -> None:
        grain_w, grain_h = width * 0.035, height * 0.045
        for share in xs:
            x, y0 = width * share, height * top
            canvas.line(
                (x, y0 + grain_h, x, y0 + height * 0.3), fill=color, width=int(width * 0.015)
            )
            for row in range(5):
                y = y0 + row * grain_h * 0.8
                for side in (-1, 1):
                    gx = x + side * grain_w * 0.6
                    canvas.ellipse((gx - grain_w / 2, y, gx + grain_w / 2, y + grain_h), fill=color)
            canvas.ellipse(
                (x - grain_w / 2, y0 - grain_h * 0.6, x + grain_w / 2, y0 + grain_h * 0.4),
                fill=color,
            )

    return draw


@dataclass(frozen=True)
class Arms:
    """A coat of arms: the field's colour and the charges on it, in drawing order."""

    field: str
    charges: tuple[Charge, ...]


def shield_png(arms: Arms, *, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """``arms`` on a shield, as PNG bytes with a transparent background."""
    big_w, big_h = width * SCALE, height * SCALE
    border = 3 * SCALE
    outline = _shield_outline(big_w - 2 * border, big_h - 2 * border)
    outline = [(x + border, y + border) for x, y in outline]

    field = Image.new("RGBA", (big_w, big_h), arms.field)
    canvas = ImageDraw.Draw(field)
    for charge in arms.charges:
        charge(canvas, big_w, big_h)

    mask = Image.new("L", (big_w, big_h), 0)
    ImageDraw.Draw(mask).polygon(outline, fill=255)
    shield = Image.new("RGBA", (big_w, big_h), (0, 0, 0, 0))
    shield.paste(field, (0, 0), mask)
    ImageDraw.Draw(shield).line(
        [*outline, outline[0]], fill=OUTLINE, width=border * 2, joint="curve"
    )

    out = io.BytesIO()
    shield.resize((width, height), Image.Resampling.LANCZOS).save(out, format="PNG", optimize=True)
    return out.getvalue()
