"""The log stays short: a refused request is one line, a server error keeps its trace."""

import io
import logging

import pytest


def _console_handler():
    """The handler the settings give the root logger (not pytest's capture handler)."""
    return next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)


@pytest.fixture
def console():
    handler = _console_handler()
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_refused_request_is_one_line_without_a_traceback(client, contributor, console):
    """Every 403 wrote Django's whole traceback of PermissionDenied (the twenty-first
    session's walk saw them fill the worker's console)."""
    client.force_login(contributor)
    assert client.get("/veille/").status_code == 403
    assert client.get("/documents/999999/").status_code == 404
    log = console.getvalue()
    assert "Forbidden (Permission denied): /veille/" in log
    assert "Traceback" not in log and "PermissionDenied" not in log


def test_a_visitor_sent_to_log_in_from_a_refused_page_is_one_line(client, db, console):
    """A visitor refused a page is sent to log in (handler403): the refusal's record then
    carried a 302, and its whole traceback came back in the console (seen by `make run`
    from a fresh clone)."""
    assert client.get("/veille/").status_code == 302
    log = console.getvalue()
    assert "Forbidden (Permission denied): /veille/" in log
    assert "Traceback" not in log and "PermissionDenied" not in log


def test_a_server_error_keeps_its_traceback(console):
    try:
        raise RuntimeError("the disk is gone")
    except RuntimeError as error:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", "/x/", exc_info=error, extra={"status_code": 500}
        )
    log = console.getvalue()
    assert "Traceback" in log and "the disk is gone" in log


def test_a_bad_request_keeps_its_reason_and_a_bad_host_is_one_line(client, db, console):
    """The hostile review of the first version: the reason of a 400 was only in the
    dropped traceback, and `django.security` still wrote one for every bad Host."""
    response = client.post(
        "/compte/login/", data=b"x", content_type="multipart/form-data; boundary="
    )
    assert response.status_code == 400
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    log = console.getvalue()
    assert "Invalid boundary in multipart" in log
    assert "evil.example" in log and "Traceback" not in log


def test_a_404s_line_carries_no_resolver_dump_and_no_feed_key(client, db, console):
    assert client.get("/demandes/echeances/abcdefSECRET.atom").status_code == 404
    assert client.get("/nowhere/at/all/").status_code == 404
    log = console.getvalue()
    assert "Not Found: /nowhere/at/all/" in log
    assert "abcdefSECRET" not in log and "tried" not in log and "Traceback" not in log
