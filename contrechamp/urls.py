from pathlib import Path

from django.contrib import admin
from django.http import FileResponse, HttpRequest
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from contrechamp.access import views as access
from contrechamp.accounts import views as accounts
from contrechamp.api import exports
from contrechamp.api.api import api, unmatched
from contrechamp.documents import views as documents
from contrechamp.ops import views as ops
from contrechamp.pages import feeds, subscription_views
from contrechamp.pages import views as pages
from contrechamp.redaction import views as redaction
from contrechamp.registry import views as registry

FAVICON = Path(__file__).parent / "static" / "favicon.ico"


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    """The icon at the address feed readers and old browsers ask for without a <link>."""
    return FileResponse(FAVICON.open("rb"), content_type="image/vnd.microsoft.icon")


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("", registry.home, name="home"),
    path("dispositifs/", registry.deployment_list, name="deployment-list"),
    path("dispositifs/nouveau/", registry.deployment_create_view, name="deployment-create"),
    path("dispositifs/<slug:slug>/", registry.deployment_detail, name="deployment-detail"),
    path(
        "dispositifs/<slug:slug>/modifier/", registry.deployment_edit_view, name="deployment-edit"
    ),
    path(
        "dispositifs/<slug:slug>/publier/",
        registry.deployment_publish_view,
        name="deployment-publish",
    ),
    path(
        "dispositifs/<slug:slug>/historique/",
        registry.deployment_history,
        name="deployment-history",
    ),
    path(
        "dispositifs/<slug:slug>/historique/<int:version>/",
        registry.deployment_revision,
        name="deployment-revision",
    ),
    path(
        "dispositifs/<slug:slug>/historique/<int:version>/restaurer/",
        registry.deployment_revert_view,
        name="deployment-revert",
    ),
    path("organisations/", registry.organisation_list, name="organisation-list"),
    path("organisations/nouvelle/", registry.organisation_create_view, name="organisation-create"),
    path("organisations/<slug:slug>/", registry.organisation_detail, name="organisation-detail"),
    path(
        "organisations/<slug:slug>/modifier/",
        registry.organisation_edit_view,
        name="organisation-edit",
    ),
    path(
        "organisations/<slug:slug>/publier/",
        registry.organisation_publish_view,
        name="organisation-publish",
    ),
    path(
        "organisations/<slug:slug>/historique/",
        registry.organisation_history,
        name="organisation-history",
    ),
    path(
        "organisations/<slug:slug>/historique/<int:version>/",
        registry.organisation_revision,
        name="organisation-revision",
    ),
    path(
        "organisations/<slug:slug>/historique/<int:version>/restaurer/",
        registry.organisation_revert_view,
        name="organisation-revert",
    ),
    path("technologies/", registry.technology_list, name="technology-list"),
    path("technologies/<slug:slug>/", registry.technology_detail, name="technology-detail"),
    path("cameras/nouveau/", registry.camera_count_create_view, name="camera-count-create"),
    path("carte/", registry.map_page, name="map"),
    path("carte/communes.geojson", exports.map_communes, name="map-communes"),
    path("communes/<str:code>/", pages.commune_detail, name="commune-detail"),
    path("communes/<str:code>/flux.atom", feeds.CommuneFeed(), name="commune-feed"),
    path("intercommunalites/<str:siren>/flux.atom", feeds.EpciFeed(), name="epci-feed"),
    path("departements/<str:code>/flux.atom", feeds.DepartmentFeed(), name="department-feed"),
    path("technologies/<slug:slug>/flux.atom", feeds.TechnologyFeed(), name="technology-feed"),
    path("organisations/<slug:slug>/flux.atom", feeds.OrganisationFeed(), name="organisation-feed"),
    path("dispositifs/<slug:slug>/flux.atom", feeds.DeploymentFeed(), name="deployment-feed"),
    # E-mail subscriptions: the token is random; the kind is one of feeds.SCOPES.
    path(
        "abonnement/confirmer/<str:token>/",
        subscription_views.confirm,
        name="subscription-confirm",
    ),
    path(
        "abonnement/desabonner/<str:token>/",
        subscription_views.cancel,
        name="subscription-cancel",
    ),
    # After the two above: "confirmer" and "desabonner" are not kinds. Not "<key>": a
    # parameter so named is a credential, masked in the log (lib.logs), and this is a
    # commune's code or a page's slug.
    path("abonnement/<str:kind>/<str:code>/", subscription_views.subscribe, name="subscribe"),
    path("veille/courriel/", subscription_views.reviewer_digest, name="watch-digest-subscription"),
    path("intercommunalites/<str:siren>/", pages.epci_detail, name="epci-detail"),
    path("departements/", pages.department_list, name="department-list"),
    path("departements/<str:code>/", pages.department_detail, name="department-detail"),
    path("a-propos/donnees/", pages.about_data, name="about-data"),
    path("confidentialite/", pages.privacy, name="privacy"),
    path("mentions-legales/", pages.legal_notice, name="legal-notice"),
    path("code-source/", pages.source_code, name="source-code"),
    path("documents/", documents.document_list, name="document-list"),
    path("documents/envoi/", documents.document_upload, name="document-upload"),
    path("documents/<int:document_id>/", documents.document_detail, name="document-detail"),
    path(
        "documents/<int:document_id>/corriger/",
        documents.document_details,
        name="document-details",
    ),
    path(
        "documents/<int:document_id>/supprimer/",
        documents.document_delete,
        name="document-delete",
    ),
    path(
        "documents/<int:document_id>/pages/<int:number>.png",
        documents.document_page_image,
        name="document-page-image",
    ),
    path(
        "documents/<int:document_id>/original/",
        documents.document_original,
        name="document-original",
    ),
    path(
        "documents/<int:document_id>/publie.pdf",
        documents.document_published,
        name="document-published",
    ),
    path("documents/<int:document_id>/caviardage/", redaction.review, name="redaction-review"),
    path(
        "documents/<int:document_id>/caviardage/detecter/",
        redaction.suggest,
        name="redaction-suggest",
    ),
    path(
        "documents/<int:document_id>/caviardage/tout-accepter/",
        redaction.accept_all,
        name="redaction-accept-all",
    ),
    path("documents/<int:document_id>/caviardage/dessiner/", redaction.draw, name="redaction-draw"),
    path(
        "documents/<int:document_id>/caviardage/occurrences/",
        redaction.every_occurrence,
        name="redaction-every",
    ),
    path(
        "documents/<int:document_id>/caviardage/personnalites/",
        redaction.public_figure,
        name="redaction-public-figure",
    ),
    path("documents/<int:document_id>/publier/", redaction.publish, name="redaction-publish"),
    path("documents/<int:document_id>/depublier/", redaction.unpublish, name="redaction-unpublish"),
    path("caviardages/<int:redaction_id>/", redaction.decide, name="redaction-decide"),
    path("recherche/", documents.search, name="search"),
    path(
        "documents/<int:document_id>/suggestions/<int:entity_id>/accepter/",
        documents.entity_accept_view,
        name="document-entity-accept",
    ),
    path(
        "documents/<int:document_id>/suggestions/<int:entity_id>/rejeter/",
        documents.entity_reject_view,
        name="document-entity-reject",
    ),
    path(
        "documents/<int:document_id>/suggestions/<int:entity_id>/retablir/",
        documents.entity_restore_view,
        name="document-entity-restore",
    ),
    # The addresses before suggestions were grouped by document, still answered alike.
    path(
        "suggestions/<int:entity_id>/accepter/", documents.entity_accept_view, name="entity-accept"
    ),
    path(
        "suggestions/<int:entity_id>/rejeter/", documents.entity_reject_view, name="entity-reject"
    ),
    path("demandes/", access.request_list, name="request-list"),
    path("demandes/nouvelle/", access.request_create, name="request-create"),
    path("demandes/organismes/", access.body_statistics, name="request-bodies"),
    path("demandes/echeances/", access.dashboard, name="request-dashboard"),
    path("demandes/echeances/<str:token>.atom", access.deadline_feed, name="request-feed"),
    path("demandes/<int:request_id>/", access.request_detail, name="request-detail"),
    path("demandes/<int:request_id>/envoi/", access.request_send, name="request-send"),
    path("demandes/<int:request_id>/supprimer/", access.request_delete, name="request-delete"),
    path("demandes/<int:request_id>/evenement/", access.event_add, name="request-event"),
    path(
        "demandes/<int:request_id>/evenement/<int:event_id>/suppression/",
        access.event_delete,
        name="request-event-delete",
    ),
    path("demandes/<int:request_id>/reponse/", access.answer_upload, name="request-answer"),
    path("demandes/<int:request_id>/preuves/", access.proof_upload, name="request-proof"),
    path(
        "demandes/<int:request_id>/preuves/<int:attachment_id>/",
        access.proof_download,
        name="request-proof-file",
    ),
    path("demandes/<int:request_id>/saisine.pdf", access.referral_file, name="request-referral"),
    path(
        "demandes/<int:request_id>/courrier/<str:kind>/",
        access.request_letter,
        name="request-letter",
    ),
    path("demandes/series/<int:series_id>/", access.series_detail, name="series-detail"),
    path("demandes/series/<int:series_id>/envoi/", access.series_send, name="series-send"),
    path("demandes/series/<int:series_id>/supprimer/", access.series_delete, name="series-delete"),
    path("demandes/series/<int:series_id>/saisine/", access.series_refer, name="series-refer"),
    path("demandes/series/<int:series_id>/evenement/", access.series_event, name="series-event"),
    path("demandes/series/<int:series_id>/courrier/", access.series_letter, name="series-letter"),
    # Former addresses of series ("campagnes", a word kept for petitions).
    path("demandes/campagnes/<int:series_id>/", access.series_moved),
    path(
        "demandes/campagnes/<int:series_id>/courrier/",
        access.series_moved,
        {"rest": "courrier/"},
    ),
    path("exports/demandes.csv", access.requests_csv, name="export-requests-csv"),
    path("exports/dispositifs.csv", exports.deployments_csv, name="export-csv"),
    path("exports/dispositifs.geojson", exports.deployments_geojson, name="export-geojson"),
    path("exports/departements.csv", exports.departments_csv, name="export-departments-csv"),
    # The API's root and what its endpoints do not answer get its JSON error envelope,
    # not an HTML page (ninja's own root view raises the HTML 404).
    path("api/v1/", unmatched),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", unmatched),
    path("compte/", include("contrechamp.accounts.urls")),
    path("moderation/", include("contrechamp.moderation.urls")),
    path("veille/", include("contrechamp.watch.urls")),
    path("journal/taches/", ops.periodic_job_list, name="periodic-jobs"),
    path("journal/", include("contrechamp.audit.urls")),
    path("collectifs/", include("contrechamp.groups.urls")),
    path("signaler/", include("contrechamp.tips.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own: its old password counted as log-in's (a lockout).
    path("admin/password_change/", accounts.admin_password_change),
    path("admin/", admin.site.urls),
]

# A database that went away answers 503 with Retry-After, any other error the usual 500.
handler403 = "contrechamp.ops.errors.permission_denied"
handler500 = "contrechamp.ops.errors.server_error"
