"""Staff pages of the forms: upload, versions, publish, export (cases: ``case_staff_views``)."""

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.platform.staff.actors import request_actor
from rathaus.platform.staff.permissions import staff_required
from rathaus.tenants.current import current_town

from . import services
from .definition import SCHEMA_PATH
from .forms import UploadForm
from .models import Form, FormVersion

clerk = staff_required(module="applications", role="clerk")
PAGE_SIZE = 50


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
