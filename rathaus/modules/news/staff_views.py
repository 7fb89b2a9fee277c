"""Staff pages: topics, writing and publishing posts, delivery statistics."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.platform.staff.actors import request_actor
from rathaus.platform.staff.permissions import staff_required
from rathaus.tenants.current import current_town

from . import selectors, services
from .forms import PostForm, TopicForm
from .models import Post, Topic

editor = staff_required(module="news", role="editor")


@editor
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    rows = selectors.posts_with_stats(limit=100)
    return render(request, "news/staff/index.html", {"rows": rows})


@editor
@require_http_methods(["GET", "HEAD", "POST"])
def topics(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_create(
                town=current_town(),
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                actor=request_actor(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Das Thema ist angelegt."))
            return redirect("staff-news:topics")
    status = 400 if form.errors else 200
    return render(
        request,
        "news/staff/topics.html",
        {"form": form, "topics": selectors.topic_list()},
        status=status,
    )


@editor
@require_http_methods(["GET", "HEAD", "POST"])
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk)
    form = TopicForm(
        request.POST or None, initial={"name": topic.name, "description": topic.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_update(
                town=current_town(),
                topic=topic,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                actor=request_actor(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Das Thema ist gespeichert."))
            return redirect("staff-news:topics")
    return render(
        request,
        "news/staff/topic_edit.html",
        {"form": form, "topic": topic},
        status=400 if form.errors else 200,
    )


@editor
@require_http_methods(["GET", "HEAD", "POST"])
def post_new(request: HttpRequest) -> HttpResponse:
    form = PostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_create(
                town=current_town(),
                title=data["title"],
                body=data["body"],
                topics=data["topics"],
                attachment=data.get("attachment"),
                publish_now=data["when"] == PostForm.NOW,
                publish_at=data["publish_at"] if data["when"] == PostForm.LATER else None,
                actor=request_actor(request),
                author=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Der Beitrag ist gespeichert."))
            return redirect("staff-news:post", pk=post.pk)
    return render(
        request, "news/staff/post_new.html", {"form": form}, status=400 if form.errors else 200
    )


@editor
@require_safe
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.prefetch_related("topics"), pk=pk)
    return render(
        request,
        "news/staff/post.html",
        {"post": post, "stats": selectors.post_stats(post=post)},
    )


@editor
@require_POST
def post_publish(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    try:
        services.post_publish(
            town=current_town(),
            post=post,
            actor=request_actor(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Der Beitrag ist veröffentlicht und wird verschickt."))
    return redirect("staff-news:post", pk=pk)
