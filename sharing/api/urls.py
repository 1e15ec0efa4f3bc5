"""Routes of the sharing API under /api/."""

from django.urls import path

from sharing.api import views

urlpatterns = [
    path("projects/<id:project_id>/members/", views.MembersView.as_view(), name="api-members"),
    path(
        "projects/<id:project_id>/members/<id:user_id>/",
        views.MemberView.as_view(),
        name="api-member",
    ),
    path("projects/<id:project_id>/leave/", views.LeaveView.as_view(), name="api-project-leave"),
    path(
        "projects/<id:project_id>/transfer/",
        views.TransferView.as_view(),
        name="api-project-transfer",
    ),
    path(
        "projects/<id:project_id>/invitations/",
        views.InvitationsView.as_view(),
        name="api-invitations",
    ),
    path("invitations/<id:invitation_id>/", views.InvitationView.as_view(), name="api-invitation"),
    path(
        "invitations/<token:token>/accept/",
        views.AcceptInvitationView.as_view(),
        name="api-invitation-accept",
    ),
]
