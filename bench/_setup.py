"""Shared start-up of the benchmarks: Django on the development settings and database."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rathaus.config.settings.development")
    import django

    django.setup()
