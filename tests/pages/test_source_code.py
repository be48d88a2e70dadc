"""The footer's offer of the source (AGPL-3.0 section 13): a new user's walk read "Logiciel
libre (AGPL-3.0 ou ultérieure)" with no link to the code."""

import io
import tarfile

import pytest
from django.test import Client, override_settings

from contrechamp.lib.source import source_archive

pytestmark = pytest.mark.django_db


def test_it_links_the_source_from_every_pages_footer_in_both_languages():
    for language, label in [("fr", "code source"), ("en", "source code")]:
        for address in ["/", "/dispositifs/", "/confidentialite/", "/page-qui-n-existe-pas/"]:
            html = Client().get(address, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            footer = html.split("<footer", 1)[1]
            assert f'<a href="/code-source/" id="footer-source">{label}</a>' in footer, address


def test_it_serves_the_running_code_as_a_tarball(settings, tmp_path):
    response = Client().get("/code-source/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert "contrechamp-source.tar.gz" in response["Content-Disposition"]
    names = tarfile.open(fileobj=io.BytesIO(response.content)).getnames()
    assert "contrechamp/contrechamp/settings.py" in names
    assert "contrechamp/contrechamp/templates/base.html" in names
    assert "contrechamp/LICENSE" in names and "contrechamp/pyproject.toml" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_it_never_packs_the_data_directory(tmp_path):
    package = tmp_path / "contrechamp"
    (package / "var").mkdir(parents=True)
    (package / "views.py").write_text("x = 1\n")
    (package / "var" / "secret_key").write_text("s3cret")
    (tmp_path / "LICENSE").write_text("AGPL")
    archive = source_archive(package, package / "var")
    names = tarfile.open(fileobj=io.BytesIO(archive)).getnames()
    assert sorted(names) == ["contrechamp/LICENSE", "contrechamp/contrechamp/views.py"]


@override_settings(SOURCE_CODE_URL="https://forge.example.org/collectif/contrechamp")
def test_a_published_address_is_linked_instead():
    html = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        '<a href="https://forge.example.org/collectif/contrechamp" id="footer-source">'
        "source code</a>"
    ) in html
    response = Client().get("/code-source/")
    assert response.status_code == 302
    assert response["Location"] == "https://forge.example.org/collectif/contrechamp"
