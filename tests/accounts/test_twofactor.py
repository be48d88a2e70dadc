"""Two-factor authentication, attacked: someone who has a reviewer's or an
administrator's password, and nothing else, reaches nothing of what the role opens."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from contrechamp.accounts.models import Profile
from contrechamp.accounts.services import user_create
from contrechamp.accounts.twofactor import MAX_FAILURES, recovery_codes_create
from tests.conftest import PASSWORD, TwoFactorClient, totp_code
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

TWOFACTOR = "/compte/deux-facteurs/"


@pytest.fixture(autouse=True)
def fresh_cache(settings, tmp_path):
    # The failure counters live in the cache, which outlives a test's transaction.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    # django-otp's own delay after a failure (1 s, then doubling) would make a right
    # code typed just after a wrong one fail here; one test below checks it is on.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def private_document(contributor):
    return add(
        samples.text_pdf(["Courrier de la préfecture, affaire suivie par Mme Quintal."]),
        "courrier.pdf",
        uploaded_by=contributor,
    )


def password_only(user) -> Client:
    """A browser where the right password was typed, and no code."""
    browser = Client()
    assert browser.login(username=user.username, password=PASSWORD)
    return browser


def reviewer_pages(document) -> list[str]:
    return [
        "/moderation/",
        reverse("redaction-review", args=[document.id]),
        reverse("document-original", args=[document.id]),
        reverse("document-detail", args=[document.id]),
        "/admin/",
        "/admin/auth/user/",
    ]


def enter(browser: Client, code: str, **extra):
    return browser.post(TWOFACTOR, {"code": code, **extra})


def assert_sent_to_twofactor(response):
    assert response.status_code == 302
    assert response["Location"].startswith(TWOFACTOR)


def test_it_keeps_a_reviewer_with_only_a_password_out_of_every_reviewer_page(
    reviewer, private_document
):
    browser = password_only(reviewer)
    for url in reviewer_pages(private_document):
        assert_sent_to_twofactor(browser.get(url))
    # Not by a form post either (the redaction decisions are posts).
    assert_sent_to_twofactor(
        browser.post(reverse("redaction-accept-all", args=[private_document.id]))
    )
    # The step asks for a code (the person has an authenticator): no set-up, no new key.
    page = browser.get(TWOFACTOR).content.decode()
    assert 'name="code"' in page and "totp-secret" not in page


def test_it_lets_the_reviewer_in_with_the_code_and_back_to_the_page_asked(
    reviewer, private_document
):
    browser = password_only(reviewer)
    original = reverse("document-original", args=[private_document.id])
    asked = browser.get(original)
    assert asked["Location"] == f"{TWOFACTOR}?next={original.replace('/', '%2F')}"
    response = enter(browser, totp_code(reviewer), next=original)
    assert response.status_code == 302 and response["Location"] == original
    assert browser.get(original).status_code == 200
    assert browser.get(reverse("redaction-review", args=[private_document.id])).status_code == 200


def test_it_does_not_follow_a_next_to_another_site(reviewer):
    browser = password_only(reviewer)
    response = enter(browser, totp_code(reviewer), next="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_the_admin_login_is_no_way_around(administrator):
    browser = Client()
    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": administrator.username, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302  # the password was right…
    for url in ("/admin/", "/admin/auth/user/", f"/admin/auth/user/{administrator.id}/change/"):
        response = browser.get(url)
        assert_sent_to_twofactor(response)
    # …and the admin's log-in page, asked again, is not a door either.
    assert_sent_to_twofactor(browser.get("/admin/login/?next=/admin/"))
    enter(browser, totp_code(administrator))
    assert browser.get("/admin/auth/user/").status_code == 200


@pytest.mark.usefixtures("english")
def test_it_refuses_a_wrong_code(reviewer, private_document):
    browser = password_only(reviewer)
    wrong = f"{(int(totp_code(reviewer)) + 1) % 1_000_000:06d}"
    with translation.override("en"):
        response = enter(browser, wrong)
    assert response.status_code == 400
    assert "wrong or has already been used" in response.content.decode()
    assert_sent_to_twofactor(browser.get(reverse("document-original", args=[private_document.id])))


def test_it_refuses_a_code_replayed_in_another_session(reviewer, private_document):
    code = totp_code(reviewer)
    first = password_only(reviewer)
    assert enter(first, code).status_code == 302
    # Seen over the shoulder, or taken from the network: the same code again.
    second = password_only(reviewer)
    assert enter(second, code).status_code == 400
    assert_sent_to_twofactor(second.get(reverse("document-original", args=[private_document.id])))


def test_a_recovery_code_works_once(reviewer, private_document):
    codes = recovery_codes_create(user=reviewer)
    first = password_only(reviewer)
    # As typed from paper: upper case, with a space.
    typed = codes[3].upper()[:4] + " " + codes[3].upper()[4:]
    assert enter(first, typed).status_code == 302
    assert first.get(reverse("document-original", args=[private_document.id])).status_code == 200
    second = password_only(reviewer)
    assert enter(second, codes[3]).status_code == 400
    assert StaticToken.objects.filter(device__user=reviewer).count() == 9
    assert enter(second, codes[4]).status_code == 302


def test_it_refuses_the_code_of_another_persons_device(reviewer, administrator):
    browser = password_only(reviewer)
    codes = recovery_codes_create(user=administrator)
    assert enter(browser, totp_code(administrator)).status_code == 400
    assert enter(browser, codes[0]).status_code == 400
    assert_sent_to_twofactor(browser.get("/admin/"))
    # The administrator's recovery code was not used up by the attempt.
    assert StaticToken.objects.filter(device__user=administrator, token=codes[0]).exists()


def test_a_form_without_the_code_field_gets_nothing(reviewer, private_document):
    browser = password_only(reviewer)
    for data in ({}, {"code": ""}, {"next": "/"}, {"code": "   "}):
        response = browser.post(TWOFACTOR, data)
        assert response.status_code == 400, data
    assert_sent_to_twofactor(browser.get(reverse("document-original", args=[private_document.id])))


def test_a_session_stops_being_verified_when_an_administrator_resets_the_device(
    reviewer, administrator, private_document
):
    original = reverse("document-original", args=[private_document.id])
    victim = password_only(reviewer)
    enter(victim, totp_code(reviewer))
    assert victim.get(original).status_code == 200

    admin = password_only(administrator)
    enter(admin, totp_code(administrator))
    # By the person's address too (an administrator knows people by it: a new user's
    # walk); an unknown address is refused.
    response = admin.post(reverse("twofactor-reset"), {"username": "nobody@example.org"})
    assert response.status_code == 400 and TOTPDevice.objects.filter(user=reviewer).exists()
    response = admin.post(reverse("twofactor-reset"), {"username": reviewer.email.upper()})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=reviewer).exists()

    assert_sent_to_twofactor(victim.get(original))
    # They set it up again: the page offers a new key, not a code from the old one.
    assert "totp-secret" in victim.get(TWOFACTOR).content.decode()


def test_deleting_the_device_in_the_admin_unverifies_the_session(reviewer, private_document):
    original = reverse("document-original", args=[private_document.id])
    browser = password_only(reviewer)
    enter(browser, totp_code(reviewer))
    assert browser.get(original).status_code == 200
    TOTPDevice.objects.filter(user=reviewer).delete()
    assert_sent_to_twofactor(browser.get(original))


def test_only_a_verified_administrator_may_reset_someone(reviewer, administrator, contributor):
    # A reviewer, verified, is no administrator.
    browser = password_only(reviewer)
    enter(browser, totp_code(reviewer))
    response = browser.post(reverse("twofactor-reset"), {"username": administrator.username})
    assert response.status_code == 403
    # An administrator with only the password is refused too.
    half = password_only(administrator)
    response = half.post(reverse("twofactor-reset"), {"username": reviewer.username})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user__in=[reviewer, administrator]).count() == 2


@pytest.mark.usefixtures("english")
def test_five_wrong_codes_lock_the_right_one_out(settings, reviewer, private_document):
    # django-otp's own delay after each failure is off (fixture above): the count holds
    # by itself.
    browser = password_only(reviewer)
    right = totp_code(reviewer)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(MAX_FAILURES - 1):
        assert enter(browser, wrong).status_code == 400
    with translation.override("en"):
        response = enter(browser, wrong)
        assert response.status_code == 429
        assert "Too many wrong codes" in response.content.decode()
        response = enter(browser, right)
    assert response.status_code == 429
    assert_sent_to_twofactor(browser.get(reverse("document-original", args=[private_document.id])))
    # Another session of the same account is refused as well: the guesser cannot start
    # again with a fresh log-in.
    assert enter(password_only(reviewer), right).status_code == 429
    # And recovery codes are no way around the count.
    codes = recovery_codes_create(user=reviewer)
    assert enter(browser, codes[0]).status_code == 429


def test_django_otp_refuses_a_code_right_after_a_wrong_one(settings, reviewer):
    """The delay django-otp adds on top (1 s after a failure): on by default."""
    del settings.OTP_TOTP_THROTTLE_FACTOR
    browser = password_only(reviewer)
    # Time stands still: the right code comes "right after" the wrong one however
    # slowly a loaded machine serves the two requests (the throttle lasts one second).
    with time_machine.travel(timezone.now(), tick=False):
        right = totp_code(reviewer)
        enter(browser, f"{(int(right) + 1) % 1_000_000:06d}")
        assert enter(browser, right).status_code == 400


def test_a_contributor_promoted_to_reviewer_sets_up_at_the_next_request(contributor):
    browser = TwoFactorClient()
    browser.force_login(contributor)
    assert browser.get("/").status_code == 200
    Profile.objects.filter(user=contributor).update(role="reviewer")
    assert_sent_to_twofactor(browser.get("/"))
    assert "totp-secret" in browser.get(TWOFACTOR).content.decode()


def secret_on(page: str) -> bytes:
    from base64 import b32decode

    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    return b32decode(secret + "=" * (-len(secret) % 8))


def code_for(key: bytes) -> str:
    return f"{TOTP(key).token():06d}"


def test_setting_up_shows_a_qr_code_without_style_and_the_key_in_text(contributor):
    reviewer = user_create(
        username="sacha", email="sacha@example.org", password=PASSWORD, role="reviewer"
    )
    browser = password_only(reviewer)
    page = browser.get(TWOFACTOR).content.decode()
    assert "<svg" in page and "style=" not in page
    # The same key after a reload: an app that scanned it keeps working.
    key = secret_on(page)
    assert secret_on(browser.get(TWOFACTOR).content.decode()) == key
    assert enter(browser, "000000" if code_for(key) != "000000" else "111111").status_code == 400
    response = enter(browser, code_for(key))
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert browser.get("/admin/").status_code == 200 or browser.get("/").status_code == 200
    assert_sent_to_twofactor(password_only(reviewer).get("/"))
    assert enter(password_only(reviewer), codes[0]).status_code == 302


def test_setting_up_confirms_only_with_a_code_of_the_key_shown(reviewer):
    sacha = user_create(
        username="sacha", email="sacha@example.org", password=PASSWORD, role="reviewer"
    )
    browser = password_only(sacha)
    browser.get(TWOFACTOR)
    # Someone else's authenticator does not confirm this person's new key.
    assert enter(browser, totp_code(reviewer)).status_code == 400
    assert not TOTPDevice.objects.filter(user=sacha, confirmed=True).exists()


def test_new_recovery_codes_need_a_current_code(reviewer):
    old = recovery_codes_create(user=reviewer)
    browser = TwoFactorClient()
    browser.force_login(reviewer)  # verified, as after the code
    response = browser.post(reverse("twofactor-codes"), {})
    assert response.status_code == 400
    response = browser.post(reverse("twofactor-codes"), {"code": "12345"})
    assert response.status_code == 400
    response = browser.post(reverse("twofactor-codes"), {"code": totp_code(reviewer)})
    assert response.status_code == 200
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert enter(password_only(reviewer), old[1]).status_code == 400
    assert enter(password_only(reviewer), new[1]).status_code == 302


def test_the_settings_page_says_it_is_on(reviewer):
    browser = TwoFactorClient()
    browser.force_login(reviewer)
    with translation.override("en"):
        page = browser.get(TWOFACTOR, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "is on" in page or "activée" in page


def test_a_contributor_may_turn_it_on_and_is_then_asked_for_it(contributor):
    browser = password_only(contributor)
    assert browser.get("/").status_code == 200
    key = secret_on(browser.get(TWOFACTOR).content.decode())
    assert enter(browser, code_for(key)).status_code == 200
    later = password_only(contributor)
    assert_sent_to_twofactor(later.get("/dispositifs/nouveau/"))


def test_a_half_signed_in_person_may_log_out_and_change_language(reviewer):
    browser = password_only(reviewer)
    assert browser.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert browser.get("/static/css/site.css").status_code in (200, 404)
    assert browser.post(reverse("logout")).status_code == 302
    assert browser.get("/").status_code == 200


def test_the_api_answers_an_unverified_reviewer_as_a_visitor(reviewer, private_document):
    """The API is public and read-only: without the second factor a reviewer's session
    reads what a visitor reads, not the private documents."""
    url = f"/api/v1/documents/{private_document.id}"
    half = password_only(reviewer)
    assert half.get(url).status_code == 404
    assert Client().get(url).status_code == 404
    verified = TwoFactorClient()
    verified.force_login(reviewer)
    assert verified.get(url).status_code == 200


def test_the_test_client_fixture_passes_the_second_factor(client, reviewer, private_document):
    client.force_login(reviewer)
    assert client.get(reverse("document-original", args=[private_document.id])).status_code == 200


def test_a_locked_out_administrator_gets_back_in_with_a_code_made_on_the_server(administrator):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("addstatictoken", administrator.username, stdout=out)
    browser = password_only(administrator)
    assert enter(browser, out.getvalue().strip()).status_code == 302
    assert browser.get("/admin/").status_code == 200


def test_a_code_django_otp_did_not_read_is_not_called_wrong(settings, reviewer):
    """The right code typed just after a wrong one was refused as "wrong" (a new user's
    walk): django-otp's delay had kept it from being read. The page says to wait."""
    del settings.OTP_TOTP_THROTTLE_FACTOR
    browser = password_only(reviewer)
    with time_machine.travel(timezone.now(), tick=False):
        right = totp_code(reviewer)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        first = browser.post(TWOFACTOR, {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")
        assert "This code is wrong" in first.content.decode()
        second = browser.post(TWOFACTOR, {"code": right}, HTTP_ACCEPT_LANGUAGE="en")
        assert second.status_code == 400
        text = second.content.decode()
        assert "Wait a few seconds" in text and "This code is wrong" not in text


def test_codes_sent_while_the_authenticator_waits_do_not_lock_the_person_out(settings, reviewer):
    """After one slip, the right code sent again and again during django-otp's delay
    counted as failures: a walk's reviewer was locked out for 15 minutes within a few
    tries. A code the device did not read is no failure; the right one then passes."""
    del settings.OTP_TOTP_THROTTLE_FACTOR
    browser = password_only(reviewer)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        right = totp_code(reviewer)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        browser.post(TWOFACTOR, {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")
        for _ in range(MAX_FAILURES + 2):
            waited = browser.post(TWOFACTOR, {"code": right}, HTTP_ACCEPT_LANGUAGE="en")
            assert waited.status_code == 400, waited.status_code
            assert "Wait a few seconds" in waited.content.decode()
    with time_machine.travel(start + dt.timedelta(seconds=3), tick=False):
        assert enter(browser, totp_code(reviewer)).status_code == 302
