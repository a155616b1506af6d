import json
import sys

from django.core.management.base import BaseCommand, CommandError

from relais.planning import planner
from relais.planning.planner import runs
from relais.planning.queries import problem_from_database
from relais.planning.views.planner import advisor_loads, week_grid


class Command(BaseCommand):
    help = (
        "Calcule le planning d'une semaine type (OR-Tools CP-SAT) : qui tient quelle "
        "permanence pour respecter tous les engagements en vigueur, avec le moins de trajets. "
        "Code de sortie 1 quand des engagements ne peuvent pas être tenus."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="week",
            metavar="AAAA-MM-JJ",
            help="Une date de la semaine à planifier (par défaut : lundi prochain).",
        )
        parser.add_argument("--json", action="store_true", help="Résultat en JSON.")
        parser.add_argument(
            "--time-limit", type=float, default=10, help="Durée de calcul maximale (s)."
        )
        parser.add_argument(
            "--outside-hours",
            action="store_true",
            help="Autoriser des demi-journées hors horaires d'ouverture si un lieu n'est pas "
            "assez ouvert pour ses engagements.",
        )
        parser.add_argument(
            "--split-days",
            action="store_true",
            default=None,
            help="Autoriser à fractionner une journée engagée entre deux conseillers ou deux "
            "jours (par défaut : réglage RELAIS_PLANNER_SPLIT_DAYS).",
        )
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Créer les permanences proposées (là où le lieu n'en a pas déjà), après "
            "confirmation.",
        )
        parser.add_argument(
            "--yes", action="store_true", help="Avec --apply : ne pas demander de confirmation."
        )

    def handle(
        self, *args, week, json: bool, time_limit, outside_hours, split_days, apply, yes, **options
    ):
        try:
            monday = runs.parse_week(week)
        except ValueError as error:
            if "passée" in str(error):
                raise CommandError(
                    "Semaine passée : choisissez la semaine en cours ou une semaine à venir."
                ) from None
            raise CommandError("Date invalide : format attendu AAAA-MM-JJ.") from None
        if not 0 < time_limit <= 3600:
            raise CommandError("Durée de calcul : entre 0 et 3600 secondes.")
        problem = problem_from_database(monday, outside_hours=outside_hours, split_days=split_days)
        progress = None
        if not json:
            progress = lambda step: self.stderr.write(f"  {step.message}")  # noqa: E731
        result = planner.solve(problem, time_limit_s=time_limit, progress=progress)
        payload = planner.result_payload(problem, result)
        if json:
            self.stdout.write(_json_output(payload))
        else:
            self.stdout.write(_text_output(payload))
        if apply and result.assignments:
            self._apply(payload, monday, yes)
        if not result.is_plan:
            sys.exit(1)

    def _apply(self, payload, monday, yes) -> None:
        if not yes:
            answer = input(
                f"Créer ces permanences à partir du {monday:%d/%m/%Y} (là où le lieu n'en a pas "
                "déjà sur le créneau) ? Tapez « oui » : "
            )
            if answer.strip().lower() != "oui":
                self.stderr.write("Rien n'a été créé.")
                return
        created, skipped = runs.plan_apply(result=payload, valid_from=monday)
        self.stderr.write(f"{len(created)} permanence(s) créée(s).")
        for message in skipped:
            self.stderr.write(f"  {message}")


def _json_output(payload: dict) -> str:
    places, advisors = payload["places"], payload["advisors"]
    data = {
        "week_start": payload["week_start"],
        "status": payload["status"],
        "travel_minutes": payload["travel_minutes"],
        "bound": payload["bound"],
        "gap": payload["gap"],
        "source": payload["source"],
        "relaxed": payload["relaxed"],
        "seconds": round(payload["seconds"], 3),
        "assignments": [
            {
                "place_id": a["place_id"],
                "place": places[str(a["place_id"])]["name"],
                "advisor_id": a["advisor_id"],
                "advisor": advisors[str(a["advisor_id"])]["name"],
                "weekday": a["weekday"],
                "half": a["half"],
                "travel_minutes": a["travel_minutes"],  # share of the day's tour
                "outside_hours": a["outside_hours"],
            }
            for a in payload["assignments"]
        ],
        "loads": {advisors[k]["name"]: v for k, v in payload["loads"].items() if v},
        "shortfalls": {places[k]["name"]: v for k, v in payload["shortfalls"].items()},
        "explanations": payload["explanations"],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _text_output(payload: dict) -> str:
    grid = week_grid(payload)
    gap = payload["gap"]
    lines = [
        f"Semaine du {payload['week_start']} : {planner.STATUS_LABELS[payload['status']]}",
        f"Trajets : {payload['travel_minutes']} min de route par semaine (tournées réelles)"
        + (f", écart à la borne prouvée {gap * 100:.1f} %" if gap is not None else "")
        + f", calculé en {payload['seconds']:.1f} s",
        "",
    ]
    for day in grid["days"]:
        entries = []
        for row in grid["rows"]:
            for cell in row["cells"]:
                if cell["weekday"] != day["weekday"]:
                    continue
                for item in cell["items"]:
                    entries.append(
                        f"  {planner.HALF_LABELS[cell['half']]:<11} {row['name']} — "
                        f"{item['advisor']} ({item['travel_minutes']} min)"
                    )
        if entries:
            lines.append(day["label"].capitalize())
            lines.extend(sorted(entries))
    loads = advisor_loads(payload)
    if loads:
        lines += ["", "Charge par conseiller :"]
        lines += [
            f"  {r['name']} : {r['load']}/{r['capacity']} demi-journées, {r['travel_minutes']} min"
            + (
                f" de route, {r['working_minutes']} min de travail"
                + (f" / {r['weekly_minutes']} au contrat" if r["weekly_minutes"] else "")
                if r["working_minutes"] is not None
                else ""
            )
            for r in loads
        ]
    if payload["explanations"]:
        lines += ["", *payload["explanations"]]
    return "\n".join(lines)
