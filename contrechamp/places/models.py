"""Administrative places: regions, departments, intercommunalities (EPCI), communes.

Every place has a country code so that another country's places can sit beside the
French ones; codes are the official ones of that country (INSEE, SIREN for France).
"""

import difflib

from django.db import models
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    country = models.CharField(max_length=2, default="FR")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="region_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    country = models.CharField(max_length=2, default="FR")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", null=True, blank=True
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="department_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("department-detail", args=[self.code])


class Epci(models.Model):
    """An intercommunality (établissement public de coopération intercommunale)."""

    KINDS = [
        ("CC", _("Community of communes")),
        ("CA", _("Agglomeration community")),
        ("CU", _("Urban community")),
        ("METRO", _("Metropolis")),
        ("MET69", _("Lyon Metropolis")),
    ]
    country = models.CharField(max_length=2, default="FR")
    siren = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=KINDS)
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("intercommunality")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("epci-detail", args=[self.siren])


class CommuneQuerySet(models.QuerySet["Commune"]):
    def with_deployments(self) -> "CommuneQuerySet":
        return self.filter(deployments__is_published=True).distinct()

    def formerly(self, code: str) -> "CommuneQuerySet":
        """The communes whose former codes hold `code` (merged into them since): one, or
        several for a commune split since."""
        return self.filter(
            models.Q(former_codes=code)
            | models.Q(former_codes__startswith=f"{code} ")
            | models.Q(former_codes__endswith=f" {code}")
            | models.Q(former_codes__contains=f" {code} ")
        )

    def named_like(self, key: str, limit: int = 3) -> list["Commune"]:
        """The communes whose name is nearest to `key` (a `name_key`, typed with a slip:
        "villeurbane", "marseile"), most people first among equals; none under a
        likeness of 0.85. Looked for among names of about its length with its first
        letter, so a few hundred at most are compared."""
        if not 3 <= len(key) <= 60:
            return []
        candidates = (
            self.annotate(length=Length("name_key"))
            .filter(name_key__startswith=key[0], length__range=(len(key) - 2, len(key) + 2))
            .values_list("id", "name_key", "population")
        )
        # The typed key is the sequence the matcher studies once; each name is checked
        # by the cheap upper bounds before the ratio itself.
        matcher = difflib.SequenceMatcher(None, "", key)
        scored = []
        for pk, name, population in candidates:
            matcher.set_seq1(name)
            if matcher.real_quick_ratio() < 0.85 or matcher.quick_ratio() < 0.85:
                continue
            ratio = matcher.ratio()
            if ratio >= 0.85:
                scored.append((-ratio, -(population or 0), pk))
        ids = [pk for _r, _p, pk in sorted(scored)[:limit]]
        found = {c.id: c for c in self.filter(id__in=ids).select_related("department")}
        return [found[pk] for pk in ids if pk in found]


class Commune(models.Model):
    KINDS = [
        ("commune", _("commune")),
        ("arrondissement", _("municipal arrondissement")),
    ]
    country = models.CharField(max_length=2, default="FR")
    code = models.CharField(max_length=10, unique=True, help_text=_("INSEE code"))
    name = models.CharField(max_length=200, db_index=True)
    # `contrechamp.lib.text.name_key(name)`: "St-Étienne" and "Saint‐Étienne" (U+2010)
    # are both "saint etienne". Written by the loader; migration 0003 rewrote old keys.
    name_key = models.CharField(max_length=200, db_index=True, blank=True)
    kind = models.CharField(max_length=20, choices=KINDS, default="commune")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", null=True
    )
    epci = models.ForeignKey(
        Epci, on_delete=models.SET_NULL, related_name="communes", null=True, blank=True
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, related_name="arrondissements", null=True, blank=True
    )
    siren = models.CharField(max_length=9, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    area_km2 = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    postal_codes = models.CharField(max_length=200, blank=True)
    former_codes = models.CharField(max_length=400, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        # By the folded name: "Écully" among the E, not after "Zutzendorf".
        ordering = ["name_key", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("commune-detail", args=[self.code])


class PlaceDataLoad(models.Model):
    """One row per reference-data load: which files, which digest, when."""

    digest = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    communes = models.PositiveIntegerField()
    epcis = models.PositiveIntegerField()
    departments = models.PositiveIntegerField()
    regions = models.PositiveIntegerField()
    communes_with_area = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("load of the places' data")
        verbose_name_plural = _("loads of the places' data")
