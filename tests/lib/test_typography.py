"""Quotation marks follow the page's language: the English pages kept French « »
around a document's wordings and a source's quotes."""

from django.template import Context, Template
from django.utils import translation

from contrechamp.lib.typography import quoted


def test_quotes_follow_the_language():
    with translation.override("fr"):
        assert quoted("NICE") == "« NICE »"
    with translation.override("en"):
        assert quoted("NICE") == "“NICE”"


def test_the_templates_filter_quotes_and_still_escapes():
    template = Template("{{ text|quoted }}")
    with translation.override("en"):
        assert template.render(Context({"text": "<b>x</b>"})) == "“&lt;b&gt;x&lt;/b&gt;”"
    with translation.override("fr"):
        assert template.render(Context({"text": "vidéo"})) == "« vidéo »"
