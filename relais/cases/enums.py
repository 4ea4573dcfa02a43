from django.db import models


class RequestOrigin(models.TextChoices):
    PERSON = "person", "La personne elle-même"
    OCCUPATIONAL_DOCTOR = "occupational_doctor", "Médecin du travail / service de santé au travail"
    HR = "hr", "Ressources humaines"
    MANAGER = "manager", "Encadrement"
    CSE = "cse", "CSE / représentant·e du personnel"
    PARTNER = "partner", "Partenaire (CAF, CPAM, association…)"
    RELATIVE = "relative", "Proche / famille"
    COLLEAGUE = "colleague", "Collègue de travail"
    OTHER = "other", "Autre"


class RequestChannel(models.TextChoices):
    IN_PERSON = "in_person", "Sur place"
    PHONE = "phone", "Téléphone"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Courrier"
    DROP_IN = "drop_in", "Permanence"
    OTHER = "other", "Autre"


class Urgency(models.TextChoices):
    NORMAL = "normal", "Habituelle"
    SOON = "soon", "Sous 48 heures"
    SAME_DAY = "same_day", "Le jour même"


class RequestStatus(models.TextChoices):
    WAITING = "waiting", "En attente"
    CONVERTED = "converted", "Accompagnement ouvert"
    CLOSED = "closed", "Close"


class RequestClosingReason(models.TextChoices):
    INFORMATION_GIVEN = "information_given", "Information donnée"
    REDIRECTED = "redirected", "Orientée vers un autre service"
    NO_FOLLOW_UP = "no_follow_up", "Sans suite de la personne"
    DUPLICATE = "duplicate", "Demande en double"
    OTHER = "other", "Autre"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Ouvert"
    ACTIVE = "active", "En cours"
    CLOSED = "closed", "Clos"


class CaseClosingReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", "Objectifs atteints"
    PERSON_ENDED = "person_ended", "Fin souhaitée par la personne"
    NO_CONTACT = "no_contact", "Sans nouvelles de la personne"
    REDIRECTED = "redirected", "Relais pris par un autre service"
    LEFT = "left", "Départ de l'entreprise / déménagement"
    DECEASED = "deceased", "Décès"
    OTHER = "other", "Autre"


class InterventionKind(models.TextChoices):
    OFFICE_INTERVIEW = "office", "Entretien au bureau"
    PHONE_INTERVIEW = "phone", "Entretien téléphonique"
    VIDEO_INTERVIEW = "video", "Visioconférence"
    HOME_VISIT = "home_visit", "Visite à domicile"
    SITE_VISIT = "site_visit", "Visite à l'hôpital / sur site"
    DROP_IN = "drop_in", "Permanence"
    CORRESPONDENCE = "correspondence", "Courrier / e-mail"
    STEP = "step", "Démarche pour la personne"
    CASE_MEETING = "case_meeting", "Réunion de synthèse / partenaire"
    GROUP_SESSION = "group_session", "Information collective"


class NoteKind(models.TextChoices):
    FACT = "fact", "Faits et éléments administratifs"
    ASSESSMENT = "assessment", "Analyse professionnelle"


class GoalStatus(models.TextChoices):
    PLANNED = "planned", "À engager"
    IN_PROGRESS = "in_progress", "En cours"
    REACHED = "reached", "Atteint"
    PARTLY_REACHED = "partly_reached", "Partiellement atteint"
    DROPPED = "dropped", "Abandonné"


class ActionOwner(models.TextChoices):
    PERSON = "person", "La personne"
    WORKER = "worker", "L'assistant·e social·e"
    PARTNER = "partner", "Un partenaire"
    TOGETHER = "together", "Ensemble"


class ActionStatus(models.TextChoices):
    TODO = "todo", "À faire"
    DONE = "done", "Fait"
    CANCELLED = "cancelled", "Annulé"


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", "Prévu"
    DONE = "done", "Honoré"
    MISSED = "missed", "Absence de la personne"
    CANCELLED = "cancelled", "Annulé"


class AidKind(models.TextChoices):
    EMERGENCY_GRANT = "emergency_grant", "Secours (aide non remboursable)"
    LOAN = "loan", "Prêt"
    ADVANCE = "advance", "Avance sur salaire"
    CSE_AID = "cse_aid", "Aide du CSE"
    ACTION_LOGEMENT = "action_logement", "Aide Action Logement"
    FSL = "fsl", "Fonds de solidarité logement (FSL)"
    CCAS = "ccas", "Aide du CCAS"
    CHARITY = "charity", "Aide d'une association"
    OTHER = "other", "Autre"


class AidStatus(models.TextChoices):
    AWAITING_DOCUMENTS = "awaiting_documents", "En attente de justificatifs"
    UNDER_REVIEW = "under_review", "En instruction"
    GRANTED = "granted", "Accordée"
    REFUSED = "refused", "Refusée"
    POSTPONED = "postponed", "Ajournée"
    DROPPED = "dropped", "Classée sans suite"


class FollowUpTrigger(models.TextChoices):
    CASE_OPENED = "case_opened", "À l'ouverture d'un accompagnement"
    URGENT_REQUEST = "urgent_request", "À l'enregistrement d'une demande urgente"
    SICK_LEAVE = "sick_leave", "Au début d'un arrêt de travail"
    AID_REQUESTED = "aid_requested", "À la demande d'une aide financière"
