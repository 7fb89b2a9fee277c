"""Reading a page as a person does: its text, without the markup."""

import html
import re
from typing import Any


def text_of(page: str) -> str:
    """The visible words of ``page`` (scripts, styles and tags dropped), spaces collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def api_error_paths(response: Any) -> dict[str, str]:
    """What an API's 400 ``invalid`` answer names: each bad input's JSON path -> message."""
    body = response.json()
    assert body["code"] == "invalid", body
    return {error["path"]: error["message"] for error in body["errors"]}
