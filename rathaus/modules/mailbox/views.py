"""The citizen's mailbox: the messages, one message with its documents, the consent."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from rathaus.platform.identity.models import User
from rathaus.platform.storage.downloads import private_file_link
from rathaus.platform.storage.readers import Account
from rathaus.tenants.current import current_town

from .errors import MailboxError
from .forms import ConsentForm, ReplyForm, SearchForm, SmsChoiceForm
from .models import Message
from .selectors import consent_current, message_of, messages_of, sms_notification_on
from .services import (
    NewDocument,
    consent_record,
    message_open,
    reply_send,
    sms_notification_set,
)

PAGE_SIZE = 20


def _owner(request: HttpRequest) -> User:
    """The logged-in account (only called behind ``login_required``)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(messages_of(owner=_owner(request), query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "mailbox/index.html",
        {
            "search": search,
            "query": query,
            "page": page,
            "consent": consent_current(account=_owner(request)),
        },
    )


def _links(message: Message, request: HttpRequest) -> list[dict[str, object]]:
    """Each document with a short-lived link that only its owner can use, on this town."""
    town = current_town()
    return [
        {
            "document": document,
            "url": private_file_link(
                town=town,
                name=document.stored_name,
                # The person looking (the owner, or a member of the owning organisation).
                readers=[Account(_owner(request).pk)],
                filename=document.filename,
            ),
        }
        for document in message.documents.all()
        if document.reply_id is None
    ]


@login_required
@require_safe
def message(request: HttpRequest, public_id: str) -> HttpResponse:
    found = message_of(owner=_owner(request), public_id=public_id)
    if found is None:
        raise Http404("No such message")
    message_open(message=found)
    return _message_page(request, found, ReplyForm() if found.allows_reply else None)


def _message_page(request: HttpRequest, found: Message, form: ReplyForm | None) -> HttpResponse:
    return render(
        request,
        "mailbox/message.html",
        {"message": found, "documents": _links(found, request), "reply_form": form},
    )


@login_required
@require_http_methods(["POST"])
def reply(request: HttpRequest, public_id: str) -> HttpResponse:
    found = message_of(owner=_owner(request), public_id=public_id)
    if found is None or not found.allows_reply:
        raise Http404("No such message")
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            reply_send(
                message=found,
                author=_owner(request),
                body=form.cleaned_data["body"],
                documents=[
                    NewDocument(
                        filename=upload.name or "",
                        content=upload.read(),
                        content_type=upload.content_type or "",
                    )
                    for upload in form.cleaned_data["documents"]
                ],
            )
        except MailboxError as exc:
            form.add_error(None, str(exc))
        else:
            flash.success(request, _("Ihre Antwort wurde gesendet."))
            return redirect("mailbox:message", public_id=found.public_id)
    return _message_page(request, found, form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consent(request: HttpRequest) -> HttpResponse:
    current = consent_current(account=_owner(request))
    form = ConsentForm(
        request.POST or None,
        initial={"consented": "yes" if current and current.consented else "no"},
    )
    if request.method == "POST" and form.is_valid():
        consent_record(account=_owner(request), consented=form.cleaned_data["consented"])
        flash.success(
            request,
            _("Bescheide werden Ihnen ab jetzt in Ihr Postfach zugestellt.")
            if form.cleaned_data["consented"]
            else _("Bescheide gehen Ihnen ab jetzt per Brief zu."),
        )
        return redirect("mailbox:index")
    return render(
        request,
        "mailbox/consent.html",
        {
            "form": form,
            "current": current,
            "sms_form": SmsChoiceForm(
                initial={"by_sms": sms_notification_on(account=_owner(request))}
            ),
            "phone_confirmed": bool(_owner(request).phone_verified_at and _owner(request).phone),
        },
    )


@login_required
@require_http_methods(["POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """Whether new messages are also announced by SMS (to the confirmed mobile number)."""
    form = SmsChoiceForm(request.POST)
    by_sms = form.is_valid() and form.cleaned_data["by_sms"]
    try:
        sms_notification_set(account=_owner(request), by_sms=by_sms)
    except MailboxError as exc:
        flash.error(request, str(exc))
    else:
        flash.success(
            request,
            _("Neue Nachrichten kündigen wir Ihnen auch per SMS an.")
            if by_sms
            else _("Neue Nachrichten kündigen wir Ihnen nur per E-Mail an."),
        )
    return redirect("mailbox:consent")
