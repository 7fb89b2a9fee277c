"""Guard: our ``rathaus.platform`` package must never shadow the standard library's ``platform``."""

import platform
import sysconfig
import uuid
from pathlib import Path


def test_import_platform_is_the_standard_library_module() -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    assert Path(platform.__file__).resolve().parent == stdlib
    assert platform.python_version().startswith("3.11")


def test_modules_that_use_platform_still_import() -> None:
    import kombu
    import sentry_sdk

    assert uuid.uuid4().version == 4
    assert kombu.Connection("memory://").transport_cls == "memory"
    assert sentry_sdk.VERSION
