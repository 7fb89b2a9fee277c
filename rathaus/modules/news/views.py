"""Citizen pages: posts per topic, subscribing (double opt-in), one-click unsubscribe."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.tenants.current import current_town

from . import selectors, services
from .forms import MyTopicsForm, SubscribeForm
from .limits import subscribe_limit
from .models import Post, Topic
from .tokens import BadToken, read_confirm_token, read_unsubscribe_token


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "news/message.html",
        {
            "heading": _("Dieser Link ist ungültig"),
            "text": _(
                "Der Link ist abgelaufen, unvollständig oder gehört nicht zu dieser Kommune. "
                "Bitte fordern Sie einen neuen an."
            ),
        },
        status=400,
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    mine = selectors.subscribed_topic_ids(user=request.user)
    return render(
        request,
        "news/index.html",
        {
            "topics": selectors.topic_list(),
            "posts": selectors.published_posts()[:10],
            "form": SubscribeForm(),
            "my_topics": mine,
        },
    )


@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST)
    if form.is_valid():
        limited = subscribe_limit(request=request, email=form.cleaned_data["email"])
        if limited is not None:
            form.add_error(None, limited.message)
            return _subscribe_page(request, form, status=429)
        try:
            services.subscription_request(
                town=current_town(),
                email=form.cleaned_data["email"],
                topic_ids=[t.pk for t in form.cleaned_data["topics"]],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(
                request,
                "news/message.html",
                {
                    "heading": _("Bitte bestätigen Sie Ihre E-Mail-Adresse"),
                    "text": _(
                        "Wir haben Ihnen eine E-Mail geschickt. Erst wenn Sie den Link darin "
                        "öffnen und bestätigen, erhalten Sie Neuigkeiten."
                    ),
                },
            )
    return _subscribe_page(request, form, status=400)


def _subscribe_page(request: HttpRequest, form: SubscribeForm, *, status: int) -> HttpResponse:
    return render(
        request,
        "news/index.html",
        {
            "topics": selectors.topic_list(),
            "posts": selectors.published_posts()[:10],
            "form": form,
            "my_topics": set(),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: link scanners that open e-mail links only GET."""
    try:
        pending = read_confirm_token(token)
    except BadToken:
        return _bad_link(request)
    if request.method == "POST":
        try:
            services.subscription_confirm(token=token)
        except (BadToken, ValidationError):
            return _bad_link(request)
        return render(
            request,
            "news/message.html",
            {
                "heading": _("Ihr Abonnement ist bestätigt"),
                "text": _("Sie erhalten ab jetzt Neuigkeiten zu den gewählten Themen."),
            },
        )
    topics = Topic.objects.filter(pk__in=pending.topic_ids)
    return render(request, "news/confirm.html", {"email": pending.email, "topics": topics})


# RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to this URL with no
# cookies and no CSRF token; the signed token in the URL is the authorisation.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        read_unsubscribe_token(token)
    except BadToken:
        return _bad_link(request)
    if request.method == "POST":
        try:
            services.unsubscribe(token=token)
        except BadToken:
            return _bad_link(request)
        return render(
            request,
            "news/message.html",
            {
                "heading": _("Sie sind abgemeldet"),
                "text": _("Sie erhalten keine Neuigkeiten mehr per E-Mail."),
            },
        )
    return render(request, "news/unsubscribe.html")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_topics(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = MyTopicsForm(request.POST)
        if form.is_valid():
            services.subscription_set_topics(
                user=request.user, topic_ids=[t.pk for t in form.cleaned_data["topics"]]
            )
            return redirect("news:account")
    else:
        mine = selectors.subscribed_topic_ids(user=request.user)
        form = MyTopicsForm(initial={"topics": sorted(mine)})
    return render(request, "news/account.html", {"form": form})


@require_safe
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    chosen = get_object_or_404(Topic, slug=slug)
    page = Paginator(selectors.published_posts(topic=chosen), 20).get_page(request.GET.get("page"))
    return render(request, "news/topic.html", {"topic": chosen, "page": page})


@require_safe
def post(request: HttpRequest, pk: int) -> HttpResponse:
    shown = get_object_or_404(
        Post.objects.prefetch_related("topics"), pk=pk, status=Post.Status.PUBLISHED
    )
    return render(request, "news/post.html", {"post": shown})
