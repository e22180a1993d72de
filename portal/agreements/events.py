"""What agreements and mentor certificates tell the people of a partnership."""
from __future__ import annotations

from functools import partial

from flask_babel import lazy_gettext as _l

from portal import events

declare = partial(events.declare, topic=events.Topic.AGREEMENTS)

SIGNED_SCAN = declare(
    "signed_scan", _l("%(org)s uploaded its signed and sealed copy of the agreement for "
                      "“%(title)s”."), ("org", "title"), "cooperation.detail", "agreements")
AGREEMENT_ISSUED = declare(
    "agreement_issued", _l("Agreement %(number)s for “%(title)s” is ready: download it, "
                           "sign and seal it, and upload the signed copy."),
    ("number", "title"), "cooperation.detail", "agreements")
CERTIFICATE_FILED = declare(
    "certificate_filed", _l("%(org)s asks for a mentor certificate of “%(title)s” to be "
                            "countersigned."), ("org", "title"), "cooperation.detail",
    "certificates")
CERTIFICATE_COUNTERSIGNED = declare(
    "certificate_countersigned", _l("A mentor certificate of “%(title)s” was countersigned; "
                                    "its PDF is ready."), ("title",), "cooperation.detail",
    "certificates")
CERTIFICATE_DECLINED = declare(
    "certificate_declined", _l("A mentor certificate of “%(title)s” was declined by the "
                               "coordinating office."), ("title",), "cooperation.detail",
    "certificates")
