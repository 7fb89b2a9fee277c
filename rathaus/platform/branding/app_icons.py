"""The town app's home-screen icons, drawn from its coat of arms with Pillow.

``any`` icons show the arms on white with a small margin; ``maskable`` icons
keep the arms inside the inner 80 % circle Android may crop to, on the town's
colour. A town without (readable) arms gets its initial on its colour. Icons
are cached per town and branding change.
"""

from io import BytesIO

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from rathaus.platform.branding.models import Branding

# Android wants 192 and 512; iOS takes the 180 apple-touch-icon.
ICON_SIZES = (180, 192, 512)
PURPOSES = ("any", "maskable")
# Share of the icon the arms may take: "any" nearly all, "maskable" its safe zone.
ARMS_SHARE = {"any": 0.86, "maskable": 0.6}


def _arms(branding: Branding) -> Image.Image | None:
    if not branding.coat_of_arms:
        return None
    try:
        with branding.coat_of_arms.open("rb") as file:
            image = Image.open(file)
            image.load()
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return image.convert("RGBA")


def _initial(canvas: Image.Image, text: str) -> None:
    draw = ImageDraw.Draw(canvas)
    size = canvas.width
    font = ImageFont.load_default(size=int(size * 0.5))
    draw.text((size / 2, size / 2), text, fill="white", font=font, anchor="mm")


def app_icon_render(*, branding: Branding, name: str, size: int, purpose: str) -> bytes:
    """A square PNG of ``size`` pixels for ``purpose`` (``any`` or ``maskable``)."""
    if size not in ICON_SIZES or purpose not in PURPOSES:
        raise ValueError(f"no app icon of size {size} for {purpose!r}")
    key = f"app-icon:{size}:{purpose}:{branding.updated_at and branding.updated_at.timestamp()}"
    cached: bytes | None = cache.get(key)
    if cached is not None:
        return cached
    arms = _arms(branding)
    background = "white" if purpose == "any" and arms is not None else branding.primary_color
    canvas = Image.new("RGBA", (size, size), background)
    if arms is None:
        _initial(canvas, (name.strip()[:1] or "R").upper())
    else:
        arms.thumbnail((int(size * ARMS_SHARE[purpose]),) * 2, Image.Resampling.LANCZOS)
        canvas.alpha_composite(arms, ((size - arms.width) // 2, (size - arms.height) // 2))
    buffer = BytesIO()
    canvas.convert("RGB").save(buffer, format="PNG", optimize=True)
    data = buffer.getvalue()
    cache.set(key, data, 60 * 60 * 24)
    return data
