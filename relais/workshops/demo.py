"""Demo data: the departmental catalogue and a programme in the seed's places.

Dates are relative to the day the demo is loaded (the weeks after the next Monday), so that the
programme is always to come; the same day gives the same sessions. Public holidays are skipped.
"""

from datetime import time, timedelta

import holidays
from django.utils import timezone

from relais.core.dates import next_monday
from relais.core.demo import DemoContext

from .enums import SessionStatus, TopicLevel, TopicStatus
from .models import WorkshopSession, WorkshopTopic
from .services import local_datetime

TOPICS = [
    {
        "slug": "creer-et-gerer-son-adresse-e-mail",
        "title": "Créer et gérer son adresse e-mail",
        "description": (
            "Ouvrir une boîte aux lettres électronique, choisir un mot de passe solide, envoyer "
            "et recevoir des messages avec une pièce jointe, trier ses courriels et reconnaître "
            "les messages indésirables."
        ),
        "level": TopicLevel.BEGINNER,
        "duration_minutes": 120,
        "themes": ["email"],
        "prerequisites": "Savoir utiliser une souris ou un écran tactile.",
        "equipment": "Votre téléphone ou votre tablette si vous en avez un ; des ordinateurs "
        "sont prêtés sur place.",
    },
    {
        "slug": "demarches-en-ligne-ameli-caf-impots",
        "title": "Démarches en ligne : ameli, CAF, impots.gouv",
        "description": (
            "Créer ses comptes sur ameli.fr, caf.fr et impots.gouv.fr, se connecter avec "
            "FranceConnect, télécharger une attestation, déclarer un changement de situation."
        ),
        "level": TopicLevel.INTERMEDIATE,
        "duration_minutes": 120,
        "themes": ["procedure_help", "social_health", "money_taxes"],
        "prerequisites": "Avoir une adresse e-mail et savoir la consulter.",
        "equipment": "Vos identifiants si vous en avez (numéro fiscal, numéro de sécurité "
        "sociale, numéro d'allocataire) et votre téléphone portable.",
    },
    {
        "slug": "proteger-ses-donnees-personnelles",
        "title": "Protéger ses données personnelles",
        "description": (
            "Reconnaître une tentative d'hameçonnage, régler la confidentialité de ses comptes, "
            "gérer ses mots de passe, savoir ce que les applications savent de nous."
        ),
        "level": TopicLevel.BEGINNER,
        "duration_minutes": 90,
        "themes": ["security"],
        "prerequisites": "",
        "equipment": "Votre téléphone portable.",
    },
    {
        "slug": "suivre-la-scolarite-de-ses-enfants-en-ligne",
        "title": "Suivre la scolarité de ses enfants en ligne",
        "description": (
            "Se connecter à l'ENT et à Pronote avec EduConnect, consulter les notes, l'emploi du "
            "temps et le cahier de textes, échanger avec les enseignants."
        ),
        "level": TopicLevel.BEGINNER,
        "duration_minutes": 90,
        "themes": ["schooling", "parenting"],
        "prerequisites": "Avoir une adresse e-mail.",
        "equipment": "Les identifiants EduConnect fournis par l'établissement.",
    },
    {
        "slug": "verifier-une-information-sur-internet",
        "title": "Vérifier une information sur internet",
        "description": (
            "Repérer une fausse information, remonter à la source d'une image ou d'une citation, "
            "utiliser les sites de vérification, comprendre les algorithmes des réseaux sociaux."
        ),
        "level": TopicLevel.INTERMEDIATE,
        "duration_minutes": 90,
        "themes": ["digital_culture", "web_browsing"],
        "prerequisites": "Savoir faire une recherche sur internet.",
        "equipment": "",
    },
]

# (place slug, weekday 0=Monday, start time): within each place's opening hours.
SLOTS = [
    ("mediatheque-prades", 1, time(14, 0)),
    ("mediatheque-vinca", 2, time(10, 0)),
    ("bibliotheque-catllar", 3, time(16, 30)),
    ("mediatheque-marquixanes", 2, time(14, 30)),
    ("commune-los-masos", 0, time(14, 0)),
]
WEEKS = 4


def _session(topic, place, starts_at, status, advisors) -> WorkshopSession:
    session = WorkshopSession.objects.filter(topic=topic, place=place, starts_at=starts_at).first()
    if session is None:
        session = WorkshopSession(topic=topic, place=place, starts_at=starts_at)
    session.ends_at = starts_at + timedelta(minutes=topic.duration_minutes)
    session.capacity = min(topic.capacity, place.room_capacity or topic.capacity)
    session.status = status
    session.full_clean()
    session.save()
    session.advisors.set(advisors)
    return session


def load(ctx: DemoContext) -> None:
    topics = []
    for data in TOPICS:
        topic = WorkshopTopic.objects.filter(slug=data["slug"]).first() or WorkshopTopic()
        for name, value in data.items():
            setattr(topic, name, value)
        topic.status = TopicStatus.PUBLISHED
        topic.full_clean()
        topic.save()
        topics.append(topic)

    places = ctx.objects["places"]
    advisors = ctx.objects.get("advisors", [])
    monday = next_monday(timezone.localdate())
    public_holidays = holidays.France(years={monday.year, monday.year + 1}, language="fr")
    sessions = []
    for week in range(WEEKS):
        for index, (slug, weekday, start) in enumerate(SLOTS):
            day = monday + timedelta(weeks=week, days=weekday)
            if day in public_holidays:
                continue
            topic = topics[(week + index) % len(topics)]
            leaders = [advisors[(week + index) % len(advisors)]] if advisors else []
            starts_at = local_datetime(day, start)
            sessions.append(
                _session(topic, places[slug], starts_at, SessionStatus.PLANNED, leaders)
            )
    # One session held last week, with attendance (bookings' demo), for the activity reports.
    past_day = monday - timedelta(days=13)  # the Tuesday of the week before last
    past = _session(
        topics[0],
        places["mediatheque-prades"],
        local_datetime(past_day, time(14, 0)),
        SessionStatus.HELD,
        advisors[:1],
    )
    ctx.objects["workshop_topics"] = topics
    ctx.objects["workshop_sessions"] = sessions
    ctx.objects["workshop_past_session"] = past
