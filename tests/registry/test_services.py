import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from contrechamp.registry.models import Citation, Deployment, Organisation, Revision, Source
from contrechamp.registry.services import (
    StaleEdit,
    camera_count_create,
    deployment_create,
    deployment_revert,
    deployment_snapshot,
    deployment_update,
    organisation_update,
)
from tests.factories import deployment_data


@pytest.fixture(autouse=True)
def _english():
    # The messages are asserted in English whatever language an earlier test left active
    # (the site's default is French).
    with translation.override("en"):
        yield


def _errors(data):
    with pytest.raises(ValidationError) as excinfo:
        deployment_create(data=data, author=None)
    return excinfo.value.message_dict


def test_it_creates_a_deployment_with_its_citation_and_first_revision(contributor):
    d = deployment_create(data=deployment_data(), author=contributor, comment="from minutes")
    assert d.version == 1
    assert list(d.communes.values_list("code", flat=True)) == ["69123"]
    assert d.citations.get().source.url == "https://example.org/deliberation-2024-03"
    assert d.fundings.get().funder.kind == "funder"
    revision = Revision.objects.get(kind="deployment", object_id=d.id)
    assert revision.author == contributor and revision.comment == "from minutes"
    assert revision.snapshot["title"] == "Caméras augmentées place Bellecour"


def test_an_address_spells_out_the_letters_slugify_would_drop(contributor):
    # "cœur" gave "cur", "Œuvre" gave "uvre"; the same title twice gets its own address.
    first = deployment_create(
        data=deployment_data(title="Caméras du cœur de ville : l’Œuvre d’Æsop"), author=contributor
    )
    assert first.slug == "cameras-du-coeur-de-ville-loeuvre-daesop"
    again = deployment_create(
        data=deployment_data(title="Caméras du cœur de ville : l’Œuvre d’Æsop"), author=contributor
    )
    assert again.slug == "cameras-du-coeur-de-ville-loeuvre-daesop-2"
    # A title of no letter at all still gets an address.
    assert deployment_create(data=deployment_data(title="« — »"), author=contributor).slug


def test_it_refuses_a_published_deployment_without_citation(db):
    before = Deployment.objects.count()
    errors = _errors(deployment_data(citations=[]))
    assert "cites at least one source" in errors["citations"][0]
    assert Deployment.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("communes", ["99999"], "No commune has the INSEE code “99999”."),
        ("start_date", "2019-13", "no month 13"),
        ("start_date", "mars 2019", "is not a date"),
        ("end_date", "2019-02-30", "not a day of the calendar"),
        ("title", "x" * 301, "too long"),
        ("status", "whatever", "Choose a status"),
        ("technologies", ["teleportation"], "Unknown technology"),
        ("technologies", [], "at least one technology"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message_and_saves_nothing(db, field, value, message):
    counts = (Deployment.objects.count(), Source.objects.count(), Organisation.objects.count())
    errors = _errors(deployment_data(**{field: value}))
    assert any(message in m for m in errors[field])
    assert counts == (
        Deployment.objects.count(),
        Source.objects.count(),
        Organisation.objects.count(),
    )


def test_it_refuses_a_bad_citation_url_and_a_bad_amount(db):
    data = deployment_data()
    data["citations"][0]["source"]["url"] = "javascript:alert(1)"
    data["fundings"][0]["amount_eur"] = "beaucoup"
    errors = _errors(data)
    assert "is not a web address" in errors["citations.0"][0]
    assert "not an amount" in errors["fundings.0.amount_eur"][0]


def test_it_refuses_a_local_deployment_without_place_but_accepts_a_national_one(db):
    errors = _errors(deployment_data(communes=[]))
    assert "at least one commune" in errors["communes"][0]
    d = deployment_create(data=deployment_data(communes=[], scope="national"), author=None)
    assert d.scope == "national"


def test_it_keeps_script_tags_out_of_rendered_markdown(client, db):
    d = deployment_create(
        data=deployment_data(
            description="Bonjour <script>alert('x')</script> [lien](javascript:alert(1)) **gras**"
        ),
        author=None,
    )
    html = client.get(d.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "javascript:alert" not in html
    assert "<strong>gras</strong>" in html
    # The link's words stay, not a link without an address styled as one (a walk).
    from contrechamp.lib.markdown import render_markdown

    rendered = render_markdown(
        "[lien](javascript:alert(1)) [d](data:text/html,x) [ok](https://x.org)"
    )
    assert rendered.startswith('<p>lien d <a href="https://x.org"')


def test_it_refuses_a_stale_edit_and_says_what_changed(contributor, other_contributor):
    d = deployment_create(data=deployment_data(), author=contributor)
    # Two people open version 1; the first saves.
    deployment_update(
        deployment=d,
        data=deployment_data(status="deployed"),
        base_version=1,
        author=other_contributor,
        comment="now deployed",
    )
    with pytest.raises(StaleEdit) as excinfo:
        deployment_update(
            deployment=d,
            data=deployment_data(title="Autre titre"),
            base_version=1,
            author=contributor,
        )
    assert excinfo.value.current_version == 2
    assert excinfo.value.changes == [
        {"field": "status", "before": "experimenting", "after": "deployed"}
    ]
    d.refresh_from_db()
    assert (d.title, d.status, d.version) == ("Caméras augmentées place Bellecour", "deployed", 2)


def test_it_reverts_to_an_old_version_as_a_new_version(contributor):
    d = deployment_create(data=deployment_data(), author=contributor)
    d = deployment_update(
        deployment=d,
        data=deployment_data(
            title="Titre faux",
            citations=[{"source": {"title": "Rumeur"}, "quote": "", "locator": ""}],
        ),
        base_version=1,
        author=contributor,
    )
    d = deployment_revert(deployment=d, version=1, base_version=d.version, author=contributor)
    assert d.version == 3
    assert d.title == "Caméras augmentées place Bellecour"
    assert [c.source.title for c in Citation.objects.filter(deployment=d)] == [
        "Délibération du conseil municipal"
    ]
    assert Revision.objects.get(kind="deployment", object_id=d.id, version=3).comment == (
        "reverted to version 1"
    )

    # The same content; the citation removed in version 2 comes back as a new row.
    def content(snapshot):
        return {**snapshot, "citations": [{**c, "id": None} for c in snapshot["citations"]]}

    assert content(deployment_snapshot(d)) == content(
        Revision.objects.get(kind="deployment", object_id=d.id, version=1).snapshot
    )


def test_it_stores_a_source_once_across_citations(db):
    before = Source.objects.count()
    deployment_create(data=deployment_data(), author=None)
    deployment_create(data=deployment_data(title="Autre dispositif"), author=None)
    assert Source.objects.count() == before + 1


def test_organisations_have_history_and_refuse_stale_edits(contributor):
    org = Organisation.objects.get(name="Wintics")
    org = organisation_update(
        organisation=org, data={"siren": "830787512"}, base_version=org.version, author=contributor
    )
    with pytest.raises(StaleEdit):
        organisation_update(
            organisation=org,
            data={"website": "https://example.org"},
            base_version=org.version - 1,
            author=contributor,
        )
    assert Revision.objects.filter(kind="organisation", object_id=org.id).count() == 2


def test_a_camera_count_needs_a_source_a_date_and_a_real_commune(contributor):
    with pytest.raises(ValidationError) as excinfo:
        camera_count_create(
            commune_code="00000", count="beaucoup", date="hier", citations=[], author=contributor
        )
    errors = excinfo.value.message_dict
    assert set(errors) == {"commune", "count", "date", "citations"}
    count = camera_count_create(
        commune_code="42218",
        count="1 200",
        date="2021-06",
        citations=[{"source": {"title": "Rapport annuel"}, "quote": "1 200 caméras"}],
        author=contributor,
    )
    assert count.count == 1200 and count.citations.count() == 1


def test_a_camera_count_too_large_says_its_bounds(contributor, english):
    """99999999999 was refused as "not a whole number" (a new user's walk). (A figure
    dated in the future is flagged for the reviewer: tests/moderation/test_warnings.py.)"""
    source = [{"source": {"title": "Rapport annuel"}, "quote": "caméras"}]
    with pytest.raises(ValidationError) as excinfo:
        camera_count_create(
            commune_code="42218",
            count="99999999999",
            date="2021",
            citations=source,
            author=contributor,
        )
    assert "between 0 and" in excinfo.value.message_dict["count"][0]
    with pytest.raises(ValidationError) as excinfo:
        camera_count_create(
            commune_code="42218", count="douze", date="2021", citations=source, author=contributor
        )
    assert "whole number" in excinfo.value.message_dict["count"][0]
