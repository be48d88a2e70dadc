"""My account: display name, e-mail change by a link to the new address, export of one's
data, and deletion that keeps public contributions as "former contributor"."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection

from contrechamp.access.models import AccessRequest, PublicBody
from contrechamp.access.services.requests import request_create, request_send
from contrechamp.accounts.services import user_create
from contrechamp.documents.models import Document
from contrechamp.groups.models import Membership
from contrechamp.groups.services import group_create
from contrechamp.places.models import Commune
from contrechamp.registry.models import Revision
from contrechamp.registry.services import deployment_create, deployment_publish
from tests.conftest import PASSWORD
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(r"http://testserver(\S+)", message.body).group(1)


def test_it_asks_to_log_in(client):
    assert client.get("/compte/").status_code == 302
    assert client.get("/compte/mes-donnees.json").status_code == 302


def test_the_display_name_changes_and_refuses_an_address(client, contributor):
    client.force_login(contributor)
    assert client.get("/compte/").status_code == 200
    response = client.post("/compte/", {"action": "profile", "public_name": "Corbeau"})
    assert response.status_code == 302
    contributor.profile.refresh_from_db()
    assert contributor.profile.public_name == "Corbeau"
    response = client.post("/compte/", {"action": "profile", "public_name": "rene@example.org"})
    assert response.status_code == 400
    contributor.profile.refresh_from_db()
    assert contributor.profile.public_name == "Corbeau"


def test_a_display_name_another_account_shows_is_refused(client, contributor, other_contributor):
    """A contributor took another's display name ("Alice W"), and the moderation pages
    then showed it for both (a new user's walk). A name another account shows, whatever
    its case, accents or spaces, is refused, at sign-up too, and so are the site's and
    its staff's names; one's own name may be saved again."""
    from contrechamp.accounts.services import profile_update

    profile_update(user=other_contributor, public_name="Alice W.")
    client.force_login(contributor)
    for taken in ("Alice W.", "alice w", "ALICE  W", "Àlice W", "Modération", "Contrechamp"):
        response = client.post("/compte/", {"action": "profile", "public_name": taken})
        assert response.status_code == 400, taken
    contributor.profile.refresh_from_db()
    assert contributor.profile.public_name != "Alice W."
    assert (
        client.post("/compte/", {"action": "profile", "public_name": "Corbeau"}).status_code == 302
    )
    assert (
        client.post("/compte/", {"action": "profile", "public_name": "Corbeau"}).status_code == 302
    )
    client.logout()
    response = client.post(
        "/compte/inscription/",
        {
            "email": "new@example.org",
            "public_name": "corbeau",
            "password": "un mot de passe long 42",
        },
    )
    assert response.status_code in (200, 400)
    assert not User.objects.filter(email="new@example.org").exists()


def test_the_address_changes_only_through_a_link_sent_to_it(client, contributor):
    client.force_login(contributor)
    response = client.post(
        "/compte/", {"action": "email", "email": "nouvelle@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    contributor.refresh_from_db()
    assert contributor.email == "camille@example.org"
    assert mail.outbox[-1].to == ["nouvelle@example.org"]
    link = _link(mail.outbox[-1])
    assert client.get(link).status_code == 200  # a scanner's GET changes nothing
    contributor.refresh_from_db()
    assert contributor.email == "camille@example.org"
    assert client.post(link).status_code == 302
    contributor.refresh_from_db()
    assert contributor.email == "nouvelle@example.org"
    # Replayed: refused, nothing changes.
    assert client.post(link).status_code == 400
    # Tampered.
    assert client.post(link[:-4] + "abc/").status_code == 400


def test_an_address_change_needs_the_password_and_never_steals_an_address(
    client, contributor, other_contributor
):
    client.force_login(contributor)
    response = client.post(
        "/compte/", {"action": "email", "email": "x@example.org", "password": "pas le bon"}
    )
    assert response.status_code == 400 and mail.outbox == []
    # The address of another account: its owner is told, the link never comes.
    response = client.post(
        "/compte/",
        {"action": "email", "email": "dominique@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["dominique@example.org"]
    assert "/compte/adresse/" not in mail.outbox[-1].body
    contributor.refresh_from_db()
    assert contributor.email == "camille@example.org"


def _everything(user: User) -> dict:
    """One of every kind of thing an account can hold."""
    published = deployment_publish(
        deployment=deployment_create(
            data=deployment_data(title="Caméras de la gare routière"), author=user
        ),
        author=user,
    )
    draft = deployment_create(data=deployment_data(title="Brouillon secret"), author=user)
    document = Document.objects.create(
        title="Compte rendu", filename="cr.pdf", sha256="a" * 64, size=10, uploaded_by=user
    )
    commune = Commune.objects.get(code="69123")
    body = PublicBody.objects.create(name="Mairie de Lyon", kind="commune", commune=commune)
    sent = request_create(
        body=body, requester=user, title="Contrat vidéo", documents_asked="Le contrat",
        show_requester=True,
    )  # fmt: skip
    request_send(request=sent, sent_on=dt.date.today() - dt.timedelta(days=3))
    unsent = request_create(
        body=body, requester=user, title="Brouillon de demande", documents_asked="Tout"
    )
    group = group_create(creator=user, name="Collectif Vigie Lyon", communes=[commune])
    return {
        "group": group,
        "published": published,
        "draft": draft,
        "document": document,
        "sent": sent,
        "unsent": unsent,
    }


def test_the_export_holds_what_the_account_holds(client, contributor):
    things = _everything(contributor)
    client.force_login(contributor)
    response = client.get("/compte/mes-donnees.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "camille@example.org"
    revisions = data["registry.revision.author"]
    assert {r["object_id"] for r in revisions} >= {things["published"].id, things["draft"].id}
    assert [d["title"] for d in data["documents.document.uploaded_by"]] == ["Compte rendu"]
    titles = {r["title"] for r in data["access.accessrequest.requester"]}
    assert titles == {"Contrat vidéo", "Brouillon de demande"}
    assert len(data["groups.membership.user"]) == 1
    assert "password" not in response.content.decode()
    # Nobody else's data.
    assert "dominique" not in response.content.decode()


def test_deletion_needs_the_password(client, contributor):
    client.force_login(contributor)
    response = client.post("/compte/", {"action": "delete", "password": "pas le bon"})
    assert response.status_code == 400
    assert User.objects.get(pk=contributor.pk).is_active


def _rows_holding(*needles: str) -> list[str]:
    """Every table and column where one of `needles` is still stored."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            for column in columns:
                for needle in needles:
                    cursor.execute(
                        f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE %s',
                        [f"%{needle}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column}: {needle}")
    return found


def test_deleting_an_account_keeps_contributions_and_forgets_the_person(client, db):
    user = user_create(
        username="zorglub_identifiant",
        email="zorglub.reconnaissable@example.org",
        password=PASSWORD,
        public_name="Plume Vagabonde",
    )
    things = _everything(user)
    assert _rows_holding("zorglub") != []  # the search below finds what is there
    client.force_login(user)
    response = client.post("/compte/", {"action": "delete", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not client.login(username="zorglub.reconnaissable@example.org", password=PASSWORD)
    # Public pages still render, and say "former contributor".
    history = client.get(things["published"].get_absolute_url() + "historique/")
    assert history.status_code == 200
    assert "Plume Vagabonde" not in history.content.decode()
    assert Revision.objects.filter(object_id=things["published"].id, author__isnull=False).exists()
    from contrechamp.accounts.models import display_name

    author = Revision.objects.filter(object_id=things["published"].id).first().author
    assert str(display_name(author)) == "former contributor" or "ancien" in display_name(author)
    assert client.get(things["published"].get_absolute_url()).status_code == 200
    request_page = client.get(things["sent"].get_absolute_url())
    assert request_page.status_code == 200
    assert "Plume" not in request_page.content.decode()
    # The sent request stays as a public record, without the letter signed by the person;
    # the unsent draft is gone.
    sent = AccessRequest.objects.get(pk=things["sent"].pk)
    assert sent.letter == "" and not sent.show_requester
    assert not AccessRequest.objects.filter(pk=things["unsent"].pk).exists()
    assert Document.objects.filter(pk=things["document"].pk).exists()
    assert not Membership.objects.filter(user_id=user.pk).exists()
    # The group they were the only member of is closed with the account (it stayed with
    # "0 members" and nobody to run it before: tests/groups/test_account_deletion.py).
    assert client.get(things["group"].get_absolute_url()).status_code == 404
    # No row anywhere still holds the address, the user name or the display name.
    assert _rows_holding("zorglub", "reconnaissable", "Plume Vagabonde") == []


def test_a_reviewers_export_holds_no_text_of_the_documents_they_reviewed(client, reviewer):
    from contrechamp.redaction.models import Redaction

    document = Document.objects.create(title="Courrier", filename="c.pdf", sha256="b" * 64, size=10)
    Redaction.objects.create(
        title_of=document, kind="person", text="Zéphyrine Quintal", reviewed_by=reviewer
    )
    client.force_login(reviewer)
    response = client.get("/compte/mes-donnees.json")
    data = json.loads(response.content)
    assert len(data["redaction.redaction.reviewed_by"]) == 1
    assert data["redaction.redaction.reviewed_by"][0]["kind"] == "person"
    assert "Zéphyrine" not in response.content.decode("utf-8")


def test_the_account_page_links_a_reviewer_to_their_second_factor(client, contributor, reviewer):
    """The page of the recovery codes was linked from nowhere (a new user's walk); a
    contributor could turn a second factor on, but no page said so (another walk)."""
    client.force_login(contributor)
    page = client.get("/compte/").content.decode()
    assert 'href="/compte/deux-facteurs/"' in page and "(facultative)" in page
    # The link opens the setting up, for a contributor too.
    setup = client.get("/compte/deux-facteurs/")
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    client.force_login(reviewer)
    page = client.get("/compte/")
    assert page.status_code == 200 and 'href="/compte/deux-facteurs/"' in page.content.decode()


def test_an_account_made_without_a_profile_opens_its_page(client):
    """An account made outside `user_create` (Django's `createsuperuser`, a script) has no
    profile: its page answered 500 (a walk's set-up). It opens, saves a display name and
    the letters' identity, and exports its data."""
    user = User.objects.create_user("sans-profil", "sans-profil@example.org", PASSWORD)
    client.force_login(user)
    response = client.get("/compte/")
    assert response.status_code == 200
    assert client.get("/compte/mes-donnees.json").status_code == 200
    response = client.post("/compte/", {"action": "profile", "public_name": "Sans Profil"})
    assert response.status_code == 302
    response = client.post(
        "/compte/",
        {"action": "letters", "first_name": "A", "last_name": "B", "postal_address": "1 rue X"},
    )
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.public_name == "Sans Profil"
    assert user.profile.postal_address == "1 rue X"


@pytest.mark.parametrize(
    "name",
    [
        "Camille \u202eevil\u202c",  # a right-to-left override: its end shows reversed
        "Cami\u200blle",  # a zero-width space: passes for "Camille"
        "Camille\u2066x\u2069",
    ],
)
def test_a_display_name_with_invisible_characters_is_refused(client, contributor, name):
    """A new user's walk saved "Camille \u202eevil\u202c 🎥": the override turns the text
    around wherever the name is shown. Refused, at sign-up too; an emoji is a character
    like another."""
    client.force_login(contributor)
    response = client.post("/compte/", {"action": "profile", "public_name": name})
    assert response.status_code == 400
    assert "caractères invisibles" in response.content.decode()
    contributor.profile.refresh_from_db()
    assert contributor.profile.public_name != name
    response = client.post("/compte/", {"action": "profile", "public_name": "Camille 🎥"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name",
    [
        "C\u0430mille Vidal",  # a Cyrillic "а" in a Latin word
        "\u0410dmin",  # "Admin" with a Cyrillic capital A
        "\u3164\u3164",  # Hangul fillers: a name that shows nothing
        "Camille\u115f",
        "Zalgo\u0301\u0302\u0303\u0304",  # marks piled on a letter
        "Votre compte expire : reconnectez-vous sur https://contrechamp-login.example",
        "contrechamp-login.example",
        "Camille\ue000",  # private use
    ],
)
def test_a_display_name_that_passes_for_another_or_carries_an_address_is_refused(
    client, contributor, name
):
    """The review's look-alikes and a phishing line that went into the site's mails."""
    client.force_login(contributor)
    response = client.post("/compte/", {"action": "profile", "public_name": name})
    assert response.status_code == 400, name
    contributor.profile.refresh_from_db()
    assert contributor.profile.public_name != name


@pytest.mark.parametrize(
    "name",
    ["\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "Иван Петров", "Αλέξης", "J.-P. Dupont"],
)
def test_names_of_other_scripts_and_their_joiners_are_kept(client, contributor, name):
    """A Persian name needs its zero-width non-joiner; a Cyrillic or Greek name in one
    script is a name like another."""
    client.force_login(contributor)
    response = client.post("/compte/", {"action": "profile", "public_name": name})
    assert response.status_code == 302, response.content.decode()[-1500:]
