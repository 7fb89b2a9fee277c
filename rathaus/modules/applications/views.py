"""The citizen's pages: the forms, filling one in step by step, checking, sending.

The answers given so far (the draft) live in the session, under the form's slug and
with the version they were given to: a reload or a new version published meanwhile
loses nothing, and the application is sent with the version it was begun with.
"""

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from rathaus.platform.federation.models import TrustLevel
from rathaus.platform.federation.trust import session_trust_level, trust_sufficient
from rathaus.platform.payments.registry import PaymentError
from rathaus.platform.payments.selectors import methods_offered
from rathaus.platform.payments.tokens import payment_path
from rathaus.tenants.current import current_town
from rathaus.tenants.selectors import town_url

from .definition import Step, answers_kept, declarations_of, logic_data, steps_of, text_in
from .fees import case_payment_start, case_payments, pay_path, submission_from_pay_token
from .forms import DeclarationForm, PayMethodForm, StepForm, computed_display, step_initial
from .models import Draft, Form, FormVersion, Submission
from .prefill import prefill_answers, prefill_mark
from .selectors import answers_by_step, citizen_status, forms_published, submissions_of_user
from .services import (
    DRAFT_DAYS,
    DraftLinkExpired,
    DraftLinkInvalid,
    draft_delete,
    draft_from_token,
    draft_save,
    draft_token,
    submission_create,
    uploads_store,
)

DRAFT = "applications:draft:{slug}"
SENT = "applications:sent:{slug}"


def _published_form(slug: str) -> Form:
    return get_object_or_404(forms_published(), slug=slug)


def _draft(request: HttpRequest, form: Form) -> dict[str, Any]:
    """The session's draft of ``form``, begun with the live version if there is none."""
    draft = request.session.get(DRAFT.format(slug=form.slug))
    if form.live_version is None:  # only published forms get here
        raise Http404
    version_pk = draft.get("version") if isinstance(draft, dict) else None
    if (
        not isinstance(draft, dict)
        or not isinstance(version_pk, int)
        or not FormVersion.objects.filter(
            pk=version_pk, form=form, published_at__isnull=False
        ).exists()
    ):
        draft = {"version": form.live_version.pk, "answers": {}, "done": []}
    return draft


def _save_draft(request: HttpRequest, form: Form, draft: dict[str, Any]) -> None:
    request.session[DRAFT.format(slug=form.slug)] = draft


def _version(draft: dict[str, Any]) -> FormVersion:
    return FormVersion.objects.select_related("form").get(pk=draft["version"])


def _shown(steps: list[Step], definition: dict[str, Any], answers: dict[str, Any]) -> list[Step]:
    """The steps asked with these answers (a step's ``visible_if`` may leave it out)."""
    data = logic_data(definition, answers)
    return [s for s in steps if s.shown(data)]


def _first_open_step(
    steps: list[Step], draft: dict[str, Any], definition: dict[str, Any]
) -> int | None:
    shown = _shown(steps, definition, draft["answers"])
    return next((s.index for s in shown if s.index not in draft["done"]), None)


def _trusted(request: HttpRequest, definition: dict[str, Any]) -> bool:
    """Whether the visitor proved the eIDAS level the form needs (a form may need none)."""
    return trust_sufficient(
        achieved=session_trust_level(request), required=definition.get("eidas_level", "")
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    forms = [
        {
            "form": form,
            "title": text_in(form.live_version.definition["title"]),
            "summary": text_in(form.live_version.definition.get("summary")),
        }
        for form in forms_published()
        if form.live_version is not None
    ]
    return render(request, "applications/index.html", {"forms": forms})


@require_safe
def start(request: HttpRequest, slug: str) -> HttpResponse:
    form = _published_form(slug)
    draft = _draft(request, form)
    definition = _version(draft).definition
    return render(
        request,
        "applications/start.html",
        {
            "form": form,
            "title": text_in(definition["title"]),
            "summary": text_in(definition.get("summary")),
            "steps": steps_of(definition),
            "begun": bool(draft["done"]),
            "level": TrustLevel(definition["eidas_level"]).label
            if definition.get("eidas_level")
            else "",
            "trusted": _trusted(request, definition),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def step(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    form = _published_form(slug)
    draft = _draft(request, form)
    version = _version(draft)
    steps = steps_of(version.definition)
    if not 1 <= number <= len(steps):
        raise Http404
    definition = version.definition
    open_step = _first_open_step(steps, draft, definition)
    if open_step is not None and number > open_step:
        return redirect("applications:step", slug=slug, number=open_step)
    shown = _shown(steps, definition, draft["answers"])
    current = steps[number - 1]
    if current not in shown:  # left out by an answer given before
        later = [s.index for s in shown if s.index > number]
        if later:
            return redirect("applications:step", slug=slug, number=later[0])
        return redirect("applications:check", slug=slug)
    if not _trusted(request, definition):
        return redirect("applications:start", slug=slug)
    back_to_check = request.GET.get("back") == "check" and open_step is None
    user = request.user if request.user.is_authenticated else None
    prefilled = prefill_answers(step=current, user=user, answers=draft["answers"]) if user else {}
    step_form = StepForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        step=current,
        answers=draft["answers"],
        definition=definition,
        initial=step_initial(current, {**prefilled, **draft["answers"]}),
    )
    if user is not None:
        prefill_mark(form=step_form, user=user, prefilled=prefilled)
    if request.method == "POST" and "save" in request.POST:
        return _save_for_later(request, form, draft, step_form)
    if request.method == "POST" and step_form.is_valid():
        draft["answers"].update(step_form.stored())
        for key, files in step_form.new_uploads().items():
            draft["answers"][key] = uploads_store(files=files)
        draft["done"] = sorted({*draft["done"], number})
        _save_draft(request, form, draft)
        later = [s.index for s in _shown(steps, definition, draft["answers"]) if s.index > number]
        if back_to_check or not later:
            return redirect("applications:check", slug=slug)
        return redirect("applications:step", slug=slug, number=later[0])
    earlier = [s.index for s in shown if s.index < number]
    return render(
        request,
        "applications/step.html",
        {
            "form": step_form,
            "application": form,
            "title": text_in(version.definition["title"]),
            "step": current,
            "position": shown.index(current) + 1,
            "count": len(shown),
            "previous": earlier[-1] if earlier else None,
            "computed": [
                {
                    "label": text_in(spec.get("label")),
                    "value": computed_display(spec, definition, draft["answers"]),
                }
                for spec in current.computed
            ],
            "back_to_check": back_to_check,
        },
        status=400 if step_form.errors else 200,
    )


def _save_for_later(
    request: HttpRequest, form: Form, draft: dict[str, Any], step_form: StepForm
) -> HttpResponse:
    """Keeps what was typed (what has an error keeps the answer given before) as a draft."""
    valid = step_form.is_valid()
    typed = {
        key: value
        for key, value in step_form.stored().items()
        if valid or not any(name in step_form.errors for name in step_form.names_of(key))
    }
    draft["answers"].update(typed)
    if valid:
        for key, files in step_form.new_uploads().items():
            draft["answers"][key] = uploads_store(files=files)
    user = request.user if request.user.is_authenticated else None
    saved = draft_save(
        version=_version(draft),
        answers=draft["answers"],
        done=draft["done"],
        user=user,
        draft_pk=draft.get("saved"),
    )
    draft["saved"] = saved.pk
    _save_draft(request, form, draft)
    return redirect("applications:saved", slug=form.slug)


@require_safe
def saved(request: HttpRequest, slug: str) -> HttpResponse:
    """The link to finish the application later (shown once more on every visit)."""
    form = _published_form(slug)
    draft_pk = _draft(request, form).get("saved")
    saved_draft = Draft.objects.filter(pk=draft_pk, form=form).first() if draft_pk else None
    if saved_draft is None:
        return redirect("applications:start", slug=slug)
    path = reverse("applications:resume", args=[slug, draft_token(draft=saved_draft)])
    return render(
        request,
        "applications/saved.html",
        {
            "application": form,
            "title": text_in(saved_draft.version.definition["title"]),
            "link": town_url(town=current_town(), path=path),
            "expires_at": saved_draft.expires_at,
            "days": DRAFT_DAYS,
        },
    )


@require_safe
def resume(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Takes up a saved application from its link; an old or foreign link says why not."""
    form = _published_form(slug)
    try:
        saved_draft = draft_from_token(token=token)
    except (DraftLinkExpired, DraftLinkInvalid) as error:
        expired = isinstance(error, DraftLinkExpired)
        return render(
            request,
            "applications/link_invalid.html",
            {"application": form, "expired": expired, "days": DRAFT_DAYS},
            status=410 if expired else 404,
        )
    if saved_draft.form_id != form.pk:
        raise Http404
    draft = {
        "version": saved_draft.version_id,
        "answers": saved_draft.answers,
        "done": saved_draft.done,
        "saved": saved_draft.pk,
    }
    _save_draft(request, form, draft)
    steps = steps_of(saved_draft.version.definition)
    open_step = _first_open_step(steps, draft, saved_draft.version.definition)
    if open_step is None:
        return redirect("applications:check", slug=slug)
    return redirect("applications:step", slug=slug, number=open_step)


def _all_steps_valid(
    steps: list[Step], definition: dict[str, Any], answers: dict[str, Any]
) -> int | None:
    """The first step whose stored answers do not pass its form (the server decides)."""
    for current in _shown(steps, definition, answers):
        data = step_initial(current, answers)
        if not StepForm(data, step=current, answers=answers, definition=definition).is_valid():
            return current.index
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def check(request: HttpRequest, slug: str) -> HttpResponse:
    form = _published_form(slug)
    draft = _draft(request, form)
    version = _version(draft)
    definition = version.definition
    steps = steps_of(definition)
    open_step = _first_open_step(steps, draft, definition)
    if open_step is not None:
        return redirect("applications:step", slug=slug, number=open_step)
    if not _trusted(request, definition):
        return redirect("applications:start", slug=slug)
    declarations = declarations_of(definition)
    declaration_form = DeclarationForm(
        request.POST if request.method == "POST" else None, declarations=declarations
    )
    if request.method == "POST" and declaration_form.is_valid():
        broken = _all_steps_valid(steps, definition, draft["answers"])
        if broken is not None:
            draft["done"] = [n for n in draft["done"] if n < broken]
            _save_draft(request, form, draft)
            return redirect("applications:step", slug=slug, number=broken)
        user = request.user if request.user.is_authenticated else None
        submission = submission_create(
            version=version, answers=answers_kept(definition, draft["answers"]), user=user
        )
        draft_delete(draft_pk=draft.get("saved"))
        request.session.pop(DRAFT.format(slug=slug), None)
        request.session[SENT.format(slug=slug)] = submission.reference
        return redirect("applications:done", slug=slug)
    return render(
        request,
        "applications/check.html",
        {
            "form": declaration_form,
            "application": form,
            "title": text_in(definition["title"]),
            "parts": answers_by_step(definition=definition, answers=draft["answers"]),
            "declarations": [text_in(d["text"]) for d in declarations],
        },
        status=400 if declaration_form.errors else 200,
    )


@require_safe
def done(request: HttpRequest, slug: str) -> HttpResponse:
    form = _published_form(slug)
    reference = request.session.get(SENT.format(slug=slug))
    if not reference:
        return redirect("applications:start", slug=slug)
    submission = form.submissions.filter(reference=reference).select_related("version").first()
    if submission is None:
        raise Http404
    return render(
        request,
        "applications/done.html",
        {
            "application": form,
            "title": text_in(submission.version.definition["title"]),
            "submission": submission,
            "pay_href": pay_path(submission=submission)
            if submission.status == Submission.Status.AWAITING_PAYMENT
            else "",
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def pay(request: HttpRequest, token: str) -> HttpResponse:
    """The case's fee: how it stands, the attempts so far, and a way to pay (again)."""
    submission = submission_from_pay_token(token)
    spec = submission.version.definition.get("payment") if submission else None
    if submission is None or not spec:
        raise Http404("No such case with a fee in this town")
    waiting = submission.status == Submission.Status.AWAITING_PAYMENT
    methods = methods_offered()
    form = PayMethodForm(
        request.POST if request.method == "POST" else None,
        choices=methods,
        initial={"method": methods[0][0]} if len(methods) == 1 else None,
    )
    if request.method == "POST" and waiting and form.is_valid():
        try:
            payment = case_payment_start(
                town=current_town(),
                submission=submission,
                provider=form.cleaned_data["method"],
                user=request.user if request.user.is_authenticated else None,
            )
        except PaymentError:
            form.add_error(None, _("Das hat nicht geklappt. Bitte versuchen Sie es noch einmal."))
        else:
            return redirect(payment_path(payment=payment))
    return render(
        request,
        "applications/pay.html",
        {
            "submission": submission,
            "title": text_in(submission.version.definition["title"]),
            "fee": Decimal(str(submission.answers.get(spec["amount"]) or "0")),
            "payments": [
                {"payment": p, "href": payment_path(payment=p)}
                for p in case_payments(submission=submission)
            ],
            "form": form if waiting and methods else None,
            "waiting": waiting,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:  # login_required let no one else in
        raise Http404
    rows = [
        {
            "submission": s,
            "title": text_in(s.version.definition["title"]),
            "status": citizen_status(submission=s),
            "payment": next(iter(case_payments(submission=s)), None),
            "pay_href": pay_path(submission=s) if s.version.definition.get("payment") else "",
        }
        for s in submissions_of_user(user=request.user)
    ]
    drafts = [
        {
            "draft": d,
            "title": text_in(d.version.definition["title"]),
            "href": reverse("applications:resume", args=[d.form.slug, draft_token(draft=d)]),
        }
        for d in Draft.objects.filter(user=request.user, expires_at__gt=timezone.now())
        .select_related("form", "version")
        .order_by("-saved_at")
    ]
    return render(request, "applications/account.html", {"rows": rows, "drafts": drafts})
