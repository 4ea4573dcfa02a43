from django.urls import path

from relais.cases.views import agenda, aid, cases, notes, plans, requests

app_name = "cases"

case = "dossiers/<uuid:public_id>/"

urlpatterns = [
    # Intake
    path("demandes/", requests.queue, name="requests"),
    path("demandes/nouvelle/", requests.create, name="request_create"),
    path("demandes/<uuid:request_id>/", requests.detail, name="request_detail"),
    path("demandes/<uuid:request_id>/confier/", requests.assign, name="request_assign"),
    path("demandes/<uuid:request_id>/cloture/", requests.close, name="request_close"),
    path("demandes/<uuid:request_id>/accompagnement/", requests.convert, name="request_convert"),
    # Cases
    path("dossiers/", cases.caseload, name="caseload"),
    path("dossiers/ouvrir/", cases.open_case, name="open"),
    path(case, cases.detail, name="detail"),
    path(case + "modifier/", cases.edit, name="edit"),
    path(case + "cloture/", cases.close, name="close"),
    path(case + "reouverture/", cases.reopen, name="reopen"),
    path(case + "partage/", cases.share, name="share"),
    path(case + "partage/<uuid:share_id>/retrait/", cases.share_revoke, name="share_revoke"),
    # Interventions and notes
    path(case + "entretien/", notes.intervention_create, name="intervention_create"),
    path(case + "notes/", notes.note_create, name="note_create"),
    path(case + "notes/<uuid:note_id>/", notes.note_edit, name="note_edit"),
    # Support plan
    path(case + "plan/nouveau/", plans.plan_create, name="plan_create"),
    path(case + "plan/<uuid:plan_id>/", plans.plan_detail, name="plan_detail"),
    path(case + "plan/<uuid:plan_id>/objectif/", plans.goal_add, name="goal_add"),
    path(case + "plan/<uuid:plan_id>/bilan/", plans.plan_review, name="plan_review"),
    path(case + "objectifs/<uuid:goal_id>/", plans.goal_edit, name="goal_edit"),
    path(case + "objectifs/<uuid:goal_id>/action/", plans.action_add, name="action_add"),
    path(case + "actions/<uuid:action_id>/", plans.action_edit, name="action_edit"),
    # Financial aid
    path(case + "aides/nouvelle/", aid.aid_create, name="aid_create"),
    path(case + "aides/<uuid:aid_id>/", aid.aid_edit, name="aid_edit"),
    # Tasks, agenda, appointments
    path(case + "taches/nouvelle/", agenda.task_create, name="case_task_create"),
    path("taches/", agenda.tasks, name="tasks"),
    path("taches/nouvelle/", agenda.task_create, name="task_create"),
    path("taches/<uuid:task_id>/faite/", agenda.task_complete, name="task_complete"),
    path("agenda/", agenda.agenda, name="agenda"),
    path("rendez-vous/nouveau/", agenda.appointment_create, name="appointment_create"),
    path(
        "rendez-vous/<uuid:appointment_id>/annulation/",
        agenda.appointment_cancel,
        name="appointment_cancel",
    ),
    path(
        "rendez-vous/<uuid:appointment_id>/statut/",
        agenda.appointment_mark,
        name="appointment_mark",
    ),
]
