from django.urls import path

from . import api_views

urlpatterns = [
    path("applications/", api_views.ApplicationList.as_view(), name="applications"),
    path(
        "applications/<str:reference>/",
        api_views.ApplicationDetail.as_view(),
        name="application",
    ),
    path(
        "applications/<str:reference>/answer/",
        api_views.QueryAnswer.as_view(),
        name="answer",
    ),
]
