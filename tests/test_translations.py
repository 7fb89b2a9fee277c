"""Citizens can switch to English: every German text in the catalogue has its English."""

import subprocess

from tests.conftest import ROOT

CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_the_english_catalogue_has_no_missing_or_fuzzy_translations() -> None:
    # msgfmt comes with gettext, which the set-up installs for compilemessages.
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip()
    assert "untranslated" not in statistics, statistics
    assert "fuzzy" not in statistics, statistics
