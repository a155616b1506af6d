# Beneficiaries are deliberately not registered in the admin: their names are covered by the
# advisers' professional secrecy (convention, art. 2) and administrators see aggregates only.
