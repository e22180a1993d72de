"""What the API tells people: a webhook of theirs was disabled after failing."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import events

WEBHOOK_DISABLED = events.declare(
    "webhook-disabled",
    _l("Your webhook %(url)s was turned off after %(failures)d failed deliveries in a row. "
       "Check the receiver, then turn it on again in Settings → Webhooks."),
    ("url", "failures"), "api_webhooks.index", topic=events.Topic.ACCOUNT)
