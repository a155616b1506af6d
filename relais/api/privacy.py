"""This app's lines in the retention table (read by relais.privacy; see its registry.py)."""

from relais.privacy.registry import declare_no_personal_data

declare_no_personal_data(
    "api.ApiToken",
    reason="Usage du jeton (nom de l'application cliente), empreinte du secret et portées ; "
    "son créateur est désigné par son compte.",
)
