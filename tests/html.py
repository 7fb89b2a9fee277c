"""Reading a page as a person does: its text, without the markup."""

import html
import re


def text_of(page: str) -> str:
    """The visible words of ``page`` (scripts, styles and tags dropped), spaces collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()
