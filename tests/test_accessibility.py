"""What assistive technology reads of the forms: every help text and error a field points
to (aria-describedby) is on the page, and every help text is pointed to by its field.
A blind user never heard "N'écrivez rien qui puisse vous identifier" on the tip form:
Django pointed each field to `id_X_helptext`, the templates named the text `id_X_help`
(a new user's walk)."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

VISITOR_PAGES = [
    "/signaler/",
    "/compte/inscription/",
    "/recherche/?q=cam%C3%A9ras",
    "/dispositifs/",
]
CONTRIBUTOR_PAGES = [
    "/collectifs/nouveau/",
    "/dispositifs/nouveau/",
    "/organisations/nouvelle/",
    "/demandes/nouvelle/",
    "/documents/",
    "/compte/",
]


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described: dict[str, set[str]] = {}
        self.help_ids: list[str] = []
        self._in_help = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described[attrs.get("name") or tag] = set(attrs["aria-describedby"].split())
        if tag == "small" and "help" in (attrs.get("class") or "").split() and attrs.get("id"):
            self.help_ids.append(attrs["id"])


def _read(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    parser = _Ids()
    parser.feed(response.content.decode())
    return parser


def _check(parser, path):
    for field, ids in parser.described.items():
        missing = ids - parser.ids
        assert not missing, f"{path}: {field} points to {missing}, not on the page"
    pointed = set().union(*parser.described.values()) if parser.described else set()
    for help_id in parser.help_ids:
        assert help_id in pointed, f"{path}: no field points to its help text {help_id}"


@pytest.mark.parametrize("path", VISITOR_PAGES)
def test_a_visitors_forms_point_to_their_help_texts(client, path):
    parser = _read(client, path)
    _check(parser, path)


@pytest.mark.parametrize("path", CONTRIBUTOR_PAGES)
def test_a_contributors_forms_point_to_their_help_texts(client, contributor, path):
    client.force_login(contributor)
    parser = _read(client, path)
    _check(parser, path)


def test_the_tip_forms_warning_is_read_with_its_field(client):
    parser = _read(client, "/signaler/")
    assert parser.described, "no field of the tip form points to a help text"


@pytest.mark.parametrize(
    "path, data",
    [
        ("/collectifs/nouveau/", {"name": "", "communes": "Nulleville"}),
        ("/dispositifs/nouveau/", {"title": "", "citations-TOTAL_FORMS": "0"}),
        ("/compte/", {"action": "profile", "public_name": "a@b"}),
    ],
)
def test_a_refused_forms_fields_point_to_their_errors(client, contributor, path, data):
    """The review: on a refused form Django points each field to `<id>_error` too, and the
    templates gave their errors no id."""
    client.force_login(contributor)
    response = client.post(path, data)
    assert response.status_code == 400
    parser = _Ids()
    parser.feed(response.content.decode())
    assert any(i.endswith("_error") for ids in parser.described.values() for i in ids)
    _check(parser, path)
