from django.urls import path

from . import api

urlpatterns = [
    path("topics/", api.TopicList.as_view(), name="topics"),
    path("subscribe/", api.Subscribe.as_view(), name="subscribe"),
    path("subscription/", api.MySubscription.as_view(), name="subscription"),
]
