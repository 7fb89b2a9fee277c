from django.urls import path

from . import api_views, staff_api

urlpatterns = [
    path("staff/cases/", staff_api.StaffCaseList.as_view(), name="staff-cases"),
    path("staff/cases/<int:pk>/", staff_api.StaffCaseDetail.as_view(), name="staff-case"),
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
