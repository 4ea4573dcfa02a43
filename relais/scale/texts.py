"""Short French texts the generator assembles into notes, goals and actions.

They read like what a social worker writes (facts, in words the person could read), so
that pages and PDFs render realistic lengths; none describes a real person.
"""

NOTE_OPENINGS = (
    "Entretien avec {civ} à sa demande.",
    "{Civ} appelle au sujet de sa situation.",
    "Point sur les démarches engagées.",
    "Rendez-vous fixé à la suite de l'orientation du médecin du travail.",
    "Visite à domicile, en présence de {civ}.",
    "Échange téléphonique avec {civ}.",
    "{Civ} se présente à la permanence.",
)
NOTE_FACTS = (
    "Le loyer n'est plus payé depuis deux mois ; un plan d'apurement est envisagé avec "
    "le bailleur.",
    "L'arrêt de travail est prolongé jusqu'à la fin du mois ; les indemnités journalières "
    "sont versées avec retard.",
    "Le dossier de RQTH a été déposé à la MDPH ; la réponse est attendue dans quatre mois.",
    "{Civ} souhaite préparer la visite de pré-reprise avec le médecin du travail.",
    "Une demande d'aide au CSE est préparée pour la facture d'énergie.",
    "Le dossier de surendettement est en cours d'instruction à la Banque de France.",
    "La caisse d'allocations familiales a recalculé les droits ; un rappel est attendu.",
    "La demande de logement social est renouvelée ; le numéro unique est conservé.",
    "{Civ} indique que la séparation est effective ; la garde des enfants est alternée.",
    "Les justificatifs de ressources ont été transmis à l'organisme.",
    "Un rendez-vous est pris avec la conseillère France Travail.",
    "{Civ} accepte que l'on contacte la CPAM pour débloquer le versement.",
    "La saisie sur salaire a été notifiée ; le calcul de la quotité saisissable est vérifié.",
    "Le budget a été repris ensemble ; le reste à vivre reste inférieur au forfait RSA.",
    "Un courrier est rédigé pour demander un échéancier au créancier.",
)
NOTE_CLOSINGS = (
    "Prochain rendez-vous dans quinze jours.",
    "{Civ} rappellera après avoir reçu la réponse.",
    "À revoir lors du prochain entretien.",
    "Je transmets les éléments au partenaire avec l'accord de {civ}.",
    "",
)
ASSESSMENT_SENTENCES = (
    "{Civ} paraît épuisé·e par la multiplication des démarches ; prévoir des rendez-vous courts.",
    "La situation financière se stabilise mais reste fragile en cas d'imprévu.",
    "{Civ} prend appui sur sa famille ; l'isolement diminue.",
    "Les difficultés au travail semblent liées à la reprise trop rapide après l'arrêt.",
)
GOAL_WORDS = (
    "Ne plus avoir peur d'ouvrir mon courrier.",
    "Garder mon logement.",
    "Reprendre le travail sans me mettre en danger.",
    "Payer mes dettes petit à petit.",
    "Trouver un logement plus près de mon travail.",
    "Que mes enfants puissent partir en vacances cet été.",
    "Comprendre mes droits pendant mon arrêt.",
    "Avoir un budget qui tombe juste à la fin du mois.",
    "Faire reconnaître mon handicap au travail.",
    "Me séparer dans de bonnes conditions pour les enfants.",
)
GOAL_WORDINGS = (
    "Sécuriser le maintien dans le logement.",
    "Préparer le retour à l'emploi avec le médecin du travail.",
    "Constituer le dossier de surendettement.",
    "Ouvrir les droits aux prestations.",
    "Obtenir la reconnaissance de la qualité de travailleur handicapé.",
    "Stabiliser le budget du foyer.",
    "",
)
ACTIONS = (
    ("Rassembler les trois derniers bulletins de salaire", "person"),
    ("Déposer le dossier à la MDPH", "together"),
    ("Appeler le bailleur pour un plan d'apurement", "worker"),
    ("Prendre rendez-vous avec le médecin du travail", "person"),
    ("Instruire la demande d'aide au CSE", "worker"),
    ("Faire le point sur les droits CAF", "partner"),
    ("Remplir le dossier Banque de France", "together"),
    ("Demander un échéancier au fournisseur d'énergie", "person"),
)
TASK_TITLES = (
    "Rappeler la personne",
    "Relancer la CPAM",
    "Vérifier la réponse de la MDPH",
    "Préparer la commission d'aide",
    "Envoyer le courrier au bailleur",
    "Faire le bilan du plan d'accompagnement",
    "Préparer la visite de pré-reprise",
    "Transmettre les justificatifs à la CAF",
)
AID_PURPOSES = (
    "Facture d'énergie",
    "Loyer en retard",
    "Réparation du véhicule pour aller travailler",
    "Frais de garde",
    "Caution d'un nouveau logement",
    "Frais d'obsèques",
    "Achat de lunettes",
)
AID_FUNDERS = ("CSE", "Employeur", "Action Logement", "FSL", "CCAS", "Secours populaire")
PLACES = ("Bureau du service", "Permanence sur site", "Domicile", "Par téléphone", "Visio", "")
PARTICIPANTS = ("", "", "", "conjoint·e", "médecin du travail", "conseillère CAF", "RH")
JOB_TITLES = (
    "Agent·e d'entretien",
    "Conducteur·rice de bus",
    "Aide-soignant·e",
    "Infirmier·e",
    "Préparateur·rice de commandes",
    "Caissier·e",
    "Agent·e administratif·ve",
    "Technicien·ne de maintenance",
    "Cariste",
    "Chargé·e de clientèle",
    "Cuisinier·e",
    "Agent·e de sécurité",
    "Comptable",
    "Assistant·e de direction",
    "Ouvrier·e de production",
    "Ingénieur·e",
    "Auxiliaire de puériculture",
    "Agent·e de quai",
    "Magasinier·e",
    "Animateur·rice",
)
EMPLOYER_SUFFIXES = (
    "SAS",
    "SA",
    "Logistique",
    "Transports",
    "Industries",
    "Services",
    "Distribution",
    "Santé",
    "Groupe",
    "Mutuelle",
)
TEAM_NAMES = (
    "Équipe Nord",
    "Équipe Sud",
    "Équipe Est",
    "Équipe Ouest",
    "Équipe Centre",
    "Équipe Littoral",
    "Équipe Vallée",
    "Équipe Métropole",
    "Équipe Plateau",
    "Équipe Ports",
)
