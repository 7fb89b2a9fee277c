"""Staff pages of working cases: the inbox (filters, search, CSV), a case with its files,
Rückfrage, notes, assignment, status and decision."""

import csv
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from rathaus.platform.audit.services import audit_record
from rathaus.platform.identity.models import User
from rathaus.platform.staff.actors import request_actor
from rathaus.platform.staff.permissions import staff_required
from rathaus.platform.storage.downloads import private_file_link
from rathaus.platform.storage.readers import StaffOf
from rathaus.tenants.current import current_town

from . import cases, selectors, services
from .case_forms import AssignForm, DecisionForm, InboxFilterForm, NoteForm, QueryForm
from .definition import text_in
from .fees import case_payments
from .forms import StatusForm
from .models import Submission

clerk = staff_required(module="applications", role="clerk")
PAGE_SIZE = 50
CLERKS = [StaffOf("applications", "clerk")]


def _filtered(request: HttpRequest) -> tuple[InboxFilterForm, Any]:
    filters = InboxFilterForm(request.GET or None, clerks=selectors.clerks())
    return filters, filters.cases(user=request.user)  # type: ignore[arg-type]


@clerk
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    filters, found = _filtered(request)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/staff/index.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
        status=400 if filters.errors else 200,
    )


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet program shows as text, never runs as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@clerk
@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    """The filtered inbox as CSV (semicolons, UTF-8 with BOM), every case in it."""
    _filters, found = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="antraege-{stamp}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the umlauts as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Aktenzeichen"),
            _("Formular"),
            _("Antragsteller"),
            _("Eingegangen"),
            _("Status"),
            _("Zuständig"),
        ]
    )
    count = 0
    for case in found.iterator(chunk_size=2000):
        count += 1
        writer.writerow(
            [
                _cell(case.reference),
                _cell(case.form.title),
                _cell(case.applicant_name),
                timezone.localtime(case.submitted_at).strftime("%d.%m.%Y %H:%M"),
                case.get_status_display(),
                _cell(case.assignee.email if case.assignee else ""),
            ]
        )
    audit_record(
        town=current_town(),
        actor=request_actor(request),
        action="applications.case.export",
        after={"count": count, "filters": request.GET.urlencode()[:500]},
    )
    return response


def _status_form(case: Submission, data: object = None) -> StatusForm:
    labels = dict(Submission.Status.choices)
    choices = [(s, str(labels[s])) for s in services.TRANSITIONS[case.status]]
    return StatusForm(data, choices=choices)


def _linked(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    town = current_town()
    return [
        {
            "item": item,
            "url": private_file_link(
                town=town, name=item["file"], readers=CLERKS, filename=str(item.get("name", ""))
            ),
        }
        for item in items
        if item.get("file")
    ]


def _case_page(
    request: HttpRequest, case: Submission, *, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "case": case,
        "title": text_in(case.version.definition["title"], "de"),
        "parts": selectors.answers_by_step(
            definition=case.version.definition, answers=case.answers
        ),
        "payments": case_payments(submission=case),
        "files": _linked(selectors.submission_files(submission=case)),
        "events": [
            {"event": event, "files": _linked(event.files)}
            for event in selectors.case_events(submission=case, internal=True)
        ],
        "status_form": forms.get("status_form", _status_form(case))
        if services.TRANSITIONS[case.status]
        else None,
        "assign_form": forms.get(
            "assign_form",
            AssignForm(
                initial={"assignee": str(case.assignee_id or "")}, clerks=selectors.clerks()
            ),
        ),
        "note_form": forms.get("note_form", NoteForm()),
        "query_form": forms.get("query_form", QueryForm())
        if case.status in cases.ASKABLE
        else None,
        "decision_form": forms.get("decision_form", DecisionForm())
        if case.status in cases.DECIDABLE
        else None,
    }
    return render(request, "applications/staff/case.html", context, status=status)


def _found(pk: int) -> Submission:
    return get_object_or_404(
        Submission.objects.select_related("form", "version", "user", "assignee"), pk=pk
    )


@clerk
@require_safe
def case(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _found(pk))


@clerk
@require_POST
def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(pk)
    form = _status_form(found, request.POST)
    if form.is_valid():
        try:
            services.case_status_change(
                town=current_town(),
                submission=found,
                status=form.cleaned_data["status"],
                actor=request_actor(request),
            )
        except services.TransitionRefused:
            form.add_error("status", _("Der Antrag hat inzwischen einen anderen Status."))
        else:
            messages.success(request, _("Der Status ist geändert."))
            return redirect("staff-applications:case", pk=pk)
    return _case_page(request, found, status=400, status_form=form)


@clerk
@require_POST
def case_query(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(pk)
    form = QueryForm(request.POST)
    if form.is_valid():
        try:
            cases.case_query_ask(
                town=current_town(),
                submission=found,
                text=form.cleaned_data["text"],
                author=request.user,  # type: ignore[arg-type]
                actor=request_actor(request),
            )
        except cases.CaseActionRefused:
            form.add_error(None, _("Zu diesem Antrag kann gerade keine Rückfrage gestellt werden."))
        else:
            messages.success(
                request,
                _(
                    "Die Rückfrage ist gestellt; die Antragstellerin oder der Antragsteller "
                    "erfährt davon."
                ),
            )
            return redirect("staff-applications:case", pk=pk)
    return _case_page(request, found, status=400, query_form=form)


@clerk
@require_POST
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        cases.case_note_add(
            town=current_town(),
            submission=found,
            text=form.cleaned_data["text"],
            author=request.user,  # type: ignore[arg-type]
            actor=request_actor(request),
        )
        messages.success(request, _("Die Notiz ist gespeichert."))
        return redirect("staff-applications:case", pk=pk)
    return _case_page(request, found, status=400, note_form=form)


@clerk
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(pk)
    form = AssignForm(request.POST, clerks=selectors.clerks())
    if request.POST.get("mine"):
        assignee: User | None = request.user  # type: ignore[assignment]
    elif form.is_valid():
        assignee = form.chosen()
    else:
        return _case_page(request, found, status=400, assign_form=form)
    cases.case_assign(
        town=current_town(), submission=found, assignee=assignee, actor=request_actor(request)
    )
    messages.success(
        request,
        _("Der Antrag ist %(who)s zugewiesen.") % {"who": assignee.email}
        if assignee
        else _("Der Antrag ist niemandem mehr zugewiesen."),
    )
    return redirect("staff-applications:case", pk=pk)


@clerk
@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(pk)
    form = DecisionForm(request.POST, request.FILES)
    if form.is_valid():
        documents = form.cleaned_data.get("document") or []
        try:
            cases.case_decide(
                town=current_town(),
                submission=found,
                status=form.cleaned_data["status"],
                text=form.cleaned_data.get("text") or "",
                document=documents[0] if documents else None,
                author=request.user,  # type: ignore[arg-type]
                actor=request_actor(request),
            )
        except cases.CaseActionRefused:
            form.add_error(None, _("Über diesen Antrag ist schon entschieden."))
        else:
            messages.success(
                request,
                _(
                    "Die Entscheidung ist gespeichert und geht an die Antragstellerin oder "
                    "den Antragsteller."
                ),
            )
            return redirect("staff-applications:case", pk=pk)
    return _case_page(request, found, status=400, decision_form=form)
