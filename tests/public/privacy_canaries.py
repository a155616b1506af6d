"""Canary rows for the public app's retention rule (collected by tests/privacy/test_purge.py)."""

import datetime as dt

from django.utils import timezone

from relais.public.services import feed_token_issue

from ..factories import AdvisorFactory


def make_feed_tokens():
    due = feed_token_issue(advisor=AdvisorFactory()).feed_token
    due.revoked_at = timezone.now() - dt.timedelta(days=200)
    due.save()
    fresh = feed_token_issue(advisor=AdvisorFactory()).feed_token
    return due, fresh
