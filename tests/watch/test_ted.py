"""TED notices read from the real samples (Search API answer, eForms notices, a TED_EXPORT
award, the eForms SDK's French examples), hostile XML, and the Search API served by a
local server with its pages, its limits and its failures. Nothing here reaches the
internet: the API's address is the local server's."""

import json
import time
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from contrechamp.watch import fetching, ted
from contrechamp.watch.models import ImportRun, WatchRecord
from contrechamp.watch.services import fetch_ted, import_ted, record_citation
from tests.watch import evaluation
from tests.watch.recorded import Recorded

TED = evaluation.SAMPLES / "ted"
API_ANSWER = TED / "search-api-v3" / "ted_api_response.json"
SLOVAK = TED / "eforms-xml-real" / "727192-2023_SK_subtype22_cpv35120000.xml"
DESIGN_CONTEST = TED / "eforms-xml-real" / "634805-2022_FR_subtype23.xml"
AWARD_F06 = TED / "ted-xml-R2.0.9-real" / "008298-2021_FR_F06_award.xml"
EXAMPLES = TED / "eforms-sdk-official-examples"


def one(path):
    records = list(ted.read_path(path))
    assert len(records) == 1
    return records[0]


def test_the_slovak_subcontracting_notice_gives_cpv_35120000_and_its_amount():
    record = one(SLOVAK)
    # The OJS number "00727192-2023" read as the API writes it.
    assert record.record_id == "727192-2023" and record.kind == "subco"
    assert record.date.isoformat() == "2023-11-30"
    assert record.cpv == ["35120000"] and record.amount == Decimal("1640217")
    # The contracting party references ORG-0002; ORG-0001 (listed first) is the eSender.
    assert record.buyer_name == "Adifex, a. s."
    assert record.city == "Bratislava - mestská časť Staré Mesto"
    # A Slovak company number is not a SIRET, and no French place is looked for.
    assert record.buyer_siret == "" and record.place_code == ""
    assert record.object.startswith("Signálno-bezpečnostná technika - výber subdodávateľa.")
    assert record.url == "https://ted.europa.eu/en/notice/727192-2023/html"
    assert record.key == "727192-2023"


def test_the_f06_award_gives_its_cpv_winners_and_awarded_total_in_french():
    record = one(AWARD_F06)
    assert record.record_id == "8298-2021" and record.kind == "f06"
    assert record.date.isoformat() == "2021-01-08"
    assert record.buyer_name == "Tunnel Euralpin Lyon Turin SAS"
    assert (record.city, record.place_code) == ("Le Bourget-du-Lac", "73375")
    assert record.cpv == ["79212300", "79211100"]
    # The French original is read, not the Italian one ("Deloitte & associes").
    assert [h["name"] for h in record.holders] == [
        "Deloitte & Associés",
        "Pricewaterhousecoopers Audit SAS",
        "Ernst & Young Audit",
    ]
    # Three contracts awarded: 543,000 + 543,000 + 840,000 euros.
    assert record.amount == Decimal("1926000.00")
    assert record.object.startswith("Services comptables pour TELT cocommissariat")


def test_the_french_examples_give_the_buyer_its_siren_and_the_award_winners():
    award = one(EXAMPLES / "can_24_FRA_comments.xml")
    assert award.buyer_name == "Rouen Habitat" and award.buyer_siret == "123456789"
    assert (award.city, award.place_code, award.place_type) == (
        "Rouen Cedex 1",
        "76001",
        "Code postal",
    )
    assert award.kind == "can-standard" and award.cpv == ["77310000"]
    assert award.amount == Decimal("390697.84")  # the notice's total (BT-161)
    assert award.holders == [
        {"siret": "326912557", "name": "Espaces Verts Lemire", "scheme": ""},
        {"siret": "339609661", "name": "ID Verde SASU", "scheme": ""},
    ]
    # Never published: known by its notice identifier, without a TED page.
    assert award.record_id == "df45f4d1-2208-47cb-bc7a-9c7edcf8d2b8" and award.url == ""
    call = one(EXAMPLES / "cn_24_FRA_comments.xml")
    assert call.buyer_name == "Rouen Habitat" and call.holders == [] and call.amount is None
    assert call.date.isoformat() == "2019-05-10"
    defence = one(EXAMPLES / "cn_81_FRA.xml")
    assert defence.buyer_name == ("Commissariat à l'énergie atomique et aux énergies alternatives")
    assert defence.city == "Arpajon Cedex" and defence.cpv == ["71336000", "80512000"]
    contest = one(DESIGN_CONTEST)
    assert contest.record_id == "634805-2022" and contest.date.isoformat() == "2022-11-15"
    # Its identifier is "Org-0001-identifiant": no SIRET made of its digits.
    assert contest.buyer_name == "Communauté XYZ" and contest.buyer_siret == ""


def test_the_api_answer_counts_its_repeated_notice_once(db):
    records = list(ted.read_path(API_ANSWER))
    # "2022-02-06T23:00:00Z" is the day's start in Brussels: Monday 7 February (TED does
    # not publish on Sundays).
    assert [(r.record_id, r.date.isoformat()) for r in records] == [("67623-2022", "2022-02-07")]
    assert records[0].url == "https://ted.europa.eu/en/notice/67623-2022/html"
    run = import_ted([API_ANSWER])
    assert (run.read, run.new, run.errors) == (1, 1, 0)
    assert WatchRecord.objects.filter(source="ted").count() == 1


def test_api_fields_by_language_or_as_lists_are_read_french_first():
    notice = {
        "publication-number": ["510019-2026"],
        "publication-date": "2026-04-20+02:00",
        "notice-type": ["cn-standard"],
        "notice-title": {"eng": "France – Video surveillance", "fra": "France – Vidéoprotection"},
        "buyer-name": {"fra": ["Commune de Saint-Ouen-sur-Seine"]},
        "buyer-city": {"fra": ["Saint-Ouen-sur-Seine"]},
        "buyer-country": ["FRA"],
        "classification-cpv": ["35125300", "32323500", "35125300"],
        "total-value": [100000, "25000.5"],
        "winner-name": {"fra": ["Vendeur A", "Vendeur A", "Vendeur B"]},
    }
    record = ted.normalise(notice)
    assert record.record_id == "510019-2026" and record.date.isoformat() == "2026-04-20"
    assert record.object == "France – Vidéoprotection"
    assert record.buyer_name == "Commune de Saint-Ouen-sur-Seine"
    assert record.city == "Saint-Ouen-sur-Seine"
    assert record.cpv == ["35125300", "32323500"] and record.amount == Decimal("125000.50")
    assert [h["name"] for h in record.holders] == ["Vendeur A", "Vendeur B"]
    # English when there is no French, and plain strings too.
    english = ted.normalise({"publication-number": "1-2026", "notice-title": {"eng": ["Drones"]}})
    assert english.object == "Drones"


def test_a_notice_read_from_its_xml_and_from_the_api_is_one_item(db, tmp_path):
    import_ted([SLOVAK])
    answer = {"notices": [{"publication-number": "727192-2023", "publication-date": "2023-11-30Z"}]}
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(answer))
    run = import_ted([path])
    # Same number, same key: the record is updated (with its history), not doubled.
    assert (run.new, run.updated) == (0, 1)
    row = WatchRecord.objects.get(source="ted")
    assert row.record_id == "727192-2023" and row.history[0]["before"]["cpv"] == ["35120000"]


def test_files_import_idempotently_and_the_record_cites_its_ted_page(db):
    files = [SLOVAK, AWARD_F06, DESIGN_CONTEST, *sorted(EXAMPLES.glob("*.xml")), API_ANSWER]
    run = import_ted(files)
    assert (run.read, run.new, run.errors) == (7, 7, 0)
    again = import_ted(files)
    assert (again.read, again.new, again.unchanged, again.updated) == (7, 0, 7, 0)
    row = WatchRecord.objects.get(source="ted", record_id="8298-2021")
    citation = record_citation(row)
    assert citation["source"]["url"] == "https://ted.europa.eu/en/notice/8298-2021/html"
    assert citation["source"]["published_on"] == "2021-01-08"
    example = WatchRecord.objects.get(source="ted", record_id__startswith="df45f4d1")
    assert record_citation(example)["source"]["url"].endswith("#" + example.record_id)


# --- hostile and broken input -----------------------------------------------------------


def xml_file(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(text.encode())
    return path


NOTICE = (
    '<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"'
    ' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"'
    ' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
    "<cbc:ID>notice-1</cbc:ID><cac:ProcurementProject><cbc:Name>{title}</cbc:Name>"
    "</cac:ProcurementProject></ContractNotice>"
)


def test_an_internal_entity_is_refused_not_expanded(tmp_path):
    # A parser that expands it would read "vidéoprotection" into the title (and a
    # billion laughs into memory).
    path = xml_file(
        tmp_path,
        "entity.xml",
        '<!DOCTYPE ContractNotice [<!ENTITY x "vidéoprotection">]>' + NOTICE.format(title="&x;"),
    )
    with pytest.raises(ted.TedError, match="entity.xml: a document type declaration"):
        list(ted.read_path(path))


def test_a_billion_laughs_is_refused_before_any_expansion(tmp_path):
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    path = xml_file(
        tmp_path, "laughs.xml", f"<!DOCTYPE r [{entities}]>" + NOTICE.format(title="&a9;")
    )
    started = time.monotonic()
    with pytest.raises(ted.TedError, match="document type declaration"):
        list(ted.read_path(path))
    # Expanded, the entities would take minutes and gigabytes: a wide bound for a
    # loaded machine keeps the test's meaning.
    assert time.monotonic() - started < 10


def test_an_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the content of a local file")
    path = xml_file(
        tmp_path,
        "external.xml",
        f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]>' + NOTICE.format(title="&x;"),
    )
    with pytest.raises(ted.TedError, match="document type declaration"):
        list(ted.read_path(path))


def test_a_truncated_or_foreign_file_is_a_clear_error_and_the_others_are_read(db, tmp_path):
    text = SLOVAK.read_text()
    cut = xml_file(tmp_path, "cut.xml", text[: len(text) // 2])
    with pytest.raises(ted.TedError, match=r"cut.xml: not valid XML \(.*line"):
        list(ted.read_path(cut))
    foreign = xml_file(tmp_path, "feed.xml", "<rss><channel/></rss>")
    with pytest.raises(ted.TedError, match="a <rss> is not a TED notice"):
        list(ted.read_path(foreign))
    run = import_ted([cut, SLOVAK, foreign])
    assert (run.read, run.new, run.errors) == (1, 1, 2)
    assert [e["input"] for e in run.error_samples] == [str(cut), str(foreign)]


def test_an_oversized_xml_file_is_refused_without_building_it(tmp_path, monkeypatch):
    monkeypatch.setattr(ted, "MAX_XML_BYTES", 1000)
    with pytest.raises(ted.TedError, match="over 0 MB, not one notice"):
        list(ted.read_path(SLOVAK))


# --- the Search API ---------------------------------------------------------------------


# Notices as the API gives them, with the values of the real notices of the samples.
PAGE_ONE = [
    {
        "publication-number": "727192-2023",
        "publication-date": "2023-11-30Z",
        "notice-type": "subco",
        "notice-title": {"slk": "Signálno-bezpečnostná technika"},
        "buyer-name": {"slk": ["Adifex, a. s."]},
        "buyer-country": ["SVK"],
        "classification-cpv": ["35120000"],
        "total-value": 1640217,
    },
    {
        "publication-number": "8298-2021",
        "publication-date": "2021-01-08+01:00",
        "notice-title": {"fra": "Services de contrôle légal des comptes"},
        "buyer-name": {"fra": "Tunnel Euralpin Lyon Turin SAS"},
        "classification-cpv": ["79212300"],
    },
]
PAGE_TWO = [
    # The first page's last notice again (the API repeats itself): counted once.
    PAGE_ONE[1],
    json.loads(API_ANSWER.read_text())["notices"][0],
]


def answer(notices, token=None, total=None):
    total = len(notices) if total is None else total
    body = {"notices": notices, "totalNoticeCount": total, "iterationNextToken": token}
    return (200, {"Content-Type": "application/json"}, json.dumps(body).encode(), 0)


@pytest.fixture
def api(settings, monkeypatch):
    servers = []
    waits: list[float] = []

    def make(answers):
        server = Recorded(answers)
        servers.append(server)
        settings.WATCH_TED_URL = server.url
        return server

    # No real waiting between tries, but what was asked is kept.
    monkeypatch.setattr(fetching.time, "sleep", waits.append)
    make.waits = waits
    yield make
    for server in servers:
        server.close()


def test_a_fetch_walks_the_pages_by_iteration_token_and_resumes_from_its_cursor(db, api):
    server = api([answer(PAGE_ONE, "token-1", 4), answer(PAGE_TWO, None, 4)])
    run = fetch_ted(since="2020-01-01")
    assert (run.read, run.new, run.errors) == (3, 3, 0)
    first, second = server.calls
    assert first["path"] == "/v3/notices/search"
    assert first["limit"] == 250 and first["paginationMode"] == "ITERATION"
    assert "iterationNextToken" not in first and second["iterationNextToken"] == "token-1"
    assert second["query"] == first["query"]
    query = first["query"]
    assert query.startswith("classification-cpv IN (")
    for code in ("35125300", "32323500", "35120000", "35613000"):
        assert code in query
    assert "32500000" not in query  # telecommunications equipment: too broad
    assert "buyer-country=FRA" in query and "publication-date>=20200101" in query
    # The cursor is the latest publication date read, whatever the order of the pages.
    assert run.cursor == "2023-11-30"
    assert WatchRecord.objects.filter(source="ted").count() == 3

    again = api([answer(PAGE_ONE[:1])])
    run = fetch_ted()
    assert "publication-date>=20231130" in again.calls[0]["query"]
    assert (run.read, run.new, run.unchanged) == (1, 0, 1)


def test_a_429_waits_what_retry_after_says_then_the_fetch_goes_on(db, api):
    server = api([(429, {"Retry-After": "7"}, b"slow down", 0), answer(PAGE_ONE)])
    run = fetch_ted(since="2020-01-01")
    assert (run.read, run.errors) == (2, 0) and len(server.calls) == 2
    assert api.waits == [7.0]


def test_a_500_past_the_retries_is_a_fetch_error_and_keeps_no_cursor_beyond_what_was_read(db, api):
    server = api([(500, {}, b"", 0)] * 5)
    with pytest.raises(CommandError, match="HTTP 500 after 5 tries"):
        call_command("watch", "fetch", "ted", "--since", "2025-01-01")
    assert len(server.calls) == 5
    assert api.waits == [1.0, 2.0, 4.0, 8.0]  # exponential backoff
    last = ImportRun.objects.get(source="ted")
    assert last.errors == 1 and last.cursor == "2025-01-01"


def test_a_server_that_never_answers_times_out_after_the_retries(db, api, settings):
    settings.WATCH_HTTP_TIMEOUT = 0.2
    server = api([(200, {}, b"{}", 0.6)] * 5)
    run = fetch_ted(since="2025-01-01")
    assert run.errors == 1 and run.read == 0
    assert (
        "TimeoutError" in run.error_samples[0]["error"]
        or "timed out" in (run.error_samples[0]["error"])
    )
    assert "after 5 tries" in run.error_samples[0]["error"] and len(server.wait_for_calls(5)) == 5


def test_a_token_given_twice_stops_the_walk_instead_of_looping(db, api):
    api([answer(PAGE_ONE, "same"), answer(PAGE_TWO, "same"), answer([], None)])
    run = fetch_ted(since="2020-01-01")
    assert run.errors == 1 and "same iterationNextToken twice" in run.error_samples[0]["error"]
    assert run.new == 3  # what was read is kept


def test_the_command_imports_files_and_lists_ted_candidates(db, capsys):
    call_command("watch", "import", "ted", str(SLOVAK), str(AWARD_F06), "--json")
    log = json.loads(capsys.readouterr().out)
    assert (log["source"], log["read"], log["new"]) == ("ted", 2, 2)
    call_command("watch", "candidates", "--source", "ted", "--status", "below", "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {c["record"] for c in lines} == {"727192-2023", "8298-2021"}
    slovak = next(c for c in lines if c["record"] == "727192-2023")
    assert slovak["cpv"] == ["35120000"] and slovak["amount"] == 1640217.0


def test_numbers_and_identifiers_in_their_several_forms():
    assert ted.publication_number("00727192-2023") == "727192-2023"
    assert ted.publication_number("2021/S 005-008298") == "8298-2021"
    assert ted.publication_number("df45f4d1-2208-47cb-bc7a-9c7edcf8d2b8") == ""
    assert ted.notice_url("df45f4d1-2208-47cb-bc7a-9c7edcf8d2b8") == ""
    french = ted.Party(country="FRA", ids=["SIRET : 219 501 024 00017"])
    assert french.siret == "21950102400017"
    assert ted.Party(country="FRA", ids=["Org-0001-identifiant"]).siret == ""
    assert ted.Party(country="FRA", ids=["123.456.789"]).siret == "123456789"
    # The same digits abroad are not a French company.
    assert ted.Party(country="SVK", ids=["219 501 024 00017"]).siret == ""


def test_a_walk_that_stops_short_of_the_total_starts_again_from_its_latest_date(db, api):
    later = [
        {"publication-number": "100-2025", "publication-date": "2025-03-03+01:00"},
        {"publication-number": "101-2025", "publication-date": "2025-03-04+01:00"},
    ]
    server = api(
        [
            # The API says 5 notices and ends its walk after 2.
            (200, {}, json.dumps({"notices": PAGE_ONE, "totalNoticeCount": 5}).encode(), 0),
            # From the latest date read (the Slovak notice's day, read again: once).
            answer([PAGE_ONE[0], *later]),
        ]
    )
    run = fetch_ted(since="2020-01-01")
    assert (run.read, run.new, run.errors) == (4, 4, 0)
    assert "publication-date>=20231130" in server.calls[1]["query"]
    assert "iterationNextToken" not in server.calls[1]
    assert run.cursor == "2025-03-04"


def test_a_walk_stuck_on_its_first_day_is_an_error_not_a_loop(db, api):
    same_day = {"publication-number": "5-2025", "publication-date": "2025-01-06+01:00"}
    body = json.dumps({"notices": [same_day], "totalNoticeCount": 900}).encode()
    api([(200, {}, body, 0)])
    run = fetch_ted(since="2025-01-06")
    assert run.new == 1 and "stopped at 1 of 900" in run.error_samples[0]["error"]
