"""Deployment-wide core of Rathaus.

Importing this package also loads the Celery app, so that ``shared_task``
decorators bind to it in every process (web, worker, beat, shell).
"""

from rathaus.platform.celery import app as celery_app

__all__ = ["celery_app"]
