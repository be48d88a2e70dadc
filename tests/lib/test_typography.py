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


def test_a_day_is_written_in_the_pages_language_and_the_first_1er():
    import datetime as dt

    template = Template("{{ when|day }}")
    with translation.override("fr"):
        assert template.render(Context({"when": dt.date(2026, 10, 1)})) == "1er octobre 2026"
        assert template.render(Context({"when": dt.date(2026, 10, 11)})) == "11 octobre 2026"
        # A date the registry knows to the month or the year (the home page's latest
        # count showed "2024-03-01" as it is stored).
        assert template.render(Context({"when": "2024-03"})) == "mars 2024"
        assert template.render(Context({"when": "2024-03-01"})) == "1er mars 2024"
        assert template.render(Context({"when": "2018"})) == "2018"
        # Neither: left as it is, escaped; nothing for nothing.
        assert template.render(Context({"when": "<b>2024-13</b>"})) == "&lt;b&gt;2024-13&lt;/b&gt;"
        assert template.render(Context({"when": "2024-13"})) == "2024-13"
        assert template.render(Context({"when": None})) == ""
    with translation.override("en"):
        assert template.render(Context({"when": dt.date(2026, 10, 1)})) == "1 October 2026"
        assert template.render(Context({"when": "2024-03"})) == "March 2024"


def test_a_day_from_python_is_the_local_day_of_an_aware_time(settings):
    import datetime as dt

    from contrechamp.lib.typography import day

    settings.TIME_ZONE = "Europe/Paris"
    late = dt.datetime(2026, 9, 30, 23, 30, tzinfo=dt.UTC)  # 1 October in Paris
    with translation.override("fr"):
        assert day(late) == "1er octobre 2026"
