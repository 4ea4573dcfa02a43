from django.db import models


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", "Pièce d'identité / titre de séjour"
    PAYSLIP = "payslip", "Bulletin de salaire"
    TAX_NOTICE = "tax_notice", "Avis d'imposition"
    BENEFIT_NOTICE = "benefit_notice", "Notification ou attestation (CAF, CPAM, France Travail…)"
    HOUSING = "housing", "Bail, quittance, avis d'échéance"
    BILL = "bill", "Facture, échéancier"
    BANK_STATEMENT = "bank_statement", "Relevé bancaire"
    DEBT = "debt", "Courrier de créancier, commissaire de justice"
    COURT = "court", "Jugement, décision administrative"
    WORK = "work", "Arrêt de travail, avis du médecin du travail"
    LETTER = "letter", "Courrier"
    OTHER = "other", "Autre"
