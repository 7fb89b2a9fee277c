from django.urls import path

from . import staff_views as views

urlpatterns = [
    path("", views.index, name="index"),
    path("topics/", views.topics, name="topics"),
    path("topics/<int:pk>/", views.topic_edit, name="topic"),
    path("posts/new/", views.post_new, name="post-new"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("posts/<int:pk>/publish/", views.post_publish, name="post-publish"),
]
