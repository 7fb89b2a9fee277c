"""Staff pages: the messages sent, one message's evidence, sending a message to a person."""

import uuid

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from rathaus.platform.identity.models import User
from rathaus.platform.staff.actors import request_actor
from rathaus.platform.staff.permissions import staff_required
from rathaus.platform.storage.downloads import private_file_link
from rathaus.platform.storage.readers import StaffOf
from rathaus.tenants.current import current_town

from . import selectors
from .errors import MailboxError
from .evidence_pdf import evidence_pdf
from .forms import HoldForm, SendForm, SentFilterForm
from .models import LegalHold
from .retention import kept_until, legal_hold_lift, legal_hold_set
from .services import NewDocument, message_send

clerk = staff_required(module="mailbox", role="clerk")
PAGE_SIZE = 50


@clerk
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    filters = SentFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    sent = selectors.messages_sent(query=chosen.get("q", ""), state=chosen.get("state", ""))
    page = Paginator(sent, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mailbox/staff/index.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )


@clerk
@require_http_methods(["GET", "HEAD", "POST"])
def send(request: HttpRequest) -> HttpResponse:
    form = SendForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = message_send(
                town=current_town(),
                actor=request_actor(request),
                sent_by=request.user if isinstance(request.user, User) else None,
                recipient_email=data["recipient"],
                kind=data["kind"],
                subject=data["subject"],
                sender_office=data["sender_office"],
                reference=data["reference"],
                body=data["body"],
                allows_reply=data["allows_reply"],
                documents=[
                    NewDocument(
                        filename=upload.name,
                        content=upload.read(),
                        content_type=upload.content_type or "",
                    )
                    for upload in data["documents"]
                ],
                source_key=f"staff:{request.POST.get('send_key') or uuid.uuid4()}",
            )
        except MailboxError as exc:
            form.add_error(None, str(exc))
        else:
            flash.success(request, _("Die Nachricht wurde im Postfach bereitgestellt."))
            return redirect("staff-mailbox:message", public_id=sent.public_id)
    return render(request, "mailbox/staff/send.html", {"form": form, "send_key": uuid.uuid4().hex})


@clerk
@require_safe
def message(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = selectors.message_sent(public_id=public_id)
    if found is None:
        raise Http404("No such message")
    return render(
        request,
        "mailbox/staff/message.html",
        {
            "message": found,
            "proof": selectors.message_proof(message=found),
            "kept_until": kept_until(found),
            "hold": LegalHold.objects.filter(message=found).first(),
            "hold_form": HoldForm(),
            "replies": [
                {
                    "reply": reply,
                    "documents": [
                        {
                            "document": document,
                            "url": private_file_link(
                                town=current_town(),
                                name=document.stored_name,
                                readers=[StaffOf("mailbox", "clerk")],
                                filename=document.filename,
                            ),
                        }
                        for document in reply.documents.all()
                    ],
                }
                for reply in found.replies.all()
            ],
        },
    )


@clerk
@require_safe
def evidence(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The message's evidence record as a JSON download."""
    found = selectors.message_sent(public_id=public_id)
    if found is None:
        raise Http404("No such message")
    record = selectors.message_evidence(proof=selectors.message_proof(message=found))
    response = JsonResponse(record, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="nachweis-{found.public_id}.json"'
    return response


@clerk
@require_safe
def evidence_document(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The message's evidence record as a PDF download."""
    found = selectors.message_sent(public_id=public_id)
    if found is None:
        raise Http404("No such message")
    record = selectors.message_evidence(proof=selectors.message_proof(message=found))
    response = HttpResponse(evidence_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="nachweis-{found.public_id}.pdf"'
    return response


@clerk
@require_http_methods(["POST"])
def hold(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Sets (with a reason) or lifts the legal hold that keeps a message past its retention."""
    found = selectors.message_sent(public_id=public_id)
    if found is None:
        raise Http404("No such message")
    town, actor = current_town(), request_actor(request)
    if "lift" in request.POST:
        if legal_hold_lift(town=town, message=found, actor=actor):
            flash.success(request, _("Die Löschsperre ist aufgehoben."))
        return redirect("staff-mailbox:message", public_id=found.public_id)
    form = HoldForm(request.POST)
    try:
        if not form.is_valid():
            raise MailboxError(_("Bitte nennen Sie den Grund der Löschsperre."))
        legal_hold_set(
            town=town,
            message=found,
            reason=form.cleaned_data["reason"],
            actor=actor,
            by=request.user if isinstance(request.user, User) else None,
        )
    except MailboxError as exc:
        flash.error(request, str(exc))
    else:
        flash.success(request, _("Die Nachricht ist gegen das Löschen gesperrt."))
    return redirect("staff-mailbox:message", public_id=found.public_id)
