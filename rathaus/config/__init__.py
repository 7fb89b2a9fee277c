"""The composition root: settings, the two URLconfs, the Celery app and beat, wsgi/asgi.

It may import every layer below it; nothing imports it (settings and URLconfs
are named by string). Importing this package loads the Celery app, so that
``shared_task`` decorators bind to it in every process (web, worker, beat, shell).
"""

from rathaus.config.celery import app as celery_app

__all__ = ["celery_app"]
