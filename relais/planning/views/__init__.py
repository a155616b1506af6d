"""The planning pages, one module per thing shown: schedules (slots, occurrences, checks,
my week), coverage (with its exports), closures and the planner."""
