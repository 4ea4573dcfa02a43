"""Interventions (interviews, visits, calls…) and notes."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from relais.accounts.models import User
from relais.cases import enums, services
from relais.cases.errors import ActionRefused
from relais.cases.forms import NOTE_REMINDER, InterventionForm, NoteEditForm, QuickNoteForm
from relais.cases.models import Appointment, Case, CaseShare, Note
from relais.cases.views.common import editable_case, posted, require, uuid_param
from relais.policy import rules


def note_readers(case: Case, user) -> list[User]:
    """Colleagues an assessment may be shared with: those who see the case (but the user)."""
    referents = [link.user for link in case.referent_links.select_related("user")]
    shares = CaseShare.objects.filter(
        organisation_id=case.organisation_id, case=case, revoked_at__isnull=True
    ).select_related("shared_with")
    users = {u.pk: u for u in referents + [share.shared_with for share in shares]}
    users.pop(user.pk, None)
    return sorted(users.values(), key=lambda u: (u.last_name, u.first_name))


def intervention_create(request, public_id):
    case = editable_case(request, public_id)
    if case.is_closed:
        messages.error(request, "Cet accompagnement est clos : rouvrez-le pour y écrire.")
        return redirect("cases:detail", public_id)
    appointment = None
    if appointment_id := uuid_param(request, "rendez-vous"):
        appointment = get_object_or_404(
            Appointment.objects.visible_to(request.user).filter(
                status=enums.AppointmentStatus.PLANNED
            ),
            public_id=appointment_id,
        )
    initial = {"concerns": [str(pk) for pk in case.concerns.values_list("pk", flat=True)]}
    if appointment is not None:
        initial.update(
            kind=appointment.kind,
            duration_minutes=appointment.duration_minutes,
            place=appointment.place,
        )
    form = InterventionForm(
        posted(request),
        organisation_id=case.organisation_id,
        readers=note_readers(case, request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.intervention_record(
                by=request.user,
                case=case,
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                participants=data["participants"],
                concerns=data["concerns"],
                note_body=data["note_body"],
                note_kind=data["note_kind"],
                note_shared_with=data["note_shared_with"],
                appointment=appointment,
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Intervention enregistrée.")
            return redirect("cases:detail", public_id)
    return render(
        request,
        "cases/intervention_form.html",
        {
            "case": case,
            "form": form,
            "appointment": appointment,
            "note_reminder": NOTE_REMINDER,
            "chosen_concerns": [concern.label for concern in case.concerns.all()],
        },
    )


def note_create(request, public_id):
    """The quick note of the case page (its own page again if something is wrong)."""
    case = editable_case(request, public_id)
    form = QuickNoteForm(posted(request), readers=note_readers(case, request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.note_add(
                by=request.user,
                case=case,
                body=form.cleaned_data["note_body"],
                kind=form.cleaned_data["note_kind"],
                shared_with=form.cleaned_data["note_shared_with"],
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Note ajoutée.")
            return redirect("cases:detail", public_id)
    return render(
        request,
        "cases/note_form.html",
        {"case": case, "form": form, "title": "Ajouter une note", "note_reminder": NOTE_REMINDER},
    )


def note_edit(request, public_id, note_id):
    case = editable_case(request, public_id)
    note = get_object_or_404(
        Note.objects.visible_to(request.user).filter(case=case), public_id=note_id
    )
    require(rules.can_edit_note(request.user, note))
    form = NoteEditForm(
        posted(request),
        readers=note_readers(case, request.user),
        initial={
            "note_body": note.body,
            "note_kind": note.kind,
            "note_shared_with": list(note.shared_with.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.note_update(
                by=request.user,
                note=note,
                body=form.cleaned_data["note_body"],
                kind=form.cleaned_data["note_kind"],
                shared_with=form.cleaned_data["note_shared_with"],
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Note modifiée.")
            return redirect(reverse("cases:detail", args=[public_id]) + f"#note-{note.public_id}")
    return render(
        request,
        "cases/note_form.html",
        {"case": case, "form": form, "title": "Modifier la note", "note_reminder": NOTE_REMINDER},
    )
