"""The reviewers' list of tips: reviewers only (a 404 for anyone else), new / being
handled / closed, each tip's text and files, a reply the sender reads, closing."""

import pytest
from django.urls import reverse

from contrechamp.tips.models import Tip, TipMessage
from tests.tips import samples
from tests.tips.helpers import send


@pytest.mark.django_db
def test_only_reviewers_see_the_list(client, contributor_client):
    send(client)
    tip = Tip.objects.get()
    for visitor in (client, contributor_client):
        assert visitor.get(reverse("tip-queue")).status_code == 404
        assert visitor.post(reverse("tip-reply", args=[tip.id]), {"text": "x"}).status_code == 404
        assert (
            visitor.post(reverse("tip-status", args=[tip.id]), {"status": "closed"}).status_code
            == 404
        )
    assert not TipMessage.objects.exists()
    tip.refresh_from_db()
    assert tip.status == "new"


@pytest.mark.django_db
def test_a_reviewer_reads_replies_and_closes(client, reviewer, django_user_model):
    _r, code = send(
        client,
        text="Des capteurs audio rue Victor Hugo.",
        files=[("a.pdf", samples.pdf_with_metadata(), "application/pdf")],
        place="Saint-Étienne (42218)",
    )
    staff = django_user_model.objects.get(id=reviewer.id)
    reviewer_client = type(client)()
    reviewer_client.force_login(staff)
    page = reviewer_client.get(reverse("tip-queue")).content.decode()
    tip = Tip.objects.get()
    assert "Des capteurs audio rue Victor Hugo." in page
    assert tip.place.code == "42218" and "Saint-Étienne" in page
    document = tip.documents.get()
    assert document.get_absolute_url() in page
    assert reviewer_client.get(document.get_absolute_url()).status_code == 200
    reviewer_client.post(reverse("tip-reply", args=[tip.id]), {"text": "Bien recu, merci."})
    tip.refresh_from_db()
    assert tip.status == "handling"
    follow = client.post(reverse("tip-follow"), {"code": code}).content.decode()
    assert "Bien recu, merci." in follow
    reviewer_client.post(reverse("tip-status", args=[tip.id]), {"status": "closed"})
    tip.refresh_from_db()
    assert tip.status == "closed"
    assert "Des capteurs audio" not in reviewer_client.get(reverse("tip-queue")).content.decode()
    closed = reviewer_client.get(reverse("tip-queue") + "?status=closed").content.decode()
    assert "Des capteurs audio" in closed


@pytest.mark.django_db
def test_a_reviewers_reply_and_status_change_are_attributed_in_the_audit_log(client, reviewer):
    from contrechamp.audit.models import AuditEntry

    send(client)
    tip = Tip.objects.get()
    staff = type(client)()
    staff.force_login(reviewer)
    staff.post(reverse("tip-reply", args=[tip.id]), {"text": "Merci."})
    staff.post(reverse("tip-status", args=[tip.id]), {"status": "closed"})
    reply = AuditEntry.objects.get(target_model="tipmessage", action="created")
    status = AuditEntry.objects.filter(target_model="tip", action="changed").latest("id")
    assert reply.actor_id == reviewer.id and status.actor_id == reviewer.id
    # Never a network next to a tip, even for a reviewer.
    assert reply.origin == "" and status.origin == ""
    # The sender's own entries stay without actor.
    assert AuditEntry.objects.get(target_model="tip", action="created").actor_id is None


@pytest.mark.django_db
def test_the_moderation_queue_links_to_the_tips_with_their_count_and_no_public_page_does(
    client, contributor_client, reviewer
):
    send(client, text="Premier.")
    send(client, text="Second.")
    Tip.objects.filter(text="Second.").update(status="closed")
    send(client, text="Troisieme.")
    staff = type(client)()
    staff.force_login(reviewer)
    page = staff.get(reverse("moderation-queue")).content.decode()
    nav = page[page.index('class="other-queues"') :]
    nav = nav[: nav.index("</nav>")]
    assert f'href="{reverse("tip-queue")}"' in nav
    assert "(2)" in nav  # open tips: new and being handled, not closed
    for visitor in (client, contributor_client):
        for url in ("/", reverse("document-list"), reverse("tip-create")):
            assert reverse("tip-queue") not in visitor.get(url).content.decode()


@pytest.mark.django_db
def test_a_reply_shows_the_reviewers_display_name_and_a_refused_one_says_why(client, reviewer):
    """The queue named the reviewer of a reply by their internal user name, and a reply
    over the length allowed was dropped without a word (a new user's walk)."""
    from contrechamp.accounts.services import profile_update
    from contrechamp.tips.forms import MAX_TEXT

    profile_update(user=reviewer, public_name="Relectrice Plume")
    send(client)
    tip = Tip.objects.get()
    staff = type(client)()
    staff.force_login(reviewer)
    staff.post(reverse("tip-reply", args=[tip.id]), {"text": "Merci."})
    page = staff.get(reverse("tip-queue") + "?status=handling").content.decode()
    assert "Relectrice Plume" in page and f"({reviewer.get_username()})" not in page
    response = staff.post(
        reverse("tip-reply", args=[tip.id]), {"text": "x" * (MAX_TEXT + 1)}, follow=True
    )
    assert tip.messages.count() == 1
    assert str(MAX_TEXT) in response.content.decode().replace("\u202f", "").replace(" ", "")
