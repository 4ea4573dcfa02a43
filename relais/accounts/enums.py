from django.db import models


class OrganisationKind(models.TextChoices):
    COMPANY_SERVICE = "company_service", "Service social d'entreprise"
    SSIE = "ssie", "Service social inter-entreprises"
    ADMINISTRATION = "administration", "Administration publique (FPE, FPT, FPH)"
    DEPARTMENT = "department", "Conseil départemental (polyvalence de secteur)"
    CCAS = "ccas", "CCAS / CIAS"
    HOSPITAL = "hospital", "Établissement de santé"
    SCHOOL = "school", "Service social en faveur des élèves"
    ASSOCIATION = "association", "Association"
    PRIVATE_PRACTICE = "private_practice", "Exercice libéral"


class EmployerKind(models.TextChoices):
    PRIVATE_COMPANY = "private_company", "Entreprise privée"
    PUBLIC_COMPANY = "public_company", "Entreprise publique"
    FPE = "fpe", "Fonction publique d'État"
    FPT = "fpt", "Fonction publique territoriale"
    FPH = "fph", "Fonction publique hospitalière"
    ASSOCIATION = "association", "Association"
    OTHER = "other", "Autre"


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Assistant·e de service social"
    SECRETARY = "secretary", "Secrétariat"
    MANAGER = "manager", "Cadre / chef·fe de service"
    EMPLOYER_VIEWER = "employer_viewer", "Employeur / CSE (statistiques)"
    SUPERVISOR = "supervisor", "Superviseur·e"
    ADMIN = "admin", "Administration du service"
