"""The casework pages, as a social worker and a secretary use them."""

import datetime
from html import unescape

from django.urls import reverse
from django.utils import timezone

from relais.audit.models import AccessEvent
from relais.cases import enums
from relais.cases.models import (
    LONG_TEXT_MAX_LENGTH,
    Appointment,
    Case,
    CaseShare,
    FinancialAid,
    Goal,
    Intervention,
    Request,
    Task,
)


def local_input(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- Case page -----------------------------------------------------------------------------


def test_the_case_page_says_who_and_where_we_are(client, alice, file):
    client.force_login(alice)
    response = client.get(reverse("cases:detail", args=[file.case.public_id]))
    text = response.text
    assert "Hélène DUPONT" in text
    assert "Transports Garonne" in text and "Conductrice" in text
    assert f"{file.person.age()} ans" in text
    assert "Relancer la CAF" in text  # next task
    assert "Nouvel entretien" in text
    assert "bulletins de salaire" in text
    assert "Garder mon appartement" in text
    assert AccessEvent.objects.filter(
        action="view", object_type="cases.case", case_id=file.case.pk, user=alice
    ).exists()


def test_the_case_page_s_side_sections_show_what_the_other_apps_hold(
    client, alice, bob, organisation, file
):
    """The budget, the referrals and "who consulted this file", with rows (their markup
    is Jinja2: templates/jinja2/)."""
    from relais.audit.log import record_access
    from tests import factories

    month = timezone.localdate().replace(day=1)
    budget = factories.BudgetFactory(person=file.person, month=month)
    factories.BudgetLineFactory(budget=budget, amount=1500)
    factories.BudgetLineFactory(budget=budget, charge=True, amount=650)
    for court_action in ("none", "payment_order"):
        factories.DebtFactory(person=file.person, amount_owed=1000, court_action=court_action)
    factories.ReferralFactory(
        case=file.case,
        partner=factories.PartnerFactory(organisation=organisation, name="Action Logement"),
        status="sent",
        expected_answer_on=datetime.date(2031, 5, 7),
    )
    record_access(user=bob, organisation_id=organisation.pk, obj=file.case)
    record_access(user=None, organisation_id=organisation.pk, obj=file.case)
    client.force_login(alice)
    text = unescape(client.get(reverse("cases:detail", args=[file.case.public_id])).text)
    nbsp = "\u00a0"
    assert f"ressources 1{nbsp}500,00{nbsp}€, charges 650,00{nbsp}€, solde 850,00{nbsp}€" in text
    assert f"2 dettes en cours : 2{nbsp}000,00{nbsp}€, dont 1 avec une procédure." in text
    assert "Action Logement</a> · <strong>envoyée</strong>, réponse attendue le 07/05/2031" in text
    assert f'{bob.display_name} <span class="muted">· Assistant·e de service social</span>' in text
    assert "(compte supprimé)" in text


def test_recording_an_interview_with_a_note(client, alice, file, concern):
    client.force_login(alice)
    url = reverse("cases:intervention_create", args=[file.case.public_id])
    form = client.get(url).text
    assert "La personne peut demander à lire ce qui est écrit sur elle" in form
    response = client.post(
        url,
        {
            "kind": "phone",
            "occurred_at": local_input(timezone.now() - datetime.timedelta(minutes=10)),
            "duration_minutes": "20",
            "concerns": [str(concern("budget-endettement").pk)],
            "note_kind": "fact",
            "note_body": "Madame a reçu la réponse de la Banque de France.",
        },
    )
    assert response.status_code == 302
    intervention = Intervention.objects.filter(case=file.case).order_by("-pk").first()
    assert intervention.kind == "phone"
    assert intervention.notes.get().body.startswith("Madame a reçu")
    page = client.get(reverse("cases:detail", args=[file.case.public_id])).text
    assert "Banque de France" in page


def test_an_interview_in_the_future_is_refused_and_the_note_kept(client, alice, file):
    client.force_login(alice)
    response = client.post(
        reverse("cases:intervention_create", args=[file.case.public_id]),
        {
            "kind": "office",
            "occurred_at": local_input(timezone.now() + datetime.timedelta(days=2)),
            "duration_minutes": "30",
            "note_kind": "fact",
            "note_body": "Texte précieux à ne pas perdre.",
        },
    )
    assert response.status_code == 200
    assert "se note comme rendez-vous" in response.text
    assert "Texte précieux à ne pas perdre." in response.text
    assert Intervention.objects.filter(case=file.case).count() == 1


def test_a_too_long_note_gets_a_french_message_and_is_kept(client, alice, file):
    client.force_login(alice)
    body = "x" * (LONG_TEXT_MAX_LENGTH + 1)
    response = client.post(
        reverse("cases:note_create", args=[file.case.public_id]),
        {"note_kind": "fact", "note_body": body},
    )
    assert response.status_code == 200
    assert "limité à 20\u202f000 caractères" in response.text
    assert body in response.text


def test_a_10_mb_text_gets_a_clear_french_page(client, alice, file):
    client.force_login(alice)
    response = client.post(
        reverse("cases:note_create", args=[file.case.public_id]),
        {"note_kind": "fact", "note_body": "x" * (10 * 1024 * 1024)},
    )
    assert response.status_code == 400
    assert "trop volumineux" in response.text
    assert "Rien n'a été enregistré" in unescape(response.text)
    assert file.case.notes.count() == 2


def test_html_in_notes_is_shown_as_text(client, alice, file):
    client.force_login(alice)
    client.post(
        reverse("cases:note_create", args=[file.case.public_id]),
        {"note_kind": "fact", "note_body": "<script>alert('x')</script><b>gras</b>"},
    )
    page = client.get(reverse("cases:detail", args=[file.case.public_id])).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;gras&lt;/b&gt;" in page


def test_editing_ones_note(client, alice, file):
    client.force_login(alice)
    url = reverse("cases:note_edit", args=[file.case.public_id, file.fact.public_id])
    response = client.post(url, {"note_kind": "fact", "note_body": "Corrigé."})
    assert response.status_code == 302
    file.fact.refresh_from_db()
    assert file.fact.body == "Corrigé."


def test_closing_needs_a_reason_then_reopening(client, alice, file):
    client.force_login(alice)
    url = reverse("cases:close", args=[file.case.public_id])
    response = client.post(url, {"closed_on": timezone.localdate().isoformat()})
    assert response.status_code == 200
    assert "Indiquez le motif de clôture." in response.text
    file.case.refresh_from_db()
    assert file.case.status != enums.CaseStatus.CLOSED

    response = client.post(
        url, {"reason": "goals_reached", "closed_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    file.case.refresh_from_db()
    assert file.case.status == enums.CaseStatus.CLOSED
    page = client.get(reverse("cases:detail", args=[file.case.public_id])).text
    assert "Rouvrir" in page and "Nouvel entretien" not in page

    client.post(reverse("cases:reopen", args=[file.case.public_id]))
    file.case.refresh_from_db()
    assert file.case.status == enums.CaseStatus.ACTIVE


def test_closing_with_a_date_in_the_future_is_refused(client, alice, file):
    client.force_login(alice)
    response = client.post(
        reverse("cases:close", args=[file.case.public_id]),
        {
            "reason": "other",
            "closed_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert "ne peut pas être dans le futur" in response.text


def test_sharing_with_a_colleague_until_a_date(client, alice, bob, file):
    client.force_login(alice)
    until = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        reverse("cases:share", args=[file.case.public_id]),
        {"shared_with": bob.pk, "until": until.isoformat(), "reason": "Congés d'été"},
    )
    assert response.status_code == 302
    share = CaseShare.objects.get(case=file.case)
    assert (share.shared_with, share.ends_on) == (bob, until)
    client.post(reverse("cases:share_revoke", args=[file.case.public_id, share.public_id]))
    share.refresh_from_db()
    assert share.revoked_at is not None


def test_sharing_without_a_reason_is_refused(client, alice, bob, file):
    client.force_login(alice)
    response = client.post(
        reverse("cases:share", args=[file.case.public_id]),
        {"shared_with": bob.pk, "until": timezone.localdate().isoformat(), "reason": ""},
    )
    assert "Indiquez pourquoi vous partagez ce dossier." in response.text


def test_opening_a_case_for_a_person(client, alice, bob, file, concern):
    client.force_login(alice)
    response = client.post(
        reverse("cases:open") + f"?personne={file.person.public_id}",
        {"referents": [bob.pk, alice.pk], "concerns": [str(concern("logement-maintien").pk)]},
    )
    case = Case.objects.exclude(pk=file.case.pk).get()
    assert response["Location"] == reverse("cases:detail", args=[case.public_id])
    assert case.referent_links.get(is_primary=True).user == alice


# --- Plan ----------------------------------------------------------------------------------


def test_building_a_plan_with_the_person(client, alice, file):
    client.force_login(alice)
    c = file.case.public_id
    response = client.post(
        reverse("cases:plan_create", args=[c]), {"started_on": timezone.localdate().isoformat()}
    )
    plan = file.case.plans.order_by("-pk").first()
    assert response["Location"] == reverse("cases:goal_add", args=[c, plan.public_id])
    response = client.post(
        reverse("cases:goal_add", args=[c, plan.public_id]),
        {"person_words": "Ne plus avoir peur du courrier", "worker_wording": ""},
    )
    goal = Goal.objects.get(plan=plan)
    assert response["Location"] == reverse("cases:action_add", args=[c, goal.public_id])
    client.post(
        reverse("cases:action_add", args=[c, goal.public_id]),
        {"description": "Ouvrir le courrier ensemble", "owner": "together"},
    )
    client.post(
        reverse("cases:plan_review", args=[c, plan.public_id]),
        {"review": "Le courrier est ouvert chaque lundi.", "reviewed_on": timezone.localdate()},
    )
    sheet = client.get(reverse("cases:plan_detail", args=[c, plan.public_id])).text
    assert "« Ne plus avoir peur du courrier »" in sheet
    assert "Ensemble" in sheet and "Ouvrir le courrier ensemble" in sheet
    assert "Le courrier est ouvert chaque lundi." in sheet
    assert 'media="print"' in sheet


def test_a_goal_without_the_persons_words_is_refused(client, alice, file):
    client.force_login(alice)
    response = client.post(
        reverse("cases:goal_add", args=[file.case.public_id, file.plan.public_id]),
        {"person_words": "", "worker_wording": "Accès au logement"},
    )
    assert "Écrivez l'objectif avec les mots de la personne." in unescape(response.text)
    assert "Accès au logement" in response.text


# --- Tasks, agenda, aid --------------------------------------------------------------------


def test_tasks_overdue_and_done(client, alice, file):
    Task.objects.filter(pk=file.task.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    client.force_login(alice)
    page = client.get(reverse("cases:tasks")).text
    assert "En retard (1)" in page and "Relancer la CAF" in page
    client.post(reverse("cases:task_complete", args=[file.task.public_id]))
    file.task.refresh_from_db()
    assert file.task.done_at is not None


def test_adding_a_task_to_a_case(client, alice, file):
    client.force_login(alice)
    client.post(
        reverse("cases:case_task_create", args=[file.case.public_id]),
        {"title": "Visite de pré-reprise", "due_on": "2030-01-15", "assignee": alice.pk},
    )
    assert file.case.tasks.filter(title="Visite de pré-reprise").exists()


def test_the_agenda_by_day_and_week(client, alice, secretary, file):
    client.force_login(alice)
    day = client.get(reverse("cases:agenda")).text
    assert "Hélène DUPONT" in day
    week = client.get(reverse("cases:agenda"), {"vue": "semaine"}).text
    assert week.count("agenda-day") >= 7
    client.force_login(secretary)
    page = client.get(reverse("cases:agenda"), {"avec": str(alice.public_id)}).text
    assert "Hélène DUPONT" in page


def test_an_appointment_in_the_past_is_refused(client, secretary, alice, file):
    client.force_login(secretary)
    response = client.post(
        reverse("cases:appointment_create") + f"?personne={file.person.public_id}",
        {
            "worker": alice.pk,
            "starts_at": local_input(timezone.now() - datetime.timedelta(days=1)),
            "duration_minutes": 45,
            "kind": "office",
        },
    )
    assert "ne peut pas être dans le passé" in response.text


def test_marking_a_missed_appointment(client, alice, file):
    Appointment.objects.filter(pk=file.appointment.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(alice)
    client.post(
        reverse("cases:appointment_mark", args=[file.appointment.public_id]), {"status": "missed"}
    )
    file.appointment.refresh_from_db()
    assert file.appointment.status == "missed"


def test_following_an_aid_request_to_its_decision(client, alice, file):
    client.force_login(alice)
    c = file.case.public_id
    client.post(
        reverse("cases:aid_create", args=[c]),
        {
            "kind": "action_logement",
            "funder": "Action Logement",
            "amount_requested": "1200,50",
            "requested_on": timezone.localdate().isoformat(),
        },
    )
    aid = FinancialAid.objects.get(case=file.case, funder="Action Logement")
    assert str(aid.amount_requested) == "1200.50"
    url = reverse("cases:aid_edit", args=[c, aid.public_id])
    response = client.post(url, {"action": "decision", "decision-decision": "granted"})
    assert "Indiquez le montant accordé." in response.text
    client.post(
        url,
        {
            "action": "decision",
            "decision-decision": "granted",
            "decision-amount_granted": "1000",
            "decision-decided_on": timezone.localdate().isoformat(),
        },
    )
    aid.refresh_from_db()
    assert (aid.status, aid.amount_granted) == ("granted", 1000)


def test_a_negative_aid_amount_is_refused(client, alice, file):
    client.force_login(alice)
    response = client.post(
        reverse("cases:aid_create", args=[file.case.public_id]),
        {"kind": "loan", "funder": "CSE", "amount_requested": "-5", "requested_on": "2026-01-01"},
    )
    assert "Le montant demandé doit être positif." in response.text


# --- Intake --------------------------------------------------------------------------------


def test_the_secretary_records_a_request_and_a_first_appointment(client, secretary, alice, file):
    client.force_login(secretary)
    url = reverse("cases:request_create") + f"?personne={file.person.public_id}"
    form = client.get(url).text
    assert "Problématiques" not in form
    when = timezone.now() + datetime.timedelta(days=2)
    response = client.post(
        url,
        {
            "origin": "occupational_doctor",
            "channel": "email",
            "received_on": timezone.localdate().isoformat(),
            "urgency": "soon",
            "summary": "Le médecin du travail signale une situation d'épuisement.",
            "assigned_to": alice.pk,
            "appointment_at": local_input(when),
            "appointment_kind": "office",
        },
    )
    intake = Request.objects.get(origin="occupational_doctor")
    assert response["Location"] == reverse("cases:request_detail", args=[intake.public_id])
    appointment = intake.appointments.get()
    assert appointment.worker == alice and appointment.person == file.person
    assert intake.tasks.get().assignee == alice
    queue = client.get(reverse("cases:requests")).text
    assert "Sous 48 heures" in queue


def test_a_first_appointment_needs_a_worker(client, secretary, file):
    client.force_login(secretary)
    response = client.post(
        reverse("cases:request_create") + f"?personne={file.person.public_id}",
        {
            "origin": "person",
            "channel": "phone",
            "received_on": timezone.localdate().isoformat(),
            "urgency": "normal",
            "appointment_at": local_input(timezone.now() + datetime.timedelta(days=1)),
        },
    )
    assert "Choisissez avec qui le premier rendez-vous est pris." in response.text
    assert Request.objects.count() == 1


def test_intake_starts_with_finding_the_person(client, secretary, file):
    client.force_login(secretary)
    page = client.get(reverse("cases:request_create"), {"q": "dupont"}).text
    assert f"?personne={file.person.public_id}" in page
    assert "Nouvelle personne" in page


def test_a_request_becomes_a_case(client, alice, file):
    client.force_login(alice)
    url = reverse("cases:request_convert", args=[file.request.public_id])
    page = client.get(url).text
    assert "Rattacher à l'accompagnement" in unescape(page)
    response = client.post(url, {"cible-target": str(file.case.public_id)})
    assert response["Location"] == reverse("cases:detail", args=[file.case.public_id])
    file.request.refresh_from_db()
    assert file.request.case == file.case


def test_closing_a_request_needs_a_reason(client, secretary, file):
    client.force_login(secretary)
    url = reverse("cases:request_close", args=[file.request.public_id])
    assert "Indiquez pourquoi la demande est close." in client.post(url, {}).text
    client.post(url, {"reason": "redirected"})
    file.request.refresh_from_db()
    assert file.request.status == "closed"


def test_assigning_a_request(client, secretary, bob, file):
    client.force_login(secretary)
    client.post(
        reverse("cases:request_assign", args=[file.request.public_id]), {"assigned_to": bob.pk}
    )
    file.request.refresh_from_db()
    assert file.request.assigned_to == bob


def test_the_quick_note_s_fields_are_rendered_once_and_a_filled_form_each_time():
    from django.template.loader import render_to_string

    from relais.cases.forms import NOTE_REMINDER, QuickNoteForm
    from relais.cases.templatetags.cases_tags import quick_note_fields

    fresh = render_to_string(
        "cases/includes/quick_note_fields.html",
        {"quick_note": QuickNoteForm(readers=None), "note_reminder": NOTE_REMINDER},
    )
    for _ in range(2):  # the second page reads what the first kept
        assert quick_note_fields(QuickNoteForm(readers=None), NOTE_REMINDER) == fresh
    assert 'name="note_body"' in fresh and 'value="assessment"' in fresh
    refused = QuickNoteForm({"note_body": "", "note_kind": "fact"}, readers=None)
    assert not refused.is_valid()
    assert "La note est vide." in quick_note_fields(refused, NOTE_REMINDER)
    assert "La note est vide." not in quick_note_fields(QuickNoteForm(readers=None), NOTE_REMINDER)
