"""Each published form as a service of the town's catalogue, with "Online beantragen"."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rathaus.platform.catalogue.entries import Action, ServiceEntry

from .definition import text_in
from .selectors import forms_published


def applications_catalogue_entries() -> list[ServiceEntry]:
    entries = []
    for form in forms_published():  # one query
        if form.live_version is None:  # the query asks for it; for the type checker
            continue
        definition = form.live_version.definition
        entries.append(
            ServiceEntry(
                key=form.slug,
                title=text_in(definition["title"]),
                summary=text_in(definition.get("summary")),
                life_situations=tuple(definition.get("life_situations", ())),
                fee=text_in(definition.get("fee")) or None,
                processing_time=text_in(definition.get("processing_time")),
                keywords=tuple(definition.get("keywords", ())),
                actions=(
                    Action(_("Online beantragen"), reverse("applications:start", args=[form.slug])),
                ),
            )
        )
    return entries
