"""Reads of the catalogue: every service of the current town, by life situation, searched.

Entries are asked from their sources on every request rather than copied into
an index table: a changed service or a module switched on or off shows on the
next page, with nothing to keep in step. The search still runs in PostgreSQL,
over the entries passed in as arrays: full text with the German configuration
(stemming: "Ausweise" finds "Ausweis") and ``pg_trgm``'s word similarity for
typos ("personalausweiss"). Measured on a shared, loaded 2-core machine: 12–20 ms
a search over 50 entries (a town offers a few dozen), 40–65 ms over 500
(``tests/platform/catalogue/test_search.py`` keeps that under 300 ms). Should
catalogues grow to thousands, an index table kept by the sources' changes is
the next step.
"""

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils import translation

from rathaus.platform.catalogue.entries import NextFree, Place, ServiceEntry
from rathaus.platform.catalogue.life_situations import LIFE_SITUATIONS, LifeSituation
from rathaus.platform.catalogue.sources import catalogue_sources

# A query word this close to a word of a title or keyword is a hit (pg_trgm's
# word_similarity, 0..1): "ausweis" in "Personalausweis" is 0.75, "pass" in
# "Reisepass" 0.6, "personalausweiss" 0.88.
SIMILARITY_THRESHOLD = 0.5
# Words shorter than this match too much by trigrams ("ab", "amt"); full text still finds them.
FUZZY_MIN_LENGTH = 4
# A shorter word is matched whole, not as the start of others ("ab" is no prefix search).
PREFIX_MIN_LENGTH = 3
MAX_QUERY_WORDS = 8
POPULAR_COUNT = 6

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def _title_order(entry: ServiceEntry) -> str:
    # German order without a collation: "Ärger" next to "Arbeit", not after "Zoo".
    return str(entry.title).casefold().translate(_UMLAUTS)


def catalogue_entries() -> list[ServiceEntry]:
    """Every service the current town offers, by title, each with its unique ``slug``.

    An entry's slug is its ``key``; where a second source uses a key already
    taken it becomes ``<source>-<key>``, so each page keeps one address.
    """
    found: list[ServiceEntry] = []
    taken: set[str] = set()
    for source in catalogue_sources():
        for entry in source.entries():
            slug = entry.key if entry.key not in taken else f"{source.key}-{entry.key}"
            taken.add(slug)
            found.append(dataclasses.replace(entry, source=source.key, slug=slug))
    return sorted(found, key=_title_order)


def catalogue_entry(
    *, slug: str, entries: Sequence[ServiceEntry] | None = None
) -> ServiceEntry | None:
    """The service at ``/leistungen/<slug>/`` in the current town, or ``None``."""
    listed = catalogue_entries() if entries is None else entries
    return next((entry for entry in listed if entry.slug == slug), None)


@dataclass(frozen=True)
class LifeSituationGroup:
    situation: LifeSituation
    entries: list[ServiceEntry]


def catalogue_by_life_situation(entries: Sequence[ServiceEntry]) -> list[LifeSituationGroup]:
    """The life situations that have services, in their order, each with its services."""
    groups = []
    for situation in LIFE_SITUATIONS:
        members = [entry for entry in entries if situation.key in entry.life_situations]
        if members:
            groups.append(LifeSituationGroup(situation, members))
    return groups


def catalogue_popular(
    entries: Sequence[ServiceEntry], *, limit: int = POPULAR_COUNT
) -> list[ServiceEntry]:
    """The services marked popular; where fewer than ``limit``, the others fill up by title."""
    popular = [entry for entry in entries if entry.popular]
    others = [entry for entry in entries if not entry.popular]
    return (popular + others)[:limit]


def catalogue_places(entries: Iterable[ServiceEntry]) -> list[Place]:
    """The places the services are given at that have opening hours, each once, by name."""
    places: dict[str, Place] = {}
    for entry in entries:
        for place in entry.places:
            if place.opening_hours:
                places.setdefault(str(place.name), place)
    return [places[name] for name in sorted(places)]


def catalogue_next_free(entries: Sequence[ServiceEntry]) -> dict[str, NextFree]:
    """The next free appointment of each of ``entries`` that has one, by slug."""
    found: dict[str, NextFree] = {}
    for source in catalogue_sources():
        own = {entry.key: entry.slug for entry in entries if entry.source == source.key}
        if not own:
            continue
        for key, free in source.next_free(list(own)).items():
            if key in own:
                found[own[key]] = free
    return found


def query_words(term: str) -> list[str]:
    """The words of a search, lower case, letters and digits only, at most eight."""
    return re.findall(r"[^\W_]+", term.lower())[:MAX_QUERY_WORDS]


def _situation_words() -> dict[str, str]:
    """Each life situation's name in German and English, to search by."""
    words = {situation.key: str(situation.title) for situation in LIFE_SITUATIONS}
    with translation.override("en"):
        for situation in LIFE_SITUATIONS:
            words[situation.key] += f" {situation.title}"
    return words


def _search_texts(entry: ServiceEntry, situation_words: dict[str, str]) -> tuple[str, str, str]:
    """Title; keywords with the life situations' names in German and English; the rest."""
    keywords = " ".join(
        [*entry.keywords, *(situation_words.get(key, "") for key in entry.life_situations)]
    )
    body = " ".join(
        str(part) for part in (entry.summary, entry.description, *entry.documents) if part
    )
    return str(entry.title), keywords, body


SEARCH_SQL = """
WITH entry(i, title, keywords, body) AS (
    SELECT * FROM unnest(%(ids)s::int[], %(titles)s::text[], %(keywords)s::text[],
                         %(bodies)s::text[])
), indexed AS (
    SELECT i,
           setweight(to_tsvector('german', title), 'A')
           || setweight(to_tsvector('german', keywords), 'B')
           || setweight(to_tsvector('german', body), 'C') AS document,
           lower(title || ' ' || keywords) AS words
      FROM entry
), scored AS (
    SELECT i,
           document @@ query AS hit,
           ts_rank(document, query) AS rank,
           coalesce((SELECT max(word_similarity(w, words)) FROM unnest(%(fuzzy)s::text[]) w), 0)
             AS similarity
      FROM indexed, to_tsquery('german', %(query)s) query
)
SELECT i FROM scored
 WHERE hit OR similarity >= %(threshold)s
 ORDER BY rank + similarity DESC, i
"""


def catalogue_search(
    *, term: str, entries: Sequence[ServiceEntry] | None = None
) -> list[ServiceEntry]:
    """The services of the current town matching ``term``, best first.

    A service matches when a word of the search, stemmed in German, is in
    its title, keywords, life situations, summary, description or documents
    (any word; a word may also be the start of one: "ausw" finds "Ausweis"),
    or when a word of four letters or more is close to a word of its title or
    keywords (a typo: "personalausweiss", or the inside of a compound:
    "Ausweis" in "Personalausweis"). Title hits rank above keyword hits above
    the rest.
    """
    words = query_words(term)
    listed = catalogue_entries() if entries is None else list(entries)
    if not words or not listed:
        return []
    situation_words = _situation_words()
    texts = [_search_texts(entry, situation_words) for entry in listed]
    with connection.cursor() as cursor:
        cursor.execute(
            SEARCH_SQL,
            {
                "ids": list(range(len(listed))),
                "titles": [title for title, _, _ in texts],
                "keywords": [keywords for _, keywords, _ in texts],
                "bodies": [body for _, _, body in texts],
                # Each word or the start of one; words are letters and digits only,
                # so nothing in them is tsquery syntax.
                "query": " | ".join(
                    f"{word}:*" if len(word) >= PREFIX_MIN_LENGTH else word for word in words
                ),
                "fuzzy": [word for word in words if len(word) >= FUZZY_MIN_LENGTH],
                "threshold": SIMILARITY_THRESHOLD,
            },
        )
        order = [row[0] for row in cursor.fetchall()]
    return [listed[i] for i in order]
