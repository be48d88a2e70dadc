"""Each plausibility warning on real-looking changes, and its absence on a plausible one."""

import pytest
from django.core.exceptions import ValidationError

from contrechamp.moderation.warnings import amount_warnings, proposal_warnings
from contrechamp.registry.models import CameraCount, Proposal
from contrechamp.registry.proposals import camera_count_propose, deployment_submit
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data

MEDIAPART = (
    "https://blogs.mediapart.fr/felix-treguer/blog/070718/"
    "la-smart-city-policiere-se-repand-comme-trainee-de-poudre"
)


def _kinds(proposal) -> list[str]:
    return [w.kind for w in proposal_warnings(proposal)]


def _submitted(author, **overrides):
    draft = deployment_create(data=deployment_data(is_published=False, **overrides), author=author)
    return deployment_submit(deployment=draft, author=author)


def _count(author, count: int, date: str = "2024"):
    _record, proposal = camera_count_propose(
        author=author,
        commune_code="06088",
        count=count,
        date=date,
        perimeter="Ville de Nice",
        citations=[
            {
                "source": {"title": "Nice-Matin", "url": f"https://example.org/nice-{count}"},
                "quote": f"{count} caméras",
            }
        ],
    )
    return proposal


def test_a_camera_count_jumping_past_the_factor_is_flagged(newcomer):
    # Nice's latest accepted count is 2,030 (2018).
    jump = proposal_warnings(_count(newcomer, 9000))
    assert [w.kind for w in jump] == ["count_jump"]
    assert "2030" in jump[0].message and "9000" in jump[0].message
    assert "count_jump" in _kinds(_count(newcomer, 500))  # down by more than ×3 too
    assert _kinds(_count(newcomer, 3900)) == []  # nearly doubled: plausible


def test_the_jump_factor_is_a_setting(newcomer, settings):
    settings.MODERATION_COUNT_JUMP = 10
    assert _kinds(_count(newcomer, 9000)) == []


def test_a_date_in_the_future_is_flagged(newcomer):
    assert "future_date" in _kinds(_submitted(newcomer, start_date="2031-09"))
    # A count dated after today is refused when entered (review 57); one proposed before
    # that rule, still waiting, is flagged.
    with pytest.raises(ValidationError):
        _count(newcomer, 2100, date="2035")
    waiting = _count(newcomer, 2100)
    CameraCount.all_objects.filter(id=waiting.object_id).update(date="2035")
    Proposal.objects.filter(id=waiting.id).update(data={**waiting.data, "date": "2035"})
    waiting.refresh_from_db()
    assert "future_date" in _kinds(waiting)
    assert "future_date" not in _kinds(_submitted(newcomer, title="B", start_date="2024-03"))


def test_a_date_before_1990_is_flagged_for_a_digital_technology_only(newcomer):
    assert "early_date" in _kinds(_submitted(newcomer, start_date="1985", technologies=["vsa"]))
    analogue = _submitted(
        newcomer, title="Caméras 1985", start_date="1985", technologies=["videosurveillance"]
    )
    assert "early_date" not in _kinds(analogue)


def test_an_amount_out_of_range_is_flagged(newcomer):
    huge = _submitted(
        newcomer,
        fundings=[{"funder": "FIPD", "amount_eur": "2000000000", "programme": ""}],
    )
    assert "amount" in _kinds(huge)
    # The same sum is plausible for nothing, a small one for everything.
    assert "amount" not in _kinds(_submitted(newcomer, title="Petit"))
    # A negative amount (the form refuses it; an import or an old revision may hold one).
    negative = amount_warnings(
        {"technologies": ["vsa"], "fundings": [{"funder": "FIPD", "amount_eur": "-4500.00"}]}
    )
    assert [w.kind for w in negative] == ["amount"]
    # The bound depends on the technology: 8 M€ is a lot for a reporting app only.
    app = {"fundings": [{"funder": "Région", "amount_eur": "8000000.00"}]}
    assert amount_warnings({**app, "technologies": ["application-signalement"]})
    assert not amount_warnings({**app, "technologies": ["videosurveillance"]})


def test_a_deployment_duplicating_one_in_the_same_place_is_flagged(newcomer):
    twin = _submitted(
        newcomer,
        title="Safe City Nice (Thales)",
        communes=["06088"],
        technologies=["hypervision"],
        vendors=["Thales"],
    )
    warnings = proposal_warnings(twin)
    duplicates = [w for w in warnings if w.kind == "duplicate"]
    assert len(duplicates) == 1 and "Safe City de Nice" in duplicates[0].message
    assert duplicates[0].url.startswith("/dispositifs/")
    other_vendor = _submitted(
        newcomer,
        title="Hypervision Nice (Idemia)",
        communes=["06088"],
        technologies=["hypervision"],
        vendors=["Idemia"],
    )
    assert "duplicate" not in _kinds(other_vendor)


def test_a_source_already_cited_for_something_else_is_flagged(newcomer):
    reused = _submitted(
        newcomer,
        title="Caméras du port de Lyon",
        citations=[
            {
                "source": {"title": "Mediapart", "url": MEDIAPART},
                "quote": "la smart city policière",
            }
        ],
    )
    warnings = [w for w in proposal_warnings(reused) if w.kind == "source_reused"]
    assert warnings and MEDIAPART in warnings[0].message
    assert "source_reused" not in _kinds(_submitted(newcomer, title="Source neuve"))


def test_an_edit_is_warned_only_of_the_sources_it_adds(newcomer, contributor):
    from contrechamp.registry.proposals import deployment_propose
    from contrechamp.registry.services import deployment_snapshot

    cited = {"source": {"title": "Mediapart", "url": MEDIAPART}, "quote": "la smart city"}
    published = deployment_create(
        data=deployment_data(title="Caméras du port de Lyon", citations=[cited]),
        author=contributor,
    )
    # An edit of its description alone: the source it cited already is not news.
    data = {**deployment_snapshot(published), "description": "Quatorze caméras."}
    edit = deployment_propose(
        deployment=published, data=data, base_version=published.version, author=newcomer
    )
    assert "source_reused" not in _kinds(edit)
    # An edit that adds a source cited elsewhere is warned of that one.
    other = "https://example.org/nice-smart-city"
    deployment_create(
        data=deployment_data(
            title="Safe City ailleurs",
            citations=[{"source": {"title": "Nice", "url": other}, "quote": "capteurs"}],
        ),
        author=contributor,
    )
    added = {"source": {"title": "Nice", "url": other}, "quote": "capteurs"}
    data = {**deployment_snapshot(published), "citations": [cited, added]}
    edit = deployment_propose(
        deployment=published, data=data, base_version=published.version, author=newcomer
    )
    messages = [w.message for w in proposal_warnings(edit) if w.kind == "source_reused"]
    assert len(messages) == 1 and other in messages[0]
