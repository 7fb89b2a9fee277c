"""Back office pages of bulk notices: templates, upload and check, a run, its report."""

import csv
import io
import uuid

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.platform.identity.models import User
from rathaus.platform.staff.actors import request_actor
from rathaus.platform.staff.permissions import staff_required
from rathaus.tenants.current import current_town

from . import selectors
from .forms import TemplateForm, UploadForm
from .models import Run, Template
from .render import (
    letter_for,
    letterhead_for,
    placeholder_values,
    recipient_letter,
    template_placeholders,
)
from .services import (
    NoticesError,
    run_finish_if_done,
    run_pause,
    run_release,
    run_resume,
    run_upload,
    template_save,
)

clerk = staff_required(module="notices", role="clerk")


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _run(public_id: uuid.UUID) -> Run:
    found = selectors.run_find(public_id=public_id)
    if found is None:
        raise Http404("No such run")
    return found


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@clerk
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notices/staff/index.html",
        {"templates": selectors.templates_all(), "runs": selectors.runs_recent()},
    )


@clerk
@require_http_methods(["GET", "HEAD", "POST"])
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    template = get_object_or_404(Template, pk=pk) if pk else Template()
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        saved = template_save(
            town=current_town(),
            actor=request_actor(request),
            template=template,
            values={name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        flash.success(request, _("Die Vorlage ist gespeichert."))
        return redirect("staff-notices:template-edit", pk=saved.pk)
    return render(
        request,
        "notices/staff/template.html",
        {
            "form": form,
            "template": template if template.pk else None,
            "placeholders": template_placeholders(template) if template.pk else [],
        },
    )


@clerk
@require_safe
def template_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The template filled in for one example recipient (each placeholder shows its name)."""
    template = get_object_or_404(Template, pk=pk)
    values = {name: f"[{name}]" for name in template_placeholders(template)}
    values.update(name="Erika Mustermann", betrag=values.get("betrag", "1.234,50"))
    rendered = letter_for(
        template=template,
        head=letterhead_for(template),
        address=["Erika Mustermann", "Musterstraße 1", "39517 Tangerhütte"],
        values=placeholder_values(name="Erika Mustermann", recipient_key="MUSTER-1", values=values),
        reference="MUSTER-1",
    )
    return _pdf(rendered.pdf, "vorschau.pdf")


@clerk
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        result = run_upload(
            town=current_town(),
            actor=request_actor(request),
            uploaded_by=_user(request),
            template=form.cleaned_data["template"],
            filename=file.name,
            content=file.read(),
        )
        if result.run is not None:
            flash.success(request, _("Die Datei ist geprüft und ohne Fehler."))
            return redirect("staff-notices:run", public_id=result.run.public_id)
        problems = [str(problem) for problem in result.problems]
    return render(request, "notices/staff/upload.html", {"form": form, "problems": problems})


@clerk
@require_safe
def run(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = _run(public_id)
    run_finish_if_done(run=found)
    return render(
        request,
        "notices/staff/run.html",
        {
            "run": found,
            "split": selectors.run_split(run=found),
            "failures": selectors.preflight_failures(run=found),
            "progress": selectors.run_progress(run=found),
            "report": selectors.run_report(run=found) if found.state == Run.State.DONE else None,
            "may_release": found.state == Run.State.CHECKED
            and found.uploaded_by_id != request.user.pk,
        },
    )


@clerk
@require_safe
def run_preview(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One recipient's letter (``?line=N``, the first by default)."""
    found = _run(public_id)
    recipients = found.recipients.select_related("run__template")
    line = request.GET.get("line", "")
    recipient = (recipients.filter(line=int(line)) if line.isdigit() else recipients).first()
    if recipient is None:
        raise Http404("No such line")
    return _pdf(recipient_letter(recipient=recipient).pdf, f"bescheid-zeile-{recipient.line}.pdf")


def _act(request: HttpRequest, public_id: uuid.UUID, action: str) -> HttpResponse:
    found = _run(public_id)
    town, actor = current_town(), request_actor(request)
    try:
        if action == "release":
            user = _user(request)
            if user is None:
                raise NoticesError(_("Nur Beschäftigte der Verwaltung können freigeben."))
            run_release(town=town, actor=actor, run=found, released_by=user)
            flash.success(request, _("Der Versandlauf ist freigegeben und läuft."))
        elif action == "pause":
            run_pause(town=town, actor=actor, run=found)
            flash.info(request, _("Der Versandlauf ist angehalten."))
        else:
            run_resume(town=town, actor=actor, run=found)
            flash.success(request, _("Der Versandlauf geht weiter."))
    except NoticesError as exc:
        flash.error(request, str(exc))
    return redirect("staff-notices:run", public_id=found.public_id)


@clerk
@require_POST
def release(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _act(request, public_id, "release")


@clerk
@require_POST
def pause(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _act(request, public_id, "pause")


@clerk
@require_POST
def resume(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _act(request, public_id, "resume")


@clerk
@require_safe
def progress(request: HttpRequest, public_id: uuid.UUID) -> JsonResponse:
    found = _run(public_id)
    run_finish_if_done(run=found)
    return JsonResponse(selectors.run_progress(run=found).as_json())


@clerk
@require_safe
def report_csv(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = _run(public_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        ["zeile", "schluessel", "name", "weg", "ergebnis", "grund", "druck_id", "eingeliefert_am"]
    )
    for line in selectors.run_report(run=found):
        writer.writerow(
            [
                line.line,
                line.recipient_key,
                line.name,
                line.route,
                line.outcome,
                line.reason,
                line.partner_id,
                line.posted_on,
            ]
        )
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="bericht-{found.public_id}.csv"'
    return response
