"""The web app's words in French and English: the form's fields (labelled with the events spreadsheet's column
names, with a hint each) and every sentence of its pages."""

from __future__ import annotations

LANGUAGES = ("fr", "en")

# Each field of one events row: its label (the spreadsheet's column name in that language, as `kit pack` reads it
# in a header) and a hint. The order is the form's.
FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "venue_type": {
        "fr": ("Type de lieu", "Le genre de lieu : il choisit les documents du dossier."),
        "en": ("Venue type", "The kind of place: it chooses the pack's documents."),
    },
    "venue_name": {
        "fr": (
            "Nom du lieu",
            "Le nom que les gens connaissent, comme « Mairie de Lille » (60 signes au plus).",
        ),
        "en": ("Venue name", 'The name people know it by, like "Lille town hall" (60 characters at most).'),
    },
    "address": {
        "fr": ("Adresse", "Numéro et rue, facultatif (120 signes au plus)."),
        "en": ("Address", "Number and street, optional (120 characters at most)."),
    },
    "postcode": {
        "fr": ("Code postal", "Cinq chiffres, comme 59000 ; facultatif."),
        "en": ("Postcode", "Five digits, like 59000; optional."),
    },
    "city": {
        "fr": ("Ville", "Facultatif (60 signes au plus)."),
        "en": ("City", "Optional (60 characters at most)."),
    },
    "date": {
        "fr": ("Date", "Comme 12/03/2026 ou 2026-03-12."),
        "en": ("Date", "Like 2026-03-12 or 12/03/2026."),
    },
    "start_time": {
        "fr": ("Heure de début", "Comme 14:00 ou 14h ; obligatoire pour certains lieux (Café IA)."),
        "en": ("Start time", "Like 14:00 or 14h; needed by some places (Café IA)."),
    },
    "end_time": {
        "fr": ("Heure de fin", "Comme 16:30 ou 16h30."),
        "en": ("End time", "Like 16:30 or 16h30."),
    },
    "contact": {
        "fr": ("Contact", "Un numéro de téléphone ou une adresse e-mail, facultatif."),
        "en": ("Contact", "A phone number or an e-mail address, optional."),
    },
    "languages": {
        "fr": ("Langues", "Codes à deux lettres séparés par des virgules, comme fr,ar (vide : français)."),
        "en": ("Languages", "Two-letter codes separated by commas, like fr,ar (empty: French)."),
    },
    "falc": {
        "fr": ("FALC", "Oui ou non : les documents en Facile à lire et à comprendre (oui par défaut)."),
        "en": ("FALC", "Yes or no: the Easy-to-Read documents (yes by default)."),
    },
    "id": {
        "fr": ("Identifiant", "Facultatif : des lettres, des chiffres et des tirets ; vide, kit en fait un."),
        "en": ("Id", "Optional: letters, digits and hyphens; empty, kit makes one."),
    },
}

# A sentence that counts something is a pair: (for one, for several). French says "1 page" and "0 page", English
# "1 page" and "0 pages" (counted() chooses); a sentence with two counts is written so that neither agrees.
TEXTS: dict[str, dict[str, str | tuple[str, str]]] = {
    "fr": {
        "app": "kit : documents à imprimer",
        "skip": "Aller au contenu",
        "nav_event": "Un événement",
        "nav_upload": "Un tableau d'événements",
        "other_lang": "English",
        "event_title": "Préparer les documents d'un événement",
        "event_intro": "Remplissez une ligne du tableau des événements : kit fait le dossier à imprimer de ce lieu "
        "(les mêmes fichiers que kit pack), avec un aperçu de chaque document.",
        "required": "obligatoire",
        "choose": "Choisir…",
        "yes": "oui",
        "no": "non",
        "make": "Faire le dossier",
        "errors_title": (
            "Le formulaire a un problème : corrigez le champ signalé.",
            "Le formulaire a {n} problèmes : corrigez chaque champ signalé.",
        ),
        "result_title": "Le dossier de {name}",
        "result_intro": (
            "{n} document. Téléchargez le dossier, ou le document seul.",
            "{n} documents. Téléchargez tout le dossier, ou un document à la fois.",
        ),
        "download_zip": "Télécharger le dossier (zip)",
        "download_pdf": "Télécharger ce PDF",
        "preview_of": "Première page de {title}",
        "pages": ("{n} page", "{n} pages"),
        "again": "Préparer un autre événement",
        "gone": "Ce résultat n'existe plus : les résultats sont effacés au bout de {minutes} min. Refaites-le.",
        "upload_title": "Les dossiers de tout un tableau d'événements",
        "upload_intro": "Envoyez un tableau CSV ou XLSX avec les mêmes colonnes que pour kit pack (type de lieu, "
        "nom du lieu, date au moins). Au plus {mb} Mo et {rows} lignes.",
        "file": "Tableau d'événements (CSV ou XLSX)",
        "send": "Envoyer le tableau",
        "job_title": "Les dossiers du tableau",
        "job_queued": "En attente : les dossiers seront faits dès qu'un moteur sera libre.",
        "job_running": "Événements faits :",
        "job_finished": "Terminé. Événements : {total} ; dossiers faits : {built}.",
        "job_refresh": "Cette page se met à jour toute seule.",
        "job_reload": "Actualiser maintenant",
        "job_failed": "Lignes avec un problème (ces événements n'ont pas de dossier) :",
        "row": "ligne",
        "column": "colonne",
        "job_error": "Les dossiers n'ont pas pu être faits : {message}",
        "download_all": "Télécharger tous les dossiers (zip)",
        "busy_title": "Trop de demandes en même temps",
        "busy": "Le serveur prépare déjà autant de documents qu'il le peut. Réessayez dans {seconds} secondes : "
        "rien n'est perdu.",
        "refused_title": "Fichier refusé",
        "not_found": "Cette page n'existe pas.",
        "too_long": "La préparation a pris plus de {minutes} min et a été arrêtée.",
    },
    "en": {
        "app": "kit: documents to print",
        "skip": "Skip to content",
        "nav_event": "One event",
        "nav_upload": "An events spreadsheet",
        "other_lang": "Français",
        "event_title": "Make the documents of one event",
        "event_intro": "Fill one row of the events spreadsheet: kit makes that place's pack to print (the same "
        "files as kit pack), with a preview of each document.",
        "required": "required",
        "choose": "Choose…",
        "yes": "yes",
        "no": "no",
        "make": "Make the pack",
        "errors_title": (
            "The form has one problem: fix the field marked.",
            "The form has {n} problems: fix each field marked.",
        ),
        "result_title": "The pack of {name}",
        "result_intro": (
            "{n} document. Download the pack, or the document alone.",
            "{n} documents. Download the whole pack, or one document at a time.",
        ),
        "download_zip": "Download the pack (zip)",
        "download_pdf": "Download this PDF",
        "preview_of": "First page of {title}",
        "pages": ("{n} page", "{n} pages"),
        "again": "Make another event's pack",
        "gone": "This result no longer exists: results are removed after {minutes} min. Make it again.",
        "upload_title": "The packs of a whole events spreadsheet",
        "upload_intro": "Send a CSV or XLSX spreadsheet with the same columns as for kit pack (venue type, venue "
        "name, date at least). At most {mb} MB and {rows} rows.",
        "file": "Events spreadsheet (CSV or XLSX)",
        "send": "Send the spreadsheet",
        "job_title": "The spreadsheet's packs",
        "job_queued": "Waiting: the packs are made as soon as a worker is free.",
        "job_running": "Events done:",
        "job_finished": "Finished. Events: {total}; packs made: {built}.",
        "job_refresh": "This page updates itself.",
        "job_reload": "Refresh now",
        "job_failed": "Rows with a problem (these events have no pack):",
        "row": "row",
        "column": "column",
        "job_error": "The packs could not be made: {message}",
        "download_all": "Download every pack (zip)",
        "busy_title": "Too many requests at once",
        "busy": "The server is already making as many documents as it can. Try again in {seconds} seconds: "
        "nothing is lost.",
        "refused_title": "File refused",
        "not_found": "This page does not exist.",
        "too_long": "Making it took more than {minutes} min and was stopped.",
    },
}


def counted(lang: str, key: str, n: int, **fields) -> str:
    """The sentence ``key`` in ``lang`` for ``n`` things, in the form that agrees with n."""
    one, several = TEXTS[lang][key]
    singular = n <= 1 if lang == "fr" else n == 1
    return (one if singular else several).format(n=n, **fields)
