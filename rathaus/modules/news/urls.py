from django.urls import path

from . import views
from .feeds import PostsAtomFeed, PostsFeed

urlpatterns = [
    path("", views.index, name="index"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("account/", views.my_topics, name="account"),
    path("feed/", PostsFeed(), name="feed"),
    path("feed/atom/", PostsAtomFeed(), name="feed-atom"),
    path("topics/<slug:slug>/", views.topic, name="topic"),
    path("topics/<slug:slug>/feed/", PostsFeed(), name="topic-feed"),
    path("topics/<slug:slug>/atom/", PostsAtomFeed(), name="topic-atom"),
    path("posts/<int:pk>/", views.post, name="post"),
]
