"""Running test code on a connection of its own, outside the test's transaction."""

import threading
from collections.abc import Callable


def in_thread(function: Callable[[], None]) -> None:
    """Runs ``function`` in a thread (so on a database connection of its own) and waits."""
    thread = threading.Thread(target=function)
    thread.start()
    thread.join(timeout=120)
