import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from contrechamp.places.models import Commune, Department, Epci, Region
from contrechamp.places.services import places_load


def test_it_loads_every_current_commune_and_arrondissement(db):
    assert Commune.objects.count() == 35014
    assert Commune.objects.filter(kind="arrondissement").count() == 45
    assert Epci.objects.count() == 1255
    assert Department.objects.count() == 109
    assert Region.objects.count() == 26


def test_it_gives_an_area_to_every_commune_the_reference_file_covers(db):
    # The reference README: 34,868 of 35,014 get an area; arrondissements, overseas
    # collectivities and communes created since 2018 stay empty.
    assert Commune.objects.filter(area_km2__isnull=False).count() == 34868
    assert not Commune.objects.filter(kind="arrondissement", area_km2__isnull=False).exists()


def test_it_sums_the_areas_of_merged_communes(db):
    # Valserhône (01033) was created in 2019 from Bellegarde-sur-Valserine (01033),
    # Châtillon-en-Michaille (01091) and Lancrans (01205): the 2018 file has three rows.
    valserhone = Commune.objects.get(code="01033")
    assert set(valserhone.former_codes.split()) >= {"01091", "01205"}
    assert valserhone.area_km2 == round(15.456 + 9.712 + 37.794, 3)
    # A commune that did not merge keeps the area of its own row.
    assert Commune.objects.get(code="42218").area_km2 == 80.106


def test_it_records_population_siren_epci_and_country(db):
    nice = Commune.objects.select_related("department", "epci").get(code="06088")
    assert nice.name == "Nice"
    assert nice.population > 300_000
    assert nice.siren == "210600888"
    assert nice.department.code == "06"
    assert nice.epci.kind == "METRO"
    assert nice.country == "FR" and nice.department.country == "FR"
    assert 70 < nice.area_km2 < 76
    assert Commune.objects.get(code="13201").parent.code == "13055"


def test_it_is_idempotent_and_quick_when_nothing_changed(db):
    before = list(Commune.objects.order_by("code").values_list("id", flat=True)[:100])
    # Quick because nothing is loaded again: a look at the last load, no write (a time
    # bound said less: a full load takes 4 s here, more on a loaded machine).
    with CaptureQueriesContext(connection) as queries:
        _, changed = places_load()
    assert changed is False
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert len(statements) <= 3 and set(statements) == {"SELECT"}, statements
    _, changed = places_load(force=True)
    assert changed is True
    assert list(Commune.objects.order_by("code").values_list("id", flat=True)[:100]) == before
    assert Commune.objects.count() == 35014


def test_a_department_or_a_region_follows_de_as_french_writes_it(db):
    # The official linking type of each name (typeLiaison), not one form for all: letters
    # were addressed to "Préfecture (Alpes-Maritimes)".
    from contrechamp.places.services import of_area

    departments = {d.code: of_area(d) for d in Department.objects.all()}
    assert departments["01"] == "de l'Ain"
    assert departments["06"] == "des Alpes-Maritimes"
    assert departments["35"] == "d'Ille-et-Vilaine"
    assert departments["42"] == "de la Loire"
    assert departments["59"] == "du Nord"
    assert departments["77"] == "de Seine-et-Marne"
    assert departments["90"] == "du Territoire de Belfort"
    assert departments["974"] == "de La Réunion"
    regions = {r.code: of_area(r) for r in Region.objects.all()}
    assert regions["11"] == "d'Île-de-France"
    assert regions["32"] == "des Hauts-de-France"
    assert regions["24"] == "du Centre-Val de Loire"
    assert regions["28"] == "de Normandie"
    # No name is left with "de" before a vowel, nor with its own article doubled.
    for text in [*departments.values(), *regions.values()]:
        assert not re.match(r"de [AEIOUYÉÎ]", text), text
        assert not re.match(r"(du|des|de la|de l') (Le|La|Les|L')\b", text), text


def test_the_council_of_an_area_is_the_body_that_sits_there(db):
    # A review found letters to "Conseil départemental de Paris" and "de la Guyane",
    # bodies that do not exist (the Conseil de Paris; single collectivities since 2015).
    from contrechamp.places.services import council_name

    departments = {
        d.code: council_name("department", d.code, d.name) for d in Department.objects.all()
    }
    assert departments["42"] == "Conseil départemental de la Loire"
    assert departments["75"] == "Conseil de Paris"
    assert departments["973"] == "Collectivité territoriale de Guyane"
    assert departments["2A"] == departments["2B"] == "Collectivité de Corse"
    assert departments["976"] == "Conseil départemental de Mayotte"
    regions = {r.code: council_name("region", r.code, r.name) for r in Region.objects.all()}
    assert regions["11"] == "Conseil régional d'Île-de-France"
    assert regions["94"] == "Collectivité de Corse"
    assert regions["988"] == "Congrès de la Nouvelle-Calédonie"
    assert regions["06"] == "Conseil départemental de Mayotte"
