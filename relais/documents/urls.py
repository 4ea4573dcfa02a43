from django.urls import path

from relais.documents import views

app_name = "documents"

urlpatterns = [
    path("dossiers/<uuid:case_id>/", views.case_documents, name="case"),
    path("personnes/<uuid:person_id>/", views.person_documents, name="person"),
    path("<uuid:document_id>/telecharger/", views.download, name="download"),
    path("<uuid:document_id>/supprimer/", views.delete, name="delete"),
]
