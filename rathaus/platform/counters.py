"""Numbers that count per year in a town's schema (case numbers, Kassenzeichen)."""

from django.db import connection, models
from django.utils import timezone


def year_counter_next(model: type[models.Model]) -> tuple[int, int]:
    """The next number of this year in ``model`` (a table of ``year`` and ``last``) and the year.

    One statement (insert or add one, returning the number), so two callers at once
    never get the same number.
    """
    year = timezone.localdate().year
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "  # noqa: S608 - the model's own name
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [year],
        )
        number = int(cursor.fetchone()[0])
    return year, number
