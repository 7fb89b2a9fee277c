"""The catalogue's pages: search, a life situation, every service, one service."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from rathaus.platform.catalogue import selectors
from rathaus.platform.catalogue.life_situations import life_situation

MAX_TERM_LENGTH = 200


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    term = request.GET.get("q", "").strip()[:MAX_TERM_LENGTH]
    entries = selectors.catalogue_entries()
    results = selectors.catalogue_search(term=term, entries=entries) if term else []
    return render(
        request,
        "catalogue/search.html",
        {
            "term": term,
            "results": results,
            "groups": selectors.catalogue_by_life_situation(entries) if not results else [],
        },
    )


@require_safe
def service_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "catalogue/service_list.html", {"entries": selectors.catalogue_entries()}
    )


@require_safe
def life_situation_page(request: HttpRequest, key: str) -> HttpResponse:
    situation = life_situation(key)
    if situation is None:
        raise Http404("No such life situation")
    entries = [e for e in selectors.catalogue_entries() if key in e.life_situations]
    return render(
        request,
        "catalogue/life_situation.html",
        {"situation": situation, "entries": entries},
    )


@require_safe
def service_page(request: HttpRequest, slug: str) -> HttpResponse:
    entry = selectors.catalogue_entry(slug=slug)
    if entry is None:
        raise Http404("No such service")
    return render(
        request,
        "catalogue/service.html",
        {
            "entry": entry,
            "situations": [s for k in entry.life_situations if (s := life_situation(k))],
            "next_free": selectors.catalogue_next_free([entry]).get(entry.slug),
        },
    )
