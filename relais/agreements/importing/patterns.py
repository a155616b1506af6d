"""Every pattern the importer recognises, in one place.

All regular expressions run on *folded* text (lower case, no accents, typographic apostrophes
and dashes replaced, see :func:`text.fold`), which has the same length as the original, so a
match's offsets are used to cut the original text and keep its accents and capitals.

To support a new wording, add it here: the parser has no knowledge of any particular document.
"""

import unicodedata

from relais.core import french
from relais.places.enums import PlaceKind

from ..enums import CommitmentFrequency, CommitmentUnit, Modality

# --- Numbers and dates ---------------------------------------------------------------------------

# The month names of relais.core.french, folded (« fevrier », « aout »): number by name.
MONTHS = {
    unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode(): number
    for number, name in enumerate(french.MONTHS, start=1)
}
_MONTH = "(?:" + "|".join(MONTHS) + ")"
DATE_WORDS = rf"(?P<day>\d{{1,2}})(?:er)?\s+(?P<month>{_MONTH})\s+(?P<year>\d{{4}})"
DATE_NUMERIC = r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
# A date anywhere in a field (used inside larger patterns; no named groups).
DATE = rf"(?:\d{{1,2}}(?:er)?\s+{_MONTH}\s+\d{{4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}})"

NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "douze": 12,
    "quinze": 15,
    "trente": 30,
    "soixante": 60,
}
_NUMBER = r"(?:\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"

# Words written either way in commune and place names.
WORD_ALIASES = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}

# --- Person names --------------------------------------------------------------------------------

# "Jean-Louis JALLAT", "Lucette ORTIZ CASTILLO", "Corinne DE MOZAS", "Éric MAHIEUX": given names
# with an initial capital, then the family name in capitals. Runs on the ORIGINAL text.
_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒÑÓÍÚÁ"
_LOWER = "a-zàâäçéèêëîïôöùûüÿæœñóíúá"
GIVEN_NAME = rf"[{_UPPER}][{_LOWER}]+(?:[-' ][{_UPPER}][{_LOWER}]+)*"
# A particle written in lower case before the family name: "Jacques de VANELLE", "Anne d'ARC".
PARTICLE = r"(?:(?:de la|de|du|des|van der|van|von|da|di|del|dos|le|la)\s+|d')"
FAMILY_NAME = rf"[{_UPPER}][{_UPPER}'\-]+(?:\s+(?:{PARTICLE})?[{_UPPER}][{_UPPER}'\-]+)*"
PERSON_NAME = rf"{GIVEN_NAME}\s+(?:{PARTICLE})?{FAMILY_NAME}"
CIVILITY = r"(?:monsieur|madame|m\.|mme|mr)\s+"

# --- Where the convention starts -----------------------------------------------------------------

# A heading line in capitals starting with "CONVENTION" (folded: "convention …").
CONVENTION_HEADING = r"^\W*convention\b"
DELIBERATION_MARKERS = (
    r"registre des deliberations",
    r"\bseance du\b",
    r"\bn° d'ordre\b",
    r"conseillers en exercice",
)

# --- Deliberation fields (folded text of the deliberation part; one match each) ------------------

_FIELD_END = r"[^\t\n]+"  # a header cell: up to the next tab or the end of the line
DELIBERATION_FIELDS = {
    "members_in_office": rf"conseillers en exercice\s*:\s*({_NUMBER})",
    "present_count": rf"presents(?: a la seance)?\s*:\s*({_NUMBER})",
    "voters": rf"(?:ont participe au vote|votants)\s*:\s*({_NUMBER})",
    "votes_for": rf"\bpour\s*:\s*({_NUMBER})",
    "votes_against": rf"\bcontre\s*:\s*({_NUMBER})",
    "abstentions": rf"\babstentions?\s*:\s*({_NUMBER})",
    "convocation_date": rf"date de (?:la )?convocation\s*:\s*({DATE})",
    "session_date": rf"seance du\s+({DATE})",
    "order_number": r"n° ?d'ordre\s*:\s*([0-9a-z][0-9a-z./_-]*)",
    "actes_classification": rf"classification\s*@?\s*ctes\s*:\s*({_FIELD_END})",
    "subject": rf"(?m)^\s*objet\s*:\s*({_FIELD_END})",
    "secretary": rf"secretaire de (?:la )?seance\s*:\s*({_FIELD_END})",
    "president": rf"sous la presidence de\s+(?:{CIVILITY})?([^,\t\n]+)",
    "council": r"registre des deliberations d[ue] ((?:conseil|comite|bureau) [a-z]+)",
    "organisation_name": (
        r"registre des deliberations d[ue] (?:(?:conseil|comite|bureau) [a-z]+) "
        r"(?:de la |du |de l'|des )?([^\t\n○•]+?)\s*(?:[○•]|seance du|\t|$)"
    ),
}
# Lists of members: up to the full stop that ends the list (or the end of the cell).
MEMBER_LISTS = {
    "present": rf"(?:assistaient a la seance|presents)\s*:\s*({_FIELD_END})",
    "proxies": rf"absents? ayant donne (?:procuration|pouvoir)\s*:\s*({_FIELD_END})",
    "excused": rf"absents? excuses?\s*:\s*({_FIELD_END})",
    "absent": rf"(?m)(?:^|\t)\s*absents?\s*:\s*({_FIELD_END})",
    # Members present (or represented) who do not take part in the vote (a conflict of
    # interest, CGCT L2131-11): they are counted present, not among the voters.
    "not_voting": (
        r"(?:n'ont pas pris part au vote|n'a pas pris part au vote|ne prennent pas part au vote"
        r"|ne prend pas part au vote|ne participent pas au vote|ne participe pas au vote)"
        rf"\s*:\s*({_FIELD_END})"
    ),
}
# A session held after a first convocation without quorum: valid whatever the attendance
# (CGCT L2121-17, al. 2).
SECOND_CONVOCATION = (
    r"(?:seconde|deuxieme|2e|2eme|nouvelle) convocation|quorum n'(?:ayant|a) pas ete atteint"
    r"|sans condition de quorum"
)
# "à l'unanimité" (every voter for); "à l'unanimité des suffrages exprimés" (no vote against,
# abstentions allowed).
UNANIMITY = r"a l'unanimite(?P<cast> des (?:suffrages|voix) exprime(?:e)?s| des votants exprimes)?"
URGENCY = r"\burgence\b"
# Counts the text announces, checked against what is parsed.
ANNOUNCED_SIGNATORIES = rf"\b({_NUMBER})\s+signataires\b"
# The two notice periods of Art. 7, each in its own clause.
FAULT_CLAUSE = r"(?m)^\s*7\.1\b"
FORCE_MAJEURE_CLAUSE = r"(?m)^\s*7\.2\b"
CLAUSE_AFTER_7 = r"(?m)^\s*(?:7\.3\b|article\s+8\b|8\.1\b)"
FORCE_MAJEURE_DAYS = (
    rf"\(?({_NUMBER})\)?\s+jours(?:\s+calendaires)?\s+apres\s+(?:la\s+)?notification"
)
# A date as written, valid or not: "31 juin 2026" must be found to be refused.
ANY_DATE_WORDS = rf"\b(?P<day>\d{{1,2}})(?:er)?\s+(?P<month>{_MONTH})\s+(?P<year>\d{{4}})\b"
ANY_DATE_NUMERIC = r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\b"
# A place-holder left in a text: "[localisation du point d'accueil]", "n°.....".
PLACEHOLDER = r"\[[^\]\n]{3,80}\]"
PROXY = r"^(?P<giver>.+?)\s+a donne (?:procuration|pouvoir)\s+a\s+(?P<holder>.+)$"
CERTIFICATION = (
    rf"(?:^|\n)\s*(?:[a-z' -]+,\s*)?le\s+({DATE})\.?\s*\n+\s*pour extrait,?\s*certifie conforme"
)
CERTIFIED_BY = r"certifie conforme,?\s*\n\s*(?:le|la) [a-z ]+,?\s*\n+\s*([^\n]+)"
DECISION_START = r"(?m)^\s*(?:le|la) president(?:e)?,\s*$"
DECISION_END = r"(?m)^\s*ainsi fait et delibere"

# --- Convention fields (folded text of the convention part) --------------------------------------

PARTIES_START = r"(?m)^\s*entre\s*$"
PARTIES_SEPARATOR = r"(?m)^\s*et\s*$"
PARTY_END = r"ci-apres designe"
PREAMBLE = r"(?m)^\s*preambule"
PARTY = (
    r"^(?:(?:le|la|les)\s+|l')?(?P<name>.+?),\s*represente(?:e)?s?\s+par\s+(?:son|sa|leur)\s+"
    r"(?P<title>[a-z-]+)(?:\s+en exercice)?,\s*(?:" + CIVILITY + r")?(?P<rep>.+?),\s*"
    r"domicilie(?:e)?s?\s+(?:es|en)\s+qualite,?\s*(?:a l'|a la |au |a )?(?P<address>.+?),?\s*"
    r"(?:et\s+)?(?:dument\s+)?(?:autorise(?:e)?|agissant)\s+en vertu de la deliberation\s*"
    r"(?P<deliberation>.*)$"
)
PARTY_DELIBERATION = (
    r"^(?:d[ue] |de l'|de la )?(?P<body>.*?)\s*n\s*°\s*(?P<number>[0-9a-z][0-9a-z/_-]*)?[.\s]*"
    rf"(?:du|en date du)?\s*(?P<date>{DATE})?"
)
# [0-9], not \d: « ٦٦٥٠٠ » would be read as a postal code (issue 12).
POSTAL_ADDRESS = r"^(?P<street>.*?),?\s*(?P<postal_code>[0-9]{5})\s+(?P<city>[^,]+?)\s*$"
DURATION = rf"duree (?:initiale )?(?:de |d')\s*(?P<count>{_NUMBER})\s+(?P<unit>ans?|annees?|mois)\b"
TACIT_RENEWAL = r"reconduite? tacitement|reconduction tacite|renouvel\w+ tacitement"
NO_RENEWAL = (
    r"non reconductible|sans (?:tacite )?reconduction|ne (?:sera|peut) pas (?:etre )?reconduite"
)
OPPOSITION_NOTICE = rf"au plus tard\s+({_NUMBER})\s+mois avant (?:sa|la) date anniversaire"
HARD_END = rf"prendra fin au plus tard le\s+({DATE})"
NOTICE_DAYS = rf"delai de\s+(?:[a-z]+\s+)?\(?({_NUMBER})\)?\s+jours"
COMMUNICATION_MENTION = r"(?:fait|faire) figurer la mention\s*«\s*(.+?)\s*»"
JURISDICTION = r"soumis au\s+(tribunal [^\n]*?(?:\([^)\n]*\))?)\s*\.?\s*(?:\n|$)"
SIGNED_AT = r"(?m)^\s*a\s+([a-z][a-z' -]+?),\s*le\b"
ORIGINAL_COPIES = rf"fait en\s+({_NUMBER})\s+exemplaires"
SIGNATURES_START = r"^\s*(?:fait en\s+\S+\s+exemplaires|a\s+[a-z][a-z' -]+,\s*le\b)"
SIGNATORY_TITLE = (
    r"^(?:le|la)\s+(?:president(?:e)?|maire|vice-president(?:e)?|directeur|directrice|adjoint)"
)
# Where a second title starts inside one fragment ("… De PRADES Le Maire de la Commune …").
SIGNATORY_TITLE_INSIDE = (
    r"\s+(?=(?:le|la)\s+(?:president(?:e)?|maire|vice-president(?:e)?|directeur|directrice"
    r"|adjoint)\b)"
)
MAYOR_COMMUNE = r"maire de la commune\s+(?:de |d')\s*(.+)$"

# --- Tables (Art. 1.2 and the deliberation's table) ----------------------------------------------

# Column headers, matched on the name key of a header cell.
COLUMNS = {
    "label": r"lieux?|lieux? d intervention|structures?|sites?|noms?",
    "duration": r"durees?|volume|temps",
    "frequency": r"frequences?|periodicite|rythme",
    "modality": r"modalites?|format|mode",
}
# Cell separators of a pasted table: tabs, two spaces or more, or pipes.
CELL_SEPARATOR = r"\t+|\s{2,}|\s*\|\s*"
DURATION_CELL = rf"^(?P<count>{_NUMBER})\s*(?P<unit>.*)$"
UNITS = {
    CommitmentUnit.HALF_DAY: r"demi journees?|demi jours?|1 ?/ ?2 journees?|matinees?|apres midis?",
    CommitmentUnit.DAY: r"journees?|jours?|journee s|journees? entieres?",
}
FREQUENCIES = {
    CommitmentFrequency.WEEKLY: (
        r"(?:par|chaque|toutes les) semaines?|hebdomadaire(?:ment)?|(?:une|1) fois par semaine"
        r"|semaine"
    ),
    CommitmentFrequency.FORTNIGHTLY: (
        r"par quinzaine|tous les (?:15|quinze) jours|toutes les (?:2|deux) semaines"
        r"|une semaine sur deux|(?:une|1) fois par quinzaine|quinzaine"
    ),
    CommitmentFrequency.MONTHLY: (
        r"par mois|chaque mois|tous les mois|mensuel(?:le)?(?:ment)?|(?:une|1) fois par mois|mois"
    ),
}
MODALITIES = {
    Modality.ON_SITE: r"(?:en )?presentiel(?:le)?|sur place",
    Modality.REMOTE: r"(?:en )?distanciel(?:le)?|a distance|en ligne|visio(?:conference)?",
}

# A row typed with single spaces: "Los Masos 2demi-journées Par semaine Présentiel". The
# frequency and modality must be words of the vocabularies above, so that prose never matches.
LOOSE_ROW = (
    rf"^(?P<label>.+?)\s+(?P<duration>{_NUMBER}\s*[a-z/()' -]{{1,30}}?)\s+"
    r"(?P<frequency>" + "|".join(FREQUENCIES.values()) + r")\s+"
    r"(?P<modality>" + "|".join(MODALITIES.values()) + r")\s*\.?$"
)

# What a place's name says about its kind: "Médiathèque de Prades" → media library in Prades.
# (pattern on the name key, kind, word used to name a place to create).
PLACE_PREFIXES = [
    (
        r"mediatheques?(?: (?:intercommunale|municipale|communale|departementale))?",
        PlaceKind.MEDIA_LIBRARY,
        "Médiathèque",
    ),
    (
        r"bibliotheques?(?: (?:intercommunale|municipale|communale|departementale))?",
        PlaceKind.LIBRARY,
        "Bibliothèque",
    ),
    (r"mairie", PlaceKind.TOWN_HALL, "Mairie"),
    (r"hotel de ville", PlaceKind.TOWN_HALL, "Hôtel de ville"),
    (r"commune", PlaceKind.TOWN_HALL, "Commune"),
    (r"ccas|centre communal d action sociale", PlaceKind.CCAS, "CCAS"),
    (r"(?:espace |maison )?france services?", PlaceKind.FRANCE_SERVICES, "France Services"),
]
# The word between the kind and the commune, and the article it may hide ("du Boulou").
PLACE_CONNECTORS = {"de": "", "d": "", "du": "le ", "des": "les ", "a": ""}
# A bare commune name in a table ("Los Masos") is a place the commune hosts: its town hall.
DEFAULT_KIND = PlaceKind.TOWN_HALL
DEFAULT_PREFIX = "Commune"

# An EPCI is recognised by its name.
EPCI_NAME = (
    r"communaute (?:de communes|d'agglomeration|urbaine)|metropole|syndicat intercommunal"
    r"|intercommunal"
)
# The kind of a partner created from the convention, by its name (first match wins).
ORGANISATION_KINDS = [
    (EPCI_NAME, "epci"),
    (r"^(?:commune|mairie|ville) d", "municipality"),
    (r"\bassociation\b", "association"),
]
# How close (0–1) a partner's name must be to an existing organisation's to be taken for it
# ("… Conflent Canigou" written for "… Conflent Canigó"); the preview says so.
ORGANISATION_SIMILARITY = 0.9
# How close a commune's name must be to be suggested for an unknown one.
COMMUNE_SIMILARITY = 0.8
