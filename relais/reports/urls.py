from django.urls import path

from relais.reports import copy_views, views

app_name = "reports"

urlpatterns = [
    path("dossiers/<uuid:case_id>/", views.case_reports, name="case"),
    path("dossiers/<uuid:case_id>/nouveau/", views.create, name="create"),
    path("<uuid:report_id>/", views.detail, name="detail"),
    path("<uuid:report_id>/modifier/", views.edit, name="edit"),
    path("<uuid:report_id>/finaliser/", views.finalise, name="finalise"),
    path("<uuid:report_id>/amender/", views.amend, name="amend"),
    path("<uuid:report_id>/remise/", views.deliver, name="deliver"),
    path("<uuid:report_id>/versions/<int:number>/", views.version_detail, name="version"),
    path("<uuid:report_id>/pdf/", views.pdf, name="pdf"),
    path("<uuid:report_id>/docx/", views.docx, name="docx"),
    path("personnes/<uuid:person_id>/copie/", copy_views.person_copies, name="person_copies"),
    path("personnes/<uuid:person_id>/copie/nouvelle/", copy_views.start, name="copy_start"),
    path("copies/<uuid:copy_id>/", copy_views.review, name="copy_review"),
    path(
        "copies/<uuid:copy_id>/occultations/<uuid:redaction_id>/annuler/",
        copy_views.unredact,
        name="copy_unredact",
    ),
    path("copies/<uuid:copy_id>/produire/", copy_views.produce, name="copy_produce"),
    path("copies/<uuid:copy_id>/abandonner/", copy_views.cancel, name="copy_cancel"),
    path(
        "copies/<uuid:copy_id>/telecharger/<str:fmt>/",
        copy_views.download,
        name="copy_download",
    ),
]
