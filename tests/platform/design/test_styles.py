"""Style sheets keep only rules that some page, component or script uses."""

import re
from pathlib import Path

import pytest

import rathaus

ROOT = Path(rathaus.__file__).parent
# Classes set by Django itself (a form's error list), or put together in a template
# from a prefix and a value ("rh-slot--{{ state }}").
NOT_WRITTEN_OUT = {"errorlist", "rh-slot--pending"}


def _classes_in_rules(css: str) -> set[str]:
    without_comments = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors = re.sub(r"\{[^}]*\}", "{}", without_comments)
    return set(re.findall(r"\.([a-zA-Z][\w-]*)", selectors))


def _classes_used() -> set[str]:
    used: set[str] = set()
    for path in ROOT.rglob("*"):
        if path.suffix not in {".html", ".py", ".js"}:
            continue
        source = path.read_text(errors="ignore")
        for value in re.findall(r"class(?:_name|es)?\s*[=:]\s*[\"']([^\"']*)[\"']", source):
            used.update(re.findall(r"[\w-]+", value))
        for call in re.findall(
            r"(?:classList\.\w+|querySelector(?:All)?|closest)\(([^)]*)\)", source
        ):
            used.update(re.findall(r"[\w-]+", call))
    return used


@pytest.mark.parametrize(
    "style_sheet", sorted(ROOT.rglob("*.css")), ids=lambda path: str(path.relative_to(ROOT))
)
def test_every_class_a_style_sheet_styles_is_used_somewhere(style_sheet: Path) -> None:
    styled = {
        name for name in _classes_in_rules(style_sheet.read_text()) if not name.startswith("kern-")
    }

    unused = styled - _classes_used() - NOT_WRITTEN_OUT

    assert not unused, f"{style_sheet.name} styles classes nothing uses: {sorted(unused)}"
