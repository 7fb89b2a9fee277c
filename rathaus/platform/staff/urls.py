from django.urls import path

from rathaus.platform.staff import views

app_name = "staff"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("branding/", views.branding, name="branding"),
    path("team/", views.team, name="team"),
    path("team/add/", views.team_add, name="team-add"),
    path("team/<int:pk>/", views.team_member, name="team-member"),
    path("team/<int:pk>/invite/", views.team_member_invite, name="team-member-invite"),
    path("messages/", views.messages_overview, name="messages"),
    path("audit/", views.audit_log, name="audit"),
    path("support/<str:token>/", views.support_enter, name="support-enter"),
]
