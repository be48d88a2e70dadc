from django.urls import URLPattern, URLResolver, path

from contrechamp.audit import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.audit_log, name="audit-log"),
    path("export.csv", views.audit_export_csv, name="audit-export-csv"),
    path("export.jsonl", views.audit_export_jsonl, name="audit-export-jsonl"),
]
