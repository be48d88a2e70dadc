"""Place pages: a commune, an intercommunality, a department, and the data credits.

They live here rather than in places because they read the registry (deployments, camera
counts) and their templates the access requests: places stays a data app at the bottom of
the layers (docs/architecture.md). Templates stay under templates/places/.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from contrechamp.groups.services import groups_in_commune, groups_in_department, groups_in_epci
from contrechamp.lib.parameters import ParameterError
from contrechamp.lib.source import source_archive
from contrechamp.lib.text import name_key
from contrechamp.places.models import Commune, Department, Epci, PlaceDataLoad
from contrechamp.places.services import places_sources
from contrechamp.registry.figures import (
    DEPARTMENT_ORDERS,
    ORDER_PARAMETER,
    DepartmentOrder,
    commune_cameras,
    commune_figures,
    department_figures,
    department_order,
    departments_coverage,
    departments_sorted,
    mix_of,
)
from contrechamp.registry.filters import DeploymentFilters
from contrechamp.registry.forms import parse_communes
from contrechamp.registry.models import CameraCount, Deployment, Technology

# Deployments a place page shows, the last changed first; the rest are on the list, filtered
# by the place (a department of a large city holds hundreds).
PLACE_DEPLOYMENTS = 20


def _first_deployments(filters: DeploymentFilters) -> dict[str, object]:
    """The place's first deployments, how many it has, and the list filtered to them."""
    published = filters.apply(Deployment.objects.published())
    shown = list(published.prefetch_related("communes", "technologies")[: PLACE_DEPLOYMENTS + 1])
    total = len(shown) if len(shown) <= PLACE_DEPLOYMENTS else published.count()
    return {
        "deployments": shown[:PLACE_DEPLOYMENTS],
        "deployments_total": total,
        "deployments_list": filters.list_url(),
    }


def _commune_of_code(code: str) -> Commune | None:
    """The commune a code names: its own, pasted in lower case ("2a004"), or a former
    commune's code (merged since) naming the commune it is part of today (they answered
    404)."""
    code = code.upper()
    commune = Commune.objects.filter(code=code).first()
    if commune is None and code.isalnum() and len(code) == 5:
        commune = Commune.objects.formerly(code).first()
    return commune


def commune_detail(request: HttpRequest, code: str) -> HttpResponse:
    commune = (
        Commune.objects.select_related("department", "epci", "parent").filter(code=code).first()
    )
    if commune is None:
        current = _commune_of_code(code)
        if current is None:
            raise Http404
        return redirect(current.get_absolute_url(), permanent=True)
    counts = list(CameraCount.objects.filter(commune=commune).prefetch_related("citations__source"))
    peak = max((c.count for c in counts), default=0)
    return render(
        request,
        "places/commune_detail.html",
        {
            "commune": commune,
            # The list's own filter (its and its intercommunality's), so that the link to
            # the list opens the same deployments.
            **_first_deployments(DeploymentFilters(commune=commune.code)),
            "counts": counts,
            "bars": [(c, 100 * c.count / peak if peak else 0) for c in counts],
            "figures": commune_figures(commune),
            "arrondissements": commune.arrondissements.order_by("code"),  # 1er, 2e… not 10e first
            "local_groups": groups_in_commune(commune),
        },
    )


def epci_detail(request: HttpRequest, siren: str) -> HttpResponse:
    epci = get_object_or_404(Epci, siren=siren)
    members = epci.communes.order_by("name_key", "name")
    counts = [f for f in commune_cameras() if f.commune.epci_id == epci.id]
    return render(
        request,
        "places/epci_detail.html",
        {
            "epci": epci,
            "members": members,
            **_first_deployments(DeploymentFilters(epci=epci.siren)),
            "counts": counts,
            "local_groups": groups_in_epci(epci),
        },
    )


def _department_order(request: HttpRequest) -> tuple[DepartmentOrder, str]:
    """The order of the departments' table the address asks for (`?tri=-cameras`), and
    why it is not followed ("" when it is). A page answers an unknown or repeated order
    with its usual one and says so above the table, rather than with a 400 (its CSV,
    an export, refuses them)."""
    values = request.GET.getlist(ORDER_PARAMETER)
    usual = _("The table is in its usual order, by code.")
    if len(values) > 1:
        return DepartmentOrder(), " ".join(
            (_("The order (“%s”) is given more than once.") % ORDER_PARAMETER, usual)
        )
    try:
        return department_order(values[0] if values else ""), ""
    except ParameterError as e:
        return DepartmentOrder(), " ".join((e.message, usual))


# What each order of the departments' table sorts by, as a sentence names it: the
# column's title is out of sight on a phone, where the table scrolls sideways.
ORDER_NAMES = {
    "nom": gettext_lazy("name"),
    "code": gettext_lazy("code"),
    "cameras": gettext_lazy("cameras"),
    "pour-1000": gettext_lazy("cameras per 1,000 inhabitants"),
    "par-km2": gettext_lazy("cameras per km²"),
    "couverture": gettext_lazy("share of the inhabitants counted"),
}


def _order_text(order: DepartmentOrder) -> str:
    name = ORDER_NAMES[order.key]
    if order.descending:
        return _("Sorted by %(name)s, descending.") % {"name": name}
    return _("Sorted by %(name)s, ascending.") % {"name": name}


def _order_links(order: DepartmentOrder) -> dict[str, dict[str, str]]:
    """For each column one may sort by: the address of its link and, for the column
    the table is sorted by, its `aria-sort` ("ascending" or "descending"); by the order's
    name with "_" for "-", as a template reads it (`order_links.pour_1000`)."""
    base = reverse("department-list")
    links = {}
    for key in DEPARTMENT_ORDERS:
        value = order.link(key)
        links[key.replace("-", "_")] = {
            "href": base + (f"?{urlencode({ORDER_PARAMETER: value})}" if value else ""),
            "sort": ("descending" if order.descending else "ascending") if key == order.key else "",
        }
    return links


def department_list(request: HttpRequest) -> HttpResponse:
    """The departments, and a box to find a commune: a name or a code typed and sent
    opens the commune's page (Enter opened the list of every deployment, unfiltered, as
    if those were the results: a new user's walk); a name several communes bear, or none,
    is said under the box."""
    typed = request.GET.get("q", "").strip()[:100]
    errors: list[str] = []
    close: list[Commune] = []
    if typed:
        # (The names close to it are offered below as links, looked for once.)
        codes, errors = parse_communes(typed, suggest=False)
        commune = _commune_of_code(codes[0]) if codes else None
        if commune is not None and not errors:
            return redirect(commune.get_absolute_url())
        # A slip of the keyboard ("Villeurbane"): the communes of a name close to it,
        # as links (the form's message names them as text).
        key = name_key(typed)
        named = codes or Commune.objects.filter(name_key=key).exists()
        close = [] if named else Commune.objects.named_like(key)
        if close or not errors:
            errors = [_("No commune is named “%s”.") % typed]
    # Deployments as each department's page lists them: those of its communes and of their
    # intercommunalities (one naming the metropolis alone was on the page, not counted).
    figures = department_figures()
    order, order_error = _department_order(request)
    csv_link = reverse("export-departments-csv")
    if order.value:
        # The file in the order the reader chose (the export takes the same parameter).
        csv_link += f"?{urlencode({ORDER_PARAMETER: order.value})}"
    return render(
        request,
        "places/department_list.html",
        {
            "figures": departments_sorted(figures, order),
            "coverage": departments_coverage(figures),
            "order": order,
            "order_error": order_error,
            "order_links": _order_links(order),
            "order_text": _order_text(order),
            "csv_link": csv_link,
            "typed": typed,
            "errors": errors,
            "close": close,
        },
        # A name that is no commune's is a search without a result, not a bad request
        # (a browser's console reported each as an error).
        status=200,
    )


def department_detail(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.upper() and Department.objects.filter(code=code.upper()).exists():
        return redirect("department-detail", code.upper(), permanent=True)  # "2a"
    department = get_object_or_404(Department.objects.select_related("region"), code=code)
    counts = [f for f in commune_cameras() if f.commune.department_id == department.id]
    communes = (
        Commune.objects.filter(department=department, deployments__is_published=True)
        .annotate(n=Count("deployments", distinct=True))
        .order_by("-n", "name_key", "name")
    )
    return render(
        request,
        "places/department_detail.html",
        {
            "department": department,
            **_first_deployments(DeploymentFilters(department=department.code)),
            "counts": counts,
            "figures": department_figures(department)[0],
            "communes": communes,
            "local_groups": groups_in_department(department),
        },
    )


def privacy(request: HttpRequest) -> HttpResponse:
    """What the instance keeps about the people who use it, and how to have it back or
    removed (a walk found no such page, nor any address to write to)."""
    return render(request, "pages/privacy.html")


def legal_notice(request: HttpRequest) -> HttpResponse:
    """The legal notice a French site must publish (LCEN, article 6 III), from the
    settings; what the instance has not given is said to be missing, not left blank."""
    fields = [
        ("publisher", _("Publisher"), settings.LEGAL_PUBLISHER),
        ("director", _("Director of publication"), settings.LEGAL_DIRECTOR),
        ("host", _("Host"), settings.LEGAL_HOST),
    ]
    return render(
        request,
        "pages/legal_notice.html",
        {"fields": fields, "missing": [label for _key, label, value in fields if not value]},
    )


@require_safe
def source_code(request: HttpRequest) -> HttpResponse:
    """The source of the code this instance runs, as a .tar.gz (AGPL-3.0 section 13), or
    the address where the operator publishes it (SOURCE_CODE_URL)."""
    if settings.SOURCE_CODE_URL:
        return redirect(settings.SOURCE_CODE_URL)
    response = HttpResponse(
        source_archive(settings.PACKAGE_DIR, settings.DATA_DIR), content_type="application/gzip"
    )
    response["Content-Disposition"] = 'attachment; filename="contrechamp-source.tar.gz"'
    return response


def about_data(request: HttpRequest) -> HttpResponse:
    counts = commune_cameras()
    return render(
        request,
        "places/about_data.html",
        {
            "load": PlaceDataLoad.objects.order_by("-loaded_at").first(),
            "sources": places_sources(),
            "site_url": settings.SITE_URL.rstrip("/"),
            # Every figure the national total adds up, with its perimeter (the home
            # page, the departments and a commune's rank link here).
            "counts": sorted(counts, key=lambda f: (f.commune.name_key, f.commune.code)),
            "mix": mix_of(counts),
            # What the codes of the exports and the API mean ("unlawful", "lapi"): a
            # walk looked for them on this page.
            "statuses": Deployment.STATUSES,
            "technologies": Technology.objects.all(),
        },
    )
