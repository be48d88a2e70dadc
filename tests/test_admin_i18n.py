"""Django's admin in French: the project's own admin classes named their columns, filters
and form fields with English words (a walk: "Sha256", "Lease until", "Attempts" on a
French page). Every label of the project's models shown there is marked for translation,
and translated."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation
from django.utils.functional import Promise

pytestmark = pytest.mark.one_database


def _admin_models():
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("contrechamp."):
            continue
        yield model
        for inline in model_admin.inlines:
            yield inline.model


def test_every_field_the_admin_shows_is_named_for_translation():
    untranslated = []
    for model in _admin_models():
        meta = model._meta
        for attr in ("verbose_name", "verbose_name_plural"):
            if attr in meta.original_attrs and not isinstance(meta.original_attrs[attr], Promise):
                untranslated.append(f"{meta.label} Meta.{attr}")
        if "verbose_name" not in meta.original_attrs:
            untranslated.append(f"{meta.label} Meta.verbose_name")
        for field in meta.get_fields():
            if not getattr(field, "concrete", False) or field.name == "id":
                continue
            if not isinstance(getattr(field, "_verbose_name", None), Promise):
                untranslated.append(f"{meta.label}.{field.name}")
            if field.help_text and not isinstance(field.help_text, Promise):
                untranslated.append(f"{meta.label}.{field.name} help_text")
    assert untranslated == []


def test_every_app_of_the_project_is_named_for_translation():
    plain = [
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("contrechamp.") and not isinstance(config.verbose_name, Promise)
    ]
    assert plain == []


@pytest.mark.parametrize(
    "label, model, field, french",
    [
        ("documents", "document", "lease_until", "tenu par un processus de traitement jusqu’au"),
        ("documents", "document", "size", "taille (octets)"),
        ("documents", "step", "attempts", "tentatives"),
        ("access", "accessrequest", "requester", "demandeur"),
        ("registry", "proposal", "decided_at", "décidé le"),
    ],
)
def test_the_labels_read_in_french(label, model, field, french):
    with translation.override("fr"):
        found = apps.get_model(label, model)._meta.get_field(field).verbose_name
        assert str(found) == french
    with translation.override("fr"):
        assert str(apps.get_app_config("access").verbose_name) != "Access-to-documents requests"
