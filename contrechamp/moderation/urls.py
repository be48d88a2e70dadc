from django.urls import URLPattern, URLResolver, path

from contrechamp.moderation import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.queue, name="moderation-queue"),
    path("lot/", views.bulk, name="moderation-bulk"),
    path("<int:proposal_id>/accepter/", views.accept, name="moderation-accept"),
    path("<int:proposal_id>/rejeter/", views.reject, name="moderation-reject"),
    path("<int:proposal_id>/", views.proposal_detail, name="moderation-proposal"),
    path("<int:proposal_id>/rouvrir/", views.reopen, name="moderation-reopen"),
    path("mes-decisions/", views.decisions, name="moderation-decisions"),
    path("mes-propositions/", views.mine, name="moderation-mine"),
    path("mes-propositions/<int:proposal_id>/retirer/", views.withdraw, name="moderation-withdraw"),
    path("personnes/<int:user_id>/", views.person, name="moderation-person"),
]
