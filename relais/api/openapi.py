"""The OpenAPI 3.1 description of the API, written as a Python dict (served as JSON).

Kept by hand next to the views; tests/api/test_openapi.py checks its structure and that every
path of ``relais.api.urls`` under ``v1/`` is described.
"""

from relais.activities.enums import BREAKDOWNS, ActivityKind, Equipment, Theme

from .enums import Scope

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _query(name: str, description: str, schema: dict, **extra) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, **extra}  # fmt: skip


ID_LIST = {"type": "array", "items": {"type": "integer"}}
PERIOD_PARAMETERS = [
    _query("start", "Premier mois (AAAA-MM) ou jour (AAAA-MM-JJ).", {"type": "string"}),
    _query("end", "Dernier mois (AAAA-MM) ou jour (AAAA-MM-JJ).", {"type": "string"}),
]
FILTER_PARAMETERS = [
    _query("partner", "Structure(s) partenaire(s), identifiants séparés par des virgules.",
           ID_LIST, style="form", explode=False),
    _query("place", "Lieu(x) d'activité.", ID_LIST, style="form", explode=False),
    _query("theme", "Thématique (vocabulaire de la Coop).", {"type": "string",
           "enum": list(Theme.values)}),
    _query("kind", "Type d'activité.", {"type": "string", "enum": list(ActivityKind.values)}),
]  # fmt: skip
COMMON_ERRORS = {
    "400": _error_response("Filtre invalide."),
    "401": _error_response("Jeton absent, invalide ou révoqué."),
    "403": _error_response("Le jeton n'a pas la portée requise."),
}
BREAKDOWN_ROW = {
    "type": "object",
    "required": ["key", "label", "activities", "accompaniments"],
    "properties": {
        "key": {"type": "string"},
        "label": {"type": "string"},
        "activities": {"type": ["integer", "null"]},
        "accompaniments": {"type": ["integer", "null"]},
    },
}
COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
# A published figure: null when it is « secret statistique » (docs/statistical-disclosure.md).
FIGURE = {"type": ["integer", "null"]}
FIGURES = {"type": "object", "additionalProperties": FIGURE}


def openapi_document(server_url: str = "/api/v1") -> dict:
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "API Relais — inclusion numérique",
            "version": API_VERSION,
            "description": (
                "API en lecture seule : statistiques agrégées et activités anonymisées des "
                "conseillers numériques (aucun nom, aucune note). Authentification par jeton "
                "(« Authorization: Bearer <jeton> ») délivré par un administrateur ou un "
                "coordinateur, avec des portées. Chaque export d'activités est journalisé."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/stats": {
                "get": {
                    "operationId": "getStats",
                    "summary": "Statistiques agrégées (comme le tableau de bord)",
                    "description": f"Portée requise : {Scope.STATS_READ}. Période en mois "
                    "entiers, 12 derniers mois par défaut. Secret statistique : un chiffre de 1 "
                    "à seuil − 1 (« disclosure.threshold », 5 par défaut), ou qui permettrait "
                    "d'en retrouver un par différence avec un total, vaut null ; "
                    "« disclosure.secret » les nomme.",
                    "parameters": [
                        *PERIOD_PARAMETERS,
                        *FILTER_PARAMETERS,
                        _query("commune", "Commune(s).", ID_LIST, style="form", explode=False),
                    ],
                    "responses": {
                        "200": {
                            "description": "Totaux, répartitions et série mensuelle.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Stats"}
                                }
                            },
                        },
                        **COMMON_ERRORS,
                    },
                }
            },
            "/activities": {
                "get": {
                    "operationId": "listActivities",
                    "summary": "Activités anonymisées, paginées par curseur",
                    "description": f"Portée requise : {Scope.ACTIVITIES_READ}. Triées par date "
                    "puis identifiant ; suivre « next_cursor » jusqu'à null. Date, lieu et "
                    "profils (quasi-identifiants) seulement avec la portée "
                    f"{Scope.ACTIVITIES_DETAIL} ; sinon le mois.",
                    "parameters": [
                        *PERIOD_PARAMETERS,
                        *FILTER_PARAMETERS,
                        _query("cursor", "Curseur opaque de la page suivante.", {"type": "string"}),
                        _query(
                            "limit",
                            "Taille de page (1 à 500, 100 par défaut).",
                            {"type": "integer", "minimum": 1, "maximum": 500},
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "Une page d'activités.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ActivityPage"}
                                }
                            },
                        },
                        **COMMON_ERRORS,
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "Cette description OpenAPI",
                    "security": [],
                    "responses": {"200": {"description": "Le document OpenAPI 3.1."}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Jeton « rls_… » ; portées : "
                    + ", ".join(f"{value} ({label})" for value, label in Scope.choices),
                }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["detail"],
                    "properties": {"detail": {"type": "string", "description": "En français."}},
                },
                "Stats": {
                    "type": "object",
                    "required": ["period", "filters", "source", "totals", "breakdowns", "series"],
                    "properties": {
                        "period": {
                            "type": "object",
                            "properties": {
                                "start": {"type": "string", "format": "date"},
                                "end": {"type": "string", "format": "date"},
                            },
                        },
                        "filters": {"type": "object"},
                        "source": {"type": "string", "enum": ["rollup", "live"]},
                        "refreshed_at": {"type": ["string", "null"], "format": "date-time"},
                        "totals": FIGURES,
                        "breakdowns": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": BREAKDOWN_ROW},
                        },
                        "series": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                                    "activities": FIGURE,
                                    "accompaniments": FIGURE,
                                },
                            },
                        },
                        "disclosure": {
                            "type": "object",
                            "description": "Secret statistique appliqué à cette réponse.",
                            "required": ["threshold", "rule", "secret"],
                            "properties": {
                                "threshold": {"type": "integer"},
                                "rule": {"type": "string"},
                                "secret": {
                                    "type": "array",
                                    "description": "Chiffres non publiés : "
                                    "« totals.<mesure> », « <répartition>.<clé>.<mesure> », "
                                    "« series.<AAAA-MM>.<mesure> ».",
                                    "items": {"type": "string"},
                                },
                            },
                        },
                    },
                },
                "Activity": {
                    "type": "object",
                    "description": "Une activité sans donnée nominative : ni personne "
                    "accompagnée, ni note, ni conseiller, ni titre libre.",
                    "required": ["id", "month", "kind", "duration_minutes", "participants_count"],
                    "properties": {
                        "id": {"type": "integer"},
                        "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                        "date": {
                            "type": "string",
                            "format": "date",
                            "description": f"Avec la portée {Scope.ACTIVITIES_DETAIL} seulement "
                            "(comme « place » et « profiles »).",
                        },
                        "kind": {"type": "string", "enum": list(ActivityKind.values)},
                        "duration_minutes": {"type": "integer"},
                        "location_kind": {"type": "string"},
                        "place": {
                            "type": ["object", "null"],
                            "properties": {
                                "id": {"type": "integer"},
                                "name": {"type": "string"},
                                "commune": {"type": "string"},
                            },
                        },
                        "partner": {
                            "type": ["object", "null"],
                            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                        },
                        "themes": {
                            "type": "array",
                            "items": {"type": "string", "enum": list(Theme.values)},
                        },
                        "level": {"type": "string"},
                        "autonomy": {"type": "string"},
                        "referral": {"type": "string"},
                        "participants_count": {"type": "integer", "minimum": 1},
                        "profiles": {
                            "type": "object",
                            "properties": {prefix: COUNTS for prefix in BREAKDOWNS},
                        },
                        "equipment": {
                            "type": "array",
                            "items": {"type": "string", "enum": list(Equipment.values)},
                        },
                    },
                },
                "ActivityPage": {
                    "type": "object",
                    "required": ["results", "next_cursor", "count", "quasi_identifiers"],
                    "properties": {
                        "quasi_identifiers": {
                            "type": "boolean",
                            "description": "Les lignes portent date, lieu et profils.",
                        },
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Activity"},
                        },
                        "next_cursor": {"type": ["string", "null"]},
                        "count": {"type": "integer"},
                    },
                },
            },
        },
    }
