"""This app's lines in the retention table (read by relais.privacy; see its registry.py).

The agreements' own models are declared in relais.privacy's built-in list; these are the
models added since (issue 13).
"""

from relais.privacy.registry import PUBLIC_OFFICIALS, declare_no_personal_data

declare_no_personal_data("agreements.SourceDocument", reason=PUBLIC_OFFICIALS)
declare_no_personal_data(
    "agreements.AmendmentArticle",
    reason="Rédaction d'un article d'un avenant : document public du partenariat.",
)
declare_no_personal_data(
    "agreements.InsuranceCertificate",
    reason="Assurance de la structure partenaire (personne morale) : assureur, police, dates.",
)
