from django.urls import URLPattern, URLResolver, path

from contrechamp.groups import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.group_list, name="group-list"),
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
    path("<slug:slug>/travail/", views.worklist, name="group-worklist"),
    path("<slug:slug>/travail/<int:item_id>/", views.work_item_change, name="group-work-item"),
]
