"""Staff pages: the inbox of cases, a case with its answers and status, the forms."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.platform.staff.actors import request_actor
from rathaus.platform.staff.permissions import staff_required
from rathaus.tenants.current import current_town

from . import selectors, services
from .definition import SCHEMA_PATH, text_in
from .fees import case_payments
from .forms import InboxFilterForm, StatusForm, UploadForm
from .models import Form, FormVersion, Submission

clerk = staff_required(module="applications", role="clerk")
PAGE_SIZE = 50


@clerk
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    filters = InboxFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    cases = selectors.inbox(
        form=chosen.get("form"), status=chosen.get("status", ""), reference=chosen.get("q", "")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/staff/index.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )


def _case_context(case: Submission, status_form: StatusForm) -> dict[str, object]:
    return {
        "case": case,
        "title": text_in(case.version.definition["title"], "de"),
        "parts": selectors.answers_by_step(
            definition=case.version.definition, answers=case.answers
        ),
        "status_form": status_form if services.TRANSITIONS[case.status] else None,
        "payments": case_payments(submission=case),
    }


def _status_form(case: Submission, data: object = None) -> StatusForm:
    labels = dict(Submission.Status.choices)
    choices = [(s, str(labels[s])) for s in services.TRANSITIONS[case.status]]
    return StatusForm(data, choices=choices)


@clerk
@require_safe
def case(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Submission.objects.select_related("form", "version", "user"), pk=pk)
    return render(
        request, "applications/staff/case.html", _case_context(found, _status_form(found))
    )


@clerk
@require_POST
def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Submission.objects.select_related("form", "version", "user"), pk=pk)
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
    return render(request, "applications/staff/case.html", _case_context(found, form), status=400)


@clerk
@require_http_methods(["GET", "HEAD", "POST"])
def forms(request: HttpRequest) -> HttpResponse:
    upload = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload.is_valid():
        try:
            version = services.form_import(
                town=current_town(),
                raw=upload.cleaned_data["file"].read(),
                actor=request_actor(request),
            )
        except services.DefinitionRefused as refused:
            for problem in refused.problems:
                upload.add_error(
                    "file", _("Fehler in der Datei: %(problem)s") % {"problem": problem}
                )
        else:
            messages.success(
                request,
                _("Version %(number)s ist gespeichert. Prüfen Sie sie und veröffentlichen Sie sie.")
                % {"number": version.number},
            )
            return redirect("staff-applications:form", pk=version.form_id)
    return render(
        request,
        "applications/staff/forms.html",
        {
            "form": upload,
            "forms": Form.objects.select_related("live_version").prefetch_related("versions"),
        },
        status=400 if upload.errors else 200,
    )


@clerk
@require_safe
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Form.objects.select_related("live_version"), pk=pk)
    versions = found.versions.order_by("-number")
    return render(
        request,
        "applications/staff/form.html",
        {"application_form": found, "versions": versions},
    )


@clerk
@require_POST
def version_publish(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = get_object_or_404(
        FormVersion.objects.select_related("form"), form_id=pk, number=number
    )
    services.version_publish(town=current_town(), version=version, actor=request_actor(request))
    messages.success(
        request,
        _("Version %(number)s ist veröffentlicht: Neue Anträge werden mit ihr gestellt.")
        % {"number": number},
    )
    return redirect("staff-applications:form", pk=pk)


@clerk
@require_safe
def version_export(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = get_object_or_404(
        FormVersion.objects.select_related("form"), form_id=pk, number=number
    )
    response = HttpResponse(
        json.dumps(version.definition, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"{version.form.slug}-v{version.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@clerk
@require_safe
def schema(request: HttpRequest) -> HttpResponse:
    """The JSON Schema every definition file is checked against, to write one by."""
    response = HttpResponse(
        SCHEMA_PATH.read_bytes(), content_type="application/schema+json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="form-definition.schema.json"'
    return response
