"""Reference lists describing a person's situation (from DESIGN.md).

They describe a situation, never judge the person. Values are stable English codes;
labels are what users read.
"""

from django.db import models


class Civility(models.TextChoices):
    MADAME = "mme", "Madame"
    MONSIEUR = "m", "Monsieur"
    NONE = "none", "Sans civilité"


class Sex(models.TextChoices):
    FEMALE = "f", "Femme"
    MALE = "m", "Homme"
    OTHER = "x", "Autre / non précisé"


class Nationality(models.TextChoices):
    # CNIL minimisation: three values, never the country.
    FRENCH = "french", "Française"
    EU = "eu", "Union européenne"
    NON_EU = "non_eu", "Hors Union européenne"


class ContractKind(models.TextChoices):
    CDI = "cdi", "CDI"
    CDD = "cdd", "CDD"
    TEMPORARY = "temporary", "Intérim"
    APPRENTICESHIP = "apprenticeship", "Apprentissage / alternance"
    CIVIL_SERVANT = "civil_servant", "Fonctionnaire titulaire"
    CONTRACT_AGENT = "contract_agent", "Contractuel·le de la fonction publique"
    SUBSIDISED = "subsidised", "Contrat aidé"
    INTERNSHIP = "internship", "Stage"
    OTHER = "other", "Autre"


class WorkingTime(models.TextChoices):
    FULL_TIME = "full_time", "Temps plein"
    PART_TIME = "part_time", "Temps partiel"
    THERAPEUTIC_PART_TIME = "therapeutic", "Temps partiel thérapeutique"


class WorkSituation(models.TextChoices):
    AT_WORK = "at_work", "En poste"
    SICK_LEAVE = "sick_leave", "Arrêt maladie"
    LONG_SICK_LEAVE = "long_sick_leave", "Arrêt longue maladie / longue durée"
    WORK_ACCIDENT = "work_accident", "Arrêt pour accident du travail / maladie professionnelle"
    THERAPEUTIC_PART_TIME = "therapeutic", "Temps partiel thérapeutique"
    DISABILITY = "disability", "Invalidité"
    MATERNITY = "maternity", "Congé maternité / paternité / parental"
    UNFIT = "unfit", "Inaptitude déclarée"
    NOTICE = "notice", "Préavis / fin de contrat"
    JOB_SEEKER = "job_seeker", "Demandeur·se d'emploi"
    RETIRED = "retired", "Retraité·e"
    OTHER = "other", "Autre"


class Accommodation(models.TextChoices):
    SOCIAL_TENANT = "social_tenant", "Locataire du parc social"
    PRIVATE_TENANT = "private_tenant", "Locataire du parc privé"
    OWNER = "owner", "Propriétaire / accédant·e"
    HOSTED_FAMILY = "hosted", "Hébergé·e chez un tiers (famille, amis)"
    INSTITUTION = "institution", "Hébergement institutionnel (CHRS, CHU, foyer…)"
    RELAY_HOUSING = "relay_housing", "Logement relais / temporaire"
    PRECARIOUS = "precarious", "Logement de fortune (véhicule, squat…)"
    HOTEL = "hotel", "Hôtel"
    NONE = "none", "Sans hébergement"


class FamilySituation(models.TextChoices):
    SINGLE = "single", "Célibataire"
    MARRIED = "married", "Marié·e"
    PACS = "pacs", "Pacsé·e"
    COHABITING = "cohabiting", "En concubinage"
    SEPARATED = "separated", "Séparé·e"
    DIVORCED = "divorced", "Divorcé·e"
    WIDOWED = "widowed", "Veuf·ve"
    SINGLE_PARENT = "single_parent", "Parent isolé"


class IncomeSource(models.TextChoices):
    SALARY = "salary", "Salaire"
    RSA = "rsa", "RSA"
    ACTIVITY_BONUS = "activity_bonus", "Prime d'activité"
    FAMILY_BENEFITS = "family_benefits", "Prestations familiales"
    ARE = "are", "Allocation chômage (ARE)"
    PENSION = "pension", "Retraite"
    ASPA = "aspa", "ASPA"
    DISABILITY_PENSION = "disability_pension", "Pension d'invalidité"
    DAILY_ALLOWANCE = "daily_allowance", "Indemnités journalières"
    AAH = "aah", "AAH"
    HOUSING_BENEFIT = "housing_benefit", "APL / aide au logement"
    ALIMONY = "alimony", "Pension alimentaire"
    OTHER = "other", "Autre"


class LegalProtection(models.TextChoices):
    NONE = "none", "Aucune"
    GUARDIANSHIP = "tutelle", "Tutelle"
    CURATORSHIP = "curatelle", "Curatelle simple"
    REINFORCED_CURATORSHIP = "curatelle_renforcee", "Curatelle renforcée"
    SAFEGUARD = "sauvegarde", "Sauvegarde de justice"
    FAMILY_AUTHORISATION = "habilitation_familiale", "Habilitation familiale"
    MASP = "masp", "MASP (accompagnement social personnalisé)"
    MAJ = "maj", "MAJ (accompagnement judiciaire)"


class Relation(models.TextChoices):
    SPOUSE = "spouse", "Conjoint·e"
    CHILD = "child", "Enfant"
    PARENT = "parent", "Parent"
    SIBLING = "sibling", "Frère / sœur"
    GRANDCHILD = "grandchild", "Petit-enfant"
    HOSTED = "hosted", "Personne hébergée"
    OTHER = "other", "Autre"
