from django.urls import URLPattern, URLResolver, path, re_path

from contrechamp.groups import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.group_list, name="group-list"),
    # Before the groups' pages: a token is 43 characters, which no page name under a
    # group's address is, so a group named "invitation" keeps its own pages.
    re_path(
        r"^invitation/(?P<token>[A-Za-z0-9_-]{32,100})/$", views.invitation, name="group-invitation"
    ),
    path("nouveau/", views.group_create, name="group-create"),
    path("<slug:slug>/", views.group_detail, name="group-detail"),
    path("<slug:slug>/modifier/", views.group_edit, name="group-edit"),
    path("<slug:slug>/ecrire/", views.group_contact, name="group-contact"),
    path("<slug:slug>/rejoindre/", views.group_join, name="group-join"),
    path("<slug:slug>/quitter/", views.group_leave, name="group-leave"),
    path("<slug:slug>/nom-public/", views.group_show_name, name="group-show-name"),
    path("<slug:slug>/membres/", views.group_members, name="group-members"),
    # The action (approve, remove, promote) is in the POST, as for work items.
    path(
        "<slug:slug>/membres/<int:membership_id>/",
        views.member_action,
        name="group-member",
    ),
    path("<slug:slug>/inviter/", views.group_invite, name="group-invite"),
    path("<slug:slug>/lien-invitation/", views.group_invitation_link, name="group-invitation-link"),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/annuler/",
        views.group_invitation_cancel,
        name="group-invitation-cancel",
    ),
    path("<slug:slug>/travail/", views.worklist, name="group-worklist"),
    path("<slug:slug>/travail/<int:item_id>/", views.work_item_change, name="group-work-item"),
]
