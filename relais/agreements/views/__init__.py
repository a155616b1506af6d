"""The agreements' pages, one module per thing shown: the list and detail (``agreements``),
their documents, the deadlines, the import, the lifecycle actions and the clauses."""
