import datetime

from django.urls import path, register_converter

from relais.budget import views


class MonthConverter:
    """``2026-11`` in a URL ↔ ``date(2026, 11, 1)``; an impossible month (or one outside
    2000–2099, where no reference figures apply) is a 404."""

    regex = r"20[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> datetime.date:
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1)  # ValueError → no match → 404

    def to_url(self, value: datetime.date) -> str:
        return f"{value:%Y-%m}"


register_converter(MonthConverter, "month")

app_name = "budget"

CASE = "dossiers/<uuid:case_id>/budget/"

urlpatterns = [
    path(CASE, views.index, name="index"),
    path(CASE + "dettes/", views.debts, name="debts"),
    path(CASE + "dettes/ajouter/", views.debt_add, name="debt_add"),
    path(CASE + "dettes/<uuid:debt_id>/", views.debt_edit, name="debt_edit"),
    path(CASE + "dettes/<uuid:debt_id>/supprimer/", views.debt_delete, name="debt_delete"),
    path(CASE + "saisie-et-capacite/", views.seizable, name="seizable"),
    path(CASE + "plan-apurement/", views.plan, name="plan"),
    path(CASE + "surendettement/", views.overindebtedness, name="overindebtedness"),
    path(
        CASE + "surendettement/synthese/",
        views.overindebtedness_summary,
        name="overindebtedness_summary",
    ),
    path(CASE + "<month:month>/", views.month, name="month"),
    path(CASE + "<month:month>/creer/", views.month_create, name="month_create"),
    path(CASE + "<month:month>/remarques/", views.month_note, name="month_note"),
    path(CASE + "<month:month>/ajouter/<str:kind>/", views.line_add, name="line_add"),
    path(CASE + "<month:month>/lignes/<uuid:line_id>/", views.line_edit, name="line_edit"),
    path(
        CASE + "<month:month>/lignes/<uuid:line_id>/supprimer/",
        views.line_delete,
        name="line_delete",
    ),
    path(CASE + "<month:month>/ensemble/", views.together, name="together"),
    path(CASE + "<month:month>/budget.pdf", views.month_pdf, name="pdf"),
    path("budget/reglages/", views.settings_view, name="settings"),
]
