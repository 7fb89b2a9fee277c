"""The citizen's pages of one application under "Meine Anträge": its status and what
happened (Rückfrage, answers, decision), the answer to a Rückfrage, the receipt PDF."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from rathaus.platform.identity.models import User
from rathaus.platform.storage.downloads import private_file_link
from rathaus.platform.storage.readers import Account
from rathaus.tenants.current import current_town
from rathaus.tenants.signing import BadToken, ExpiredToken

from . import cases
from .case_forms import AnswerForm
from .definition import text_in
from .models import Submission
from .pdf import receipt_pdf
from .selectors import answers_by_step, case_events, citizen_status, submissions_of_user


def _mine(request: HttpRequest, reference: str) -> Submission:
    """The person's application with this case number; 404 for anyone else's."""
    user: User = request.user  # type: ignore[assignment]
    return get_object_or_404(
        submissions_of_user(user=user).select_related("form", "version"), reference=reference
    )


def _linked(request: HttpRequest, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The files with a download link for the logged-in account; a guest gets the names
    only (a private file goes to a logged-in reader alone)."""
    town = current_town()
    user = request.user
    return [
        {
            "item": item,
            "url": private_file_link(
                town=town,
                name=item["file"],
                readers=[Account(user.pk)],
                filename=str(item.get("name", "")),
            )
            if user.is_authenticated
            else "",
        }
        for item in items
        if item.get("file")
    ]


def _case_page(request: HttpRequest, found: Submission, *, token: str = "") -> HttpResponse:
    """The case's page, and the answer to its open Rückfrage (``token``: a guest's link)."""
    here = (
        reverse("applications:guest-case", args=[token])
        if token
        else reverse("applications:case", args=[found.reference])
    )
    query = cases.open_query(submission=found)
    form = None
    if query is not None:
        form = AnswerForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                cases.case_query_answer(
                    town=current_town(),
                    submission=found,
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data.get("files") or [],
                    user=request.user if request.user.is_authenticated else None,
                )
            except cases.CaseActionRefused:
                form.add_error(None, _("Diese Rückfrage ist schon beantwortet."))
            else:
                messages.success(request, _("Danke, Ihre Antwort ist bei uns eingegangen."))
                return redirect(here)
    elif request.method == "POST":
        messages.info(request, _("Zu diesem Antrag gibt es keine offene Rückfrage."))
        return redirect(here)
    events: list[dict[str, Any]] = [
        {"event": event, "files": _linked(request, event.files)}
        for event in case_events(submission=found, internal=False)
    ]
    return render(
        request,
        "applications/case.html",
        {
            "submission": found,
            "title": text_in(found.version.definition["title"]),
            "status": citizen_status(submission=found),
            "parts": answers_by_step(definition=found.version.definition, answers=found.answers),
            "events": events,
            "decisions": [row for row in events if row["event"].kind == "decision"],
            "query": query,
            "form": form,
            "guest": bool(token),
            "receipt_url": here + "receipt.pdf",
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, _mine(request, reference))


@require_http_methods(["GET", "HEAD", "POST"])
def guest_case(request: HttpRequest, token: str) -> HttpResponse:
    """A guest's case, by the signed link of its e-mails (no account needed)."""
    try:
        found = cases.guest_case(token=token)
    except ExpiredToken:
        return _link_invalid(request, expired=True)
    except BadToken:
        return _link_invalid(request, expired=False)
    return _case_page(request, found, token=token)


def _link_invalid(request: HttpRequest, *, expired: bool) -> HttpResponse:
    return render(
        request,
        "applications/case_link_invalid.html",
        {"expired": expired, "days": cases.GUEST_LINK_DAYS},
        status=410 if expired else 404,
    )


def _receipt(found: Submission) -> HttpResponse:
    response = HttpResponse(
        receipt_pdf(town=current_town(), submission=found), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="eingangsbestaetigung-{found.reference}.pdf"'
    )
    return response


@login_required
@require_safe
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    """The receipt of the application as a PDF (made anew from what was sent)."""
    return _receipt(_mine(request, reference))


@require_safe
def guest_receipt(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = cases.guest_case(token=token)
    except BadToken:
        raise Http404 from None
    return _receipt(found)
