import csv
import html
import io
import re

import pytest

from contrechamp.registry.filters import DeploymentFilters, FilterError
from contrechamp.registry.models import Deployment
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data


def titles(**filters):
    return [d.title for d in DeploymentFilters(**filters).apply(Deployment.objects.published())]


@pytest.mark.parametrize(
    "query",
    [
        "reconnaissance faciale",
        "Reconnaissance Faciale",
        "RECONNAISSANCE FACIALE",
        "reconnaissances faciales",
    ],
)
def test_it_finds_facial_recognition_whatever_the_case_and_number(db, query):
    found = titles(q=query)
    assert "Portique de reconnaissance faciale au lycée Ampère" in found
    assert "TAJ : traitement des antécédents judiciaires" in found


@pytest.mark.parametrize("query", ["caméra", "camera", "caméras", "CAMERAS"])
def test_it_matches_accents_and_plurals(db, query):
    found = titles(q=query)
    assert "Caméras fixes et mobiles à Forcalquier" in found
    assert "Caméras autour du point de collecte des déchets de Marcillac-Vallon" in found


def test_it_ranks_the_best_match_first_and_searches_places_and_vendors(db):
    assert titles(q="capteurs sonores")[0].startswith("S.O.F.T.")
    assert titles(q="Saint-Etienne")[:2] and all(
        "Étienne" in t or "S.O.F.T" in t for t in titles(q="Saint-Etienne")
    )
    assert titles(q="Serenicity") == ["S.O.F.T. : capteurs sonores à Tarentaize-Beaubrun-Couriot"]


def test_stop_words_alone_match_nothing(db):
    assert titles(q="le la les") == []


def test_the_index_follows_edits(db):
    d = deployment_create(data=deployment_data(title="Lecteurs de plaques au péage"), author=None)
    assert titles(q="péages") == [d.title]


def test_filters_combine(db):
    assert titles(technology="detection-sonore") == [
        "S.O.F.T. : capteurs sonores à Tarentaize-Beaubrun-Couriot"
    ]
    assert set(titles(department="13")) == {
        "Observatoire Big Data de la tranquillité publique",
        "Portique de reconnaissance faciale au lycée Ampère",
        "Vidéosurveillance algorithmique à Marseille (SNEF)",
    }
    assert titles(funder="feder-union-europeenne") == [
        "Observatoire Big Data de la tranquillité publique"
    ]
    assert titles(vendor="briefcam") == ["Vidéosurveillance algorithmique à Nîmes (Briefcam)"]
    assert titles(status="unlawful", department="06") == [
        "Portique de reconnaissance faciale à l'entrée d'un lycée de Nice"
    ]
    # Active in 2019: started before the end of 2019 and not ended before it.
    in_2019 = titles(year=2019)
    assert "Portique de reconnaissance faciale au lycée Ampère" in in_2019
    assert "Reporty : application de signalement vidéo à la police municipale" not in in_2019
    assert "Vidéosurveillance algorithmique à Nîmes (Briefcam)" in in_2019
    assert "Caméras fixes et mobiles à Forcalquier" not in in_2019


def test_active_in_a_year_leaves_out_the_not_begun_and_the_stopped_without_an_end(db):
    """ "Active in 2024" counted S.O.F.T., ruled unlawful in 2019 without an end date, and
    planned deployments (Forcalquier, planned for 2020) among those running (a new
    user's walk: a researcher would have quoted 14)."""
    from contrechamp.registry.models import Deployment

    in_2024 = titles(year=2024)
    assert "S.O.F.T. : capteurs sonores à Tarentaize-Beaubrun-Couriot" not in in_2024
    assert "Caméras fixes et mobiles à Forcalquier" not in in_2024
    shown = Deployment.objects.filter(title__in=in_2024)
    assert not shown.filter(status__in=("announced", "planned")).exists()
    assert not shown.filter(status__in=("suspended", "abandoned", "unlawful"), end_date="").exists()
    # A stopped one with its end date counts in the years it ran.
    soft = Deployment.objects.get(title__startswith="S.O.F.T.")
    assert soft.status == "unlawful" and soft.start_date.startswith("2019")
    Deployment.objects.filter(id=soft.id).update(end_date="2019-10")
    assert soft.title in titles(year=2019)
    assert soft.title not in titles(year=2020)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "deux mille"}, "year"),
        ({"status": "secret"}, "status"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_filters_are_refused_with_the_field_named(params, field):
    with pytest.raises(FilterError) as excinfo:
        DeploymentFilters.from_params(params)
    assert excinfo.value.field == field


@pytest.mark.parametrize(
    "query", ["vidéoprotection", "vidéo-protection", "video protection", "VIDÉO-SURVEILLANCE"]
)
def test_the_spellings_of_video_surveillance_find_its_deployments(db, query):
    """As in the library's search: a reader takes them for one thing (the registry held
    "vidéosurveillance" and "vidéoprotection Nice" found no deployment)."""
    found = titles(q=query)
    assert "Vidéosurveillance municipale de Nice" in found
    assert "Caméras fixes et mobiles à Forcalquier" in found


def test_a_name_of_the_field_and_a_place_find_the_deployment_of_both(db):
    assert titles(q="vidéoprotection Marseille") == [
        "Vidéosurveillance algorithmique à Marseille (SNEF)"
    ]
    assert set(titles(q="CSU")) == set(titles(q="centre de supervision urbain")) != set()
    assert titles(q="micros") == ["S.O.F.T. : capteurs sonores à Tarentaize-Beaubrun-Couriot"]


@pytest.mark.parametrize(
    "query", ['"a" OR b) & !c:* \'x', "NEAR(vidéo surveillance)", "a|b & (c", "'", "\\"]
)
def test_the_query_languages_of_the_engines_are_never_read_from_the_search_box(db, query):
    assert titles(q=query) == []


def test_the_search_pages_place_filter_holds_for_its_deployments(client, db):
    """The place filter of the search page narrowed the documents only: a search in the
    Bouches-du-Rhône listed Nice's deployments (a new user's walk)."""
    marseille = "Vidéosurveillance algorithmique à Marseille (SNEF)"
    nice = "Vidéosurveillance municipale de Nice"
    page = client.get("/recherche/", {"q": "vidéosurveillance", "place": "13"}).content.decode()
    assert marseille in page and nice not in page
    page = client.get("/recherche/", {"q": "vidéoprotection", "place": "06088"}).content.decode()
    assert nice in page and marseille not in page
    # An EPCI of Nice (its SIREN), as the documents' filter reads it.
    siren = Deployment.objects.get(title=nice).communes.get().epci.siren
    page = client.get("/recherche/", {"q": "vidéoprotection", "place": siren}).content.decode()
    assert nice in page and marseille not in page


def test_an_intercommunalitys_filter_holds_the_deployments_of_its_communes(client, db):
    """The EPCI filter of the list, the API and the exports held only the deployments
    that name the EPCI itself, where its page and the search page's place filter list
    those of its communes too: a search in Nice's metropolis showed Nice's cameras, and
    its link to "every deployment" opened a list without them."""
    from contrechamp.places.models import Epci

    nice = Deployment.objects.get(title="Vidéosurveillance municipale de Nice")
    siren = nice.communes.get().epci.siren
    assert not nice.epcis.filter(siren=siren).exists()  # the deployment names no EPCI
    assert nice.title in titles(epci=siren)
    page = client.get("/dispositifs/", {"epci": siren}).content.decode()
    assert nice.title in page
    api = client.get("/api/v1/deployments", {"epci": siren}).json()
    assert nice.slug in [row["slug"] for row in api["results"]]
    # A deployment that names the EPCI and none of its communes is still its own.
    other = Epci.objects.exclude(siren=siren).order_by("siren").first()
    assert other is not None and nice.title not in titles(epci=other.siren)
    nice.epcis.add(other)
    assert nice.title in titles(epci=other.siren)
    # The search page's deployments and its list are the same set.
    found = set(titles(q="vidéosurveillance", epci=siren))
    page = client.get("/recherche/", {"q": "vidéosurveillance", "place": siren})
    page = html.unescape(page.content.decode())
    shown = {t for t in titles(q="vidéosurveillance") if t in page}
    assert shown == found or (len(shown) == 5 and shown < found)


def test_a_communes_filter_holds_its_intercommunalitys_deployments_as_its_page_does(client, db):
    """The commune's page listed the deployments of its intercommunality, the list's
    commune filter did not (the hostile review of the EPCI filter)."""
    from contrechamp.places.models import Commune

    nice = Commune.objects.select_related("epci").get(code="06088")
    plain = {"technologies": ["hypervision"], "description": "Le CSU.", "vendors": []}
    metropolitan = deployment_create(
        data=deployment_data(
            title="CSU métropolitain", communes=[], epcis=[nice.epci.siren], **plain
        ),
        author=None,
    )
    Deployment.objects.filter(id=metropolitan.id).update(is_published=True)
    assert metropolitan.title in titles(commune="06088")
    assert metropolitan.title in html.unescape(client.get("/communes/06088/").content.decode())
    assert metropolitan.title in html.unescape(
        client.get("/dispositifs/", {"commune": "06088"}).content.decode()
    )
    assert metropolitan.title not in titles(commune="13055")
    # Both pages lead to the list they match.
    assert 'href="/dispositifs/?commune=06088"' in client.get("/communes/06088/").content.decode()
    page = client.get(f"/intercommunalites/{nice.epci.siren}/").content.decode()
    assert f'href="/dispositifs/?epci={nice.epci.siren}"' in page


def test_the_list_names_its_place_filters_keeps_them_and_lifts_them(client, db):
    """The search page's link opened /dispositifs/?epci=…: the list was filtered with no
    word of it on the page, and the form's next filter dropped the intercommunality."""
    nice = Deployment.objects.get(title="Vidéosurveillance municipale de Nice")
    epci = nice.communes.get().epci
    page = html.unescape(
        client.get(
            "/dispositifs/", {"epci": epci.siren, "technology": "videosurveillance"}
        ).content.decode()
    )
    assert f"{epci.name} ({epci.siren})" in page
    assert f'<input type="hidden" name="epci" value="{epci.siren}">' in page
    assert 'href="?technology=videosurveillance"' in page  # the filter lifted, the rest kept
    page = html.unescape(client.get("/dispositifs/", {"commune": "06088"}).content.decode())
    assert "Nice (06088)" in page and 'href="?"' in page
    assert "(06088)" not in html.unescape(client.get("/dispositifs/").content.decode())


def test_the_lists_exports_carry_its_filters(client, db):
    """The CSV and GeoJSON links of the list held a Python dict ("?%7B%27status…"), so
    every export gave every deployment whatever the page showed (a new user's walk)."""
    siren = (
        Deployment.objects.get(title="Vidéosurveillance municipale de Nice")
        .communes.get()
        .epci.siren
    )
    params = {"epci": siren, "status": "experimenting"}
    page = client.get("/dispositifs/", params).content.decode()
    shown = sum(title in html.unescape(page) for title in titles(**params))
    assert shown == len(titles(**params)) > 0
    for name in ("export-csv", "export-geojson"):
        link = re.search(rf'href="(/exports/[^"]*{name[7:]}[^"]*)"', page)
        assert link is not None, name
        url = html.unescape(link.group(1))
        assert f"epci={siren}" in url and "status=experimenting" in url
        body = b"".join(client.get(url).streaming_content).decode()
        assert "Nice" in body
    csv_url = html.unescape(re.search(r'href="(/exports/[^"]*csv[^"]*)"', page).group(1))
    rows = list(csv.reader(io.StringIO(b"".join(client.get(csv_url).streaming_content).decode())))
    rows = [row for row in rows if row and not row[0].startswith("#")]
    assert len(rows) - 1 == len(titles(**params))  # a header, then the deployments


def test_one_bad_field_of_the_list_leaves_the_other_filters_in_place(client, db):
    """A year typed "20l8" wiped every filter, the place included, and listed every
    deployment under the error (a new user's walk)."""
    siren = (
        Deployment.objects.get(title="Vidéosurveillance municipale de Nice")
        .communes.get()
        .epci.siren
    )
    response = client.get("/dispositifs/", {"epci": siren, "technology": "vsa", "year": "20l8"})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "« 20l8 »" in page or "“20l8”" in page
    assert f'name="epci" value="{siren}"' in page
    expected = titles(epci=siren, technology="vsa")
    assert expected and all(title in page for title in expected)
    assert "Marseille" not in page.split("</form>", 1)[1]


def test_a_query_the_list_refuses_shows_no_deployment_and_no_link_to_a_400(client, db):
    """The search page takes 300 characters, the list's search 200: its "every
    deployment" link opened a 400 page, and that page listed every deployment (a hostile
    review)."""
    query = "vidéosurveillance " * 14
    assert 200 < len(query.strip()) <= 300
    page = client.get("/recherche/", {"q": query}).content.decode()
    assert "/dispositifs/?" not in page
    assert re.search(r'class="notice" role="status">[^<]*\b200\b', page)  # it says so
    assert not any(title in html.unescape(page) for title in titles(q="vidéosurveillance"))
    assert client.get("/dispositifs/", {"q": query.strip()}).status_code == 400


def test_the_search_page_links_to_every_deployment_it_found(client, db):
    everywhere = titles(q="vidéosurveillance")
    assert len(everywhere) > 5
    page = client.get("/recherche/", {"q": "vidéosurveillance"}).content.decode()
    assert sum(title in page for title in everywhere) == 5
    assert 'href="/dispositifs/?q=vid%C3%A9osurveillance"' in page
    page = client.get("/recherche/", {"q": "vidéosurveillance", "place": "13"}).content.decode()
    assert "/dispositifs/?q=" not in page  # all of them are on the page


def test_a_name_of_several_words_is_found_as_a_phrase_not_as_scattered_words(db):
    """ "vidéo protection" stands for vidéoprotection; "vidéo anonyme, protection des
    données" does not (the demo's reporting app was found by "vidéoprotection"). (SQLite's
    index holds no stop words: "vidéo et protection" is a phrase there, not on
    PostgreSQL.)"""
    plain = {"technologies": ["detection-sonore"], "description": "Au marché.", "vendors": []}
    apart = deployment_create(
        data=deployment_data(title="Signalement vidéo anonyme, protection des données", **plain),
        author=None,
    )
    together = deployment_create(
        data=deployment_data(title="Vidéo protection du marché couvert", **plain), author=None
    )
    found = titles(q="vidéoprotection")
    assert together.title in found and apart.title not in found
    found = titles(q="centre de supervision urbain")
    assert set(found) == set(titles(q="CSU"))


def test_the_search_pages_place_is_typed_by_its_name_too(client, db):
    nice = "Vidéosurveillance municipale de Nice"
    for place in ("Nice", "nice", "06088", "Alpes-Maritimes", "06"):
        page = client.get("/recherche/", {"q": "vidéoprotection", "place": place}).content
        assert nice in page.decode(), place
    page = client.get("/recherche/", {"q": "caméras", "place": "Saint-Denis"}).content.decode()
    assert "93066" in page and "97411" in page and 'role="alert"' in page
    page = client.get("/recherche/", {"q": "caméras", "place": "Nulle-Part"}).content.decode()
    assert "Nulle-Part" in page and 'role="alert"' in page
    # An intercommunality by its name, as the field's label says (a new user's walk).
    epci = Deployment.objects.get(title=nice).communes.get().epci
    for place in (epci.name, epci.name.upper(), f"{epci.name} ({epci.siren})"):
        page = client.get("/recherche/", {"q": "vidéoprotection", "place": place}).content
        assert nice in page.decode() and 'role="alert"' not in page.decode(), place


def test_a_minus_sign_leaves_out_the_deployments_holding_a_word(client, db):
    """ "vidéosurveillance -Nice" listed Nice's deployment alone: the minus was read as a
    space, so the word to leave out was asked for. It now leaves the deployments holding
    it out, on the list, its exports, the API and the search page; a name of the field in
    any of its spellings, a name of several words as a phrase."""
    everywhere = set(titles(q="vidéosurveillance"))
    nice = "Vidéosurveillance municipale de Nice"
    assert nice in everywhere
    in_nice = set(titles(q="vidéosurveillance Nice"))
    assert nice in in_nice and everywhere - in_nice
    assert set(titles(q="vidéosurveillance -Nice")) == everywhere - in_nice
    assert set(titles(q="vidéosurveillance −nice")) == everywhere - in_nice
    # A phrase: "-Saint-Étienne" leaves out Saint-Étienne, not every "saint".
    stephanois = {t for t in everywhere if "Étienne" in t or "S.O.F.T" in t}
    without = set(titles(q="vidéosurveillance -Saint-Étienne"))
    assert without == everywhere - set(titles(q="vidéosurveillance Saint-Étienne"))
    # A name of the field in another spelling: "-vidéo-protection" leaves out them all.
    assert titles(q="drones -vidéoprotection") == titles(q="drones") != []
    # S.O.F.T.'s description says "vidéosurveillance".
    assert titles(q="capteurs") != [] and titles(q="capteurs -vidéo-protection") == []
    # Only a word to leave out: nothing is searched (not every deployment).
    assert titles(q="-Nice") == []
    # A hyphen inside a word, a dash between spaces: no exclusion.
    assert nice in titles(q="vidéo-surveillance Nice")
    assert nice in titles(q="vidéosurveillance - Nice")
    page = client.get("/dispositifs/", {"q": "vidéosurveillance -Nice"}).content.decode()
    assert nice not in page and html.escape(sorted(everywhere - in_nice)[0]) in page
    exported = client.get("/exports/dispositifs.csv", {"q": "vidéosurveillance -Nice"})
    exported_text = b"".join(exported.streaming_content).decode()
    assert exported.status_code == 200 and nice not in exported_text
    assert sorted(everywhere - in_nice)[0] in exported_text
    page = client.get("/recherche/", {"q": "vidéosurveillance -Nice"}).content.decode()
    assert nice not in page
    assert stephanois <= everywhere


def test_the_search_page_says_what_it_leaves_out_in_the_pages_language(client, db):
    """The page names the words a minus sign left out, in the quotation marks of its
    language, and says to write a word to look for when it is given none."""
    for language, marks in (("fr", "« Nice »"), ("en", "“Nice”")):
        page = client.get(
            "/recherche/", {"q": "caméras -Nice"}, HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        assert html.escape(marks) in page or marks in page
        other = "“Nice”" if language == "fr" else "« Nice »"
        assert other not in page and html.escape(other) not in page
    page = client.get("/recherche/", {"q": "-Nice"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Write at least one word to look for" in page and "No page matches" not in page
    page = client.get("/recherche/", {"q": "le la"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No page matches" in page and "Write at least one word" not in page
    page = client.get("/recherche/", {"q": "-Nice"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Écrivez au moins un mot à chercher" in page


def test_what_a_review_found_of_the_minus_sign_on_the_registry(client, db):
    """On PostgreSQL, "AI -Nice" listed every deployment without Nice: PostgreSQL drops
    "ai" from a query (a word of its own French list), and "ai & !nice" became "!nice".
    "-vidéoprotection" kept the deployments of algorithmic cameras, which the library's
    search leaves out; a phrase holding a name of the field excluded nothing."""
    assert titles(q="AI") == [] and titles(q="AI -Nice") == []
    assert titles(q="sont -Nice") == titles(q="sont")
    augmented = deployment_create(
        data=deployment_data(
            title="Caméras augmentées au port",
            description="Des caméras augmentées.",
            technologies=["vsa"],
        ),
        author=None,
    )
    assert augmented.title in titles(q="vidéoprotection")
    assert augmented.title not in titles(q="caméras -vidéoprotection")
    carnival = deployment_create(
        data=deployment_data(title="Un drone Nice au carnaval", description="Au carnaval."),
        author=None,
    )
    assert carnival.title in titles(q="carnaval")
    assert carnival.title not in titles(q='carnaval -"drone Nice"')
    assert carnival.title not in titles(q='carnaval -"drones Nice"')
    # The page says the words left out are any of them, and asks for nothing more when
    # a word was asked for.
    page = client.get(
        "/recherche/", {"q": "sont -Nice -Lyon"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Pages holding “Nice” or “Lyon” are left out." in page
    assert "Write at least one word" not in page
    page = client.get(
        "/recherche/", {"q": "caméras -Lyon -Nice -Paris"}, HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Les pages contenant « Lyon », « Nice » ou « Paris » sont écartées." in page


def test_a_misspelt_search_of_the_list_is_offered_the_words_that_find_deployments(db, client):
    """The home page's search box leads to the list: "reconnaisance faciale" found no
    deployment and said nothing more. The corrected words are offered, with the other
    filters kept, when they find published deployments."""
    page = client.get("/dispositifs/", {"q": "reconnaisance faciale", "status": "deployed"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Vouliez-vous dire" in text and "« reconnaissance faciale »" in text
    link = html.unescape(re.search(r'Vouliez-vous dire <a href="([^"]+)"', text).group(1))
    assert link == "/dispositifs/?q=reconnaissance+faciale&status=deployed"
    assert "TAJ" in client.get(link).content.decode()
    # A search that finds deployments, or whose corrected words find none, offers nothing.
    assert "Vouliez-vous dire" not in client.get("/dispositifs/?q=reconnaissance").content.decode()
    assert "Vouliez-vous dire" not in client.get("/dispositifs/?q=zzqxwv").content.decode()
    english = client.get("/dispositifs/?q=reconnaisance+faciale", HTTP_ACCEPT_LANGUAGE="en")
    assert "Did you mean" in english.content.decode()


def test_a_draft_never_makes_the_list_offer_a_correction(db, client, reviewer):
    """Only a draft deployment is in Perpignan: a visitor who types "Perpigan" must not
    learn from an offer that the registry holds something there."""
    deployment_create(
        data=deployment_data(
            title="Projet de caméras à Perpignan",
            description="Brouillon.",
            communes=["66136"],
            technologies=["videosurveillance"],
            is_published=False,
        ),
        author=reviewer,
    )
    assert "Vouliez-vous dire" not in client.get("/dispositifs/?q=Perpigan").content.decode()
    Deployment.objects.filter(title="Projet de caméras à Perpignan").update(is_published=True)
    assert "« Perpignan »" in client.get("/dispositifs/?q=Perpigan").content.decode()


def test_a_funding_shows_its_cents_and_french_punctuation(db, client, reviewer):
    """A new user's walk entered "12 500,50" and read "FIPD: 12 501 €": the cents were
    rounded away, and French puts a space before the colon."""
    deployment_create(
        data=deployment_data(
            title="Caméras financées au centime",
            fundings=[{"funder": "FIPD", "amount_eur": "12500.50", "programme": ""}],
        ),
        author=reviewer,
    )
    deployment = Deployment.objects.get(title="Caméras financées au centime")
    page = client.get(deployment.get_absolute_url()).content.decode()
    assert "FIPD</a>\u00a0: 12\u00a0500,50 €" in page
    english = client.get(deployment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content
    assert "FIPD</a>: 12,500.50 €" in english.decode()
    # A whole sum keeps no ",00".
    page = client.get("/dispositifs/").content.decode()
    assert ",00 €" not in page


def test_the_demo_datas_changes_speak_french(db, client):
    """The home page's latest changes read "— demo dataset" in the French page (a new
    user's walk): the demo's revisions are commented in French, as its data is."""
    page = client.get("/").content.decode()
    assert "demo dataset" not in page and "jeu de démonstration" in page


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
@pytest.mark.parametrize("ranked", [True, False])
def test_a_search_used_as_a_subquery_names_the_deployment_table_by_its_alias(
    db, monkeypatch, vendor, ranked
):
    """The exports and the map reuse the search inside a subquery, where Django renames
    the deployment table U0: a condition naming `registry_deployment` itself read
    "no such column" (review 57). Both engines' SQL is checked (PostgreSQL's compiled
    only on the other engine than the one the run uses; run on its own)."""
    from django.db import connection

    from contrechamp.places.models import Commune
    from contrechamp.registry.filters import search

    engine = connection.vendor
    monkeypatch.setattr(connection, "vendor", vendor)
    matches = search(Deployment.objects.published(), "caméras -Nice", ranked=ranked)
    sql = str(Commune.objects.filter(deployments__in=matches).query)
    inner = sql[sql.index("IN (SELECT") :]
    assert "U0" in inner
    assert "registry_deployment." not in inner and '"registry_deployment".' not in inner
    if vendor == engine:
        assert Commune.objects.filter(deployments__in=matches).exists()
