"""Concerns map to the data.inclusion schema v1 thématiques.

The first list was written against the older vocabulary (groups ``handicap`` and
``acces-aux-droits-et-citoyennete`` no longer exist). Rows still carrying the shipped code
are corrected; a mapping an organisation changed itself is left alone.
"""

from django.db import migrations

# concern code: (old thématique, data.inclusion v1 thématique)
CHANGES = {
    "acces-droits": ("acces-aux-droits-et-citoyennete", "difficultes-administratives-ou-juridiques"),
    "acces-droits-demarches": ("acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives", "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"),
    "acces-droits-numerique": ("numerique", "numerique--acceder-a-des-services-en-ligne"),
    "acces-droits-prestations": ("acces-aux-droits-et-citoyennete--connaitre-ses-droits", "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"),
    "acces-droits-sejour": ("acces-aux-droits-et-citoyennete--demandeurs-dasile-et-naturalisation", "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete"),
    "addictions": ("sante", "sante--addictions"),
    "addictions-alcool": ("sante", "sante--addictions"),
    "addictions-autres": ("sante", "sante--addictions"),
    "aidants": ("famille--soutien-aux-aidants", "famille--soutien-aidants"),
    "aidants-enfant-handicape": ("handicap", "famille--prise-en-charge-personne-dependante"),
    "aidants-proche-dependant": ("famille--soutien-aux-aidants", "famille--prise-en-charge-personne-dependante"),
    "budget-aide-financiere": ("difficultes-financieres", "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere"),
    "famille-naissance": ("famille--soutien-a-la-parentalite", "famille--soutien-a-la-parentalite-et-a-leducation"),
    "famille-separation": ("famille--soutien-a-la-parentalite", "famille--surmonter-conflits-separation-violence"),
    "handicap": ("handicap", "sante--constituer-un-dossier-mdph-invalidite"),
    "handicap-amenagement": ("handicap--adapter-son-logement", "trouver-un-emploi--maintien-dans-lemploi"),
    "handicap-mdph": ("handicap--faire-reconnaitre-un-handicap", "sante--constituer-un-dossier-mdph-invalidite"),
    "logement-acces": ("logement-hebergement--etre-accompagne-pour-se-loger", "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement"),
    "logement-adaptation": ("logement-hebergement--besoin-dadapter-mon-logement", "logement-hebergement--se-maintenir-dans-le-logement"),
    "logement-maintien": ("logement-hebergement--probleme-avec-son-logement", "logement-hebergement--se-maintenir-dans-le-logement"),
    "logement-sans-logement": ("logement-hebergement--mal-loges-sans-logis", "logement-hebergement--rechercher-une-solution-dhebergement-temporaire"),
    "maintien-emploi": ("handicap--favoriser-le-retour-et-le-maintien-dans-lemploi", "trouver-un-emploi--maintien-dans-lemploi"),
    "maintien-inaptitude": ("handicap--favoriser-le-retour-et-le-maintien-dans-lemploi", "trouver-un-emploi--maintien-dans-lemploi"),
    "maintien-pre-reprise": ("handicap--favoriser-le-retour-et-le-maintien-dans-lemploi", "trouver-un-emploi--maintien-dans-lemploi"),
    "maintien-rdv-liaison": ("handicap--favoriser-le-retour-et-le-maintien-dans-lemploi", "trouver-un-emploi--maintien-dans-lemploi"),
    "maintien-reclassement": ("choisir-un-metier", "trouver-un-emploi--maintien-dans-lemploi"),
    "maintien-rqth": ("handicap--faire-reconnaitre-un-handicap", "sante--constituer-un-dossier-mdph-invalidite"),
    "maintien-tpt": ("handicap--favoriser-le-retour-et-le-maintien-dans-lemploi", "trouver-un-emploi--maintien-dans-lemploi"),
    "mobilite-permis": ("mobilite", "mobilite--preparer-un-permis"),
    "mobilite-transport": ("mobilite", "mobilite--etre-accompagne-dans-son-parcours-mobilite"),
    "retraite": ("acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives", "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"),
    "retraite-anticipee": ("acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives", "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"),
    "retraite-preparation": ("acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives", "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"),
    "rps-conflit": ("acces-aux-droits-et-citoyennete--accompagnement-juridique", "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"),
    "rps-harcelement": ("acces-aux-droits-et-citoyennete--lutte-contre-les-discriminations", "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination"),
    "violences": ("famille--violences-intrafamiliales", "famille--surmonter-conflits-separation-violence"),
    "violences-conjugales": ("famille--violences-intrafamiliales", "famille--surmonter-conflits-separation-violence"),
    "violences-intrafamiliales": ("famille--violences-intrafamiliales", "famille--surmonter-conflits-separation-violence"),
    "violences-protection-enfance": ("famille--violences-intrafamiliales", "famille--surmonter-conflits-separation-violence"),
}


def forwards(apps, schema_editor):
    Concern = apps.get_model("cases", "Concern")
    for code, (old, new) in CHANGES.items():
        Concern.objects.filter(code=code, datainclusion_thematique=old).update(
            datainclusion_thematique=new
        )


def backwards(apps, schema_editor):
    Concern = apps.get_model("cases", "Concern")
    for code, (old, new) in CHANGES.items():
        Concern.objects.filter(code=code, datainclusion_thematique=new).update(
            datainclusion_thematique=old
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_seed_followup_rules")]

    operations = [migrations.RunPython(forwards, backwards)]
