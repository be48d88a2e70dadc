"""Camera figures: the latest count, cities with arrondissements, no inhabitant, dates
after today (review 57)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from contrechamp.lib.partialdate import partial_date_after
from contrechamp.places.models import Commune
from contrechamp.registry.figures import commune_cameras, commune_figures, national_figures
from contrechamp.registry.models import CameraCount, Deployment
from contrechamp.registry.services import camera_count_create, deployment_create
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db

CITATION = [{"source": {"title": "Rapport", "url": "https://example.org/r"}, "quote": ""}]


def _count(code: str, n: int, date: str) -> CameraCount:
    return camera_count_create(
        commune_code=code, count=n, date=date, citations=CITATION, author=None
    )


def _figure(code: str):
    return next(f for f in commune_cameras() if f.commune.code == code)


def test_it_tells_a_partial_date_after_a_day():
    day = dt.date(2025, 6, 3)
    assert [partial_date_after(v, day) for v in ("2026", "2025-07", "2025-06-04")] == [True] * 3
    assert not any(partial_date_after(v, day) for v in ("2025", "2025-06", "2025-06-03", ""))


def test_a_count_dated_after_today_is_refused_and_today_is_accepted():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as e:
        _count("04088", 5, tomorrow.isoformat())
    assert "postérieure à aujourd’hui" in str(e.value.message_dict["date"])
    assert _count("04088", 5, timezone.localdate().isoformat()).count == 5
    assert _count("04088", 6, str(timezone.localdate().year)).count == 6


@pytest.mark.parametrize(
    ("language", "message"),
    [("fr", "postérieure à aujourd’hui"), ("en", "is after today")],
)
def test_the_form_says_a_date_after_today_is_refused(contributor_client, language, message):
    contributor_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = contributor_client.post(
        reverse("camera-count-create"),
        {
            "commune": "Forcalquier (04088)",
            "count": "12",
            "date": str(timezone.localdate().year + 1),
            "perimeter": "",
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-source_title": "Bulletin municipal",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CameraCount.all_objects.filter(commune__code="04088").exists()


def test_a_count_stored_with_a_date_after_today_is_never_the_latest():
    _count("04088", 12, "2023")
    CameraCount.objects.create(commune=Commune.objects.get(code="04088"), count=900, date="2042")
    assert _figure("04088").count == 12
    assert commune_figures(Commune.objects.get(code="04088")).count.date == "2023"
    assert national_figures()["latest_count_date"] != "2042"


def test_a_city_counts_once_whatever_its_arrondissements_count():
    before = national_figures()
    _count("75101", 50, "2024")  # newer than Paris's 2018, but one arrondissement of 20
    after = national_figures()
    assert (after["cameras_counted"], after["communes_counted"]) == (
        before["cameras_counted"],
        before["communes_counted"],
    )
    paris = _figure("75056")
    assert (paris.count, paris.date, paris.parts) == (1000, "2018", 0)
    assert "75101" not in [f.commune.code for f in commune_cameras()]


def test_a_city_whose_every_arrondissement_has_a_newer_count_is_their_sum():
    before = national_figures()
    codes = Commune.objects.filter(parent__code="75056").values_list("code", flat=True)
    assert len(codes) == 20
    for i, code in enumerate(sorted(codes)):
        _count(code, 100, "2023" if i == 0 else "2024")
    paris = _figure("75056")
    assert (paris.count, paris.date, paris.parts, paris.parts_of) == (2000, "2023", 20, 20)
    after = national_figures()
    assert after["cameras_counted"] == before["cameras_counted"] - 1000 + 2000
    assert after["communes_counted"] == before["communes_counted"]


def test_a_city_without_a_count_of_its_own_adds_up_its_arrondissements(client):
    _count("69381", 30, "2022")
    _count("69382", 40, "2023")
    lyon = _figure("69123")
    assert (lyon.count, lyon.date, lyon.parts, lyon.parts_of) == (70, "2022", 2, 9)
    html = client.get("/departements/69/").content.decode()
    table = html[html.index("Comptages de caméras") :]
    table = table[: table.index("</table>")]
    assert table.count('href="/communes/69123/"') == 1 and "/communes/69381/" not in table
    html = client.get("/communes/69123/").content.decode()
    assert "somme des chiffres de 2 de ses 9 arrondissements" in html
    # The arrondissement's own page shows its own count, unranked.
    assert commune_figures(Commune.objects.get(code="69381")).count.count == 30
    assert commune_figures(Commune.objects.get(code="69381")).rank is None


def test_a_deployment_of_an_arrondissement_and_one_of_its_city_concern_one_commune():
    before = national_figures()["communes"]
    already = (
        Deployment.objects.published()
        .filter(Q(communes__code="75056") | Q(communes__parent__code="75056"))
        .exists()
    )
    deployment_create(data=deployment_data(title="A", communes=["75056"]), author=None)
    deployment_create(data=deployment_data(title="B", communes=["75104"]), author=None)
    assert national_figures()["communes"] == before + (0 if already else 1)


def test_a_commune_of_no_inhabitant_has_no_figure_per_inhabitant_nor_rank(client):
    _count("55189", 4, "2024")
    _count("04088", 12, "2024")
    fleury = commune_figures(Commune.objects.get(code="55189"))
    assert fleury.count.count == 4 and fleury.per_1000 is None and fleury.rank is None
    forcalquier = commune_figures(Commune.objects.get(code="04088"))
    assert forcalquier.rank == 1 and forcalquier.rank_of == 1  # Fleury is not a peer
    assert "aucun habitant" in client.get("/communes/55189/").content.decode()
    html = client.get("/departements/55/").content.decode()
    assert "Fleury-devant-Douaumont" in html


def test_the_home_page_says_the_years_its_total_adds_up(client):
    """A new user's walk (session 37): "3 255 in 3 communes, latest figure: 14 March
    2024" added Nice's and Paris's figures of 2018 to one of 2024 under the newest
    date."""
    CameraCount.all_objects.all().delete()
    _count("04088", 12, "2018")
    _count("06088", 300, "2024-03-14")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "each one&#x27;s latest figure, from 2018 to 2024" in page or (
        "each one's latest figure, from 2018 to 2024" in page
    )
    assert "latest figure: 14 March 2024" not in page


def test_the_home_page_gives_the_date_when_every_figure_is_of_one_year(client):
    CameraCount.all_objects.all().delete()
    _count("04088", 12, "2024-01-10")
    _count("06088", 300, "2024-03-14")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "latest figure: 14 March 2024" in page
