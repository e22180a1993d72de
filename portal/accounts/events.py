"""What a coordinator's review of a registration tells the organisation's members."""
from __future__ import annotations

from functools import partial

from flask_babel import lazy_gettext as _l

from portal import events

declare = partial(events.declare, topic=events.Topic.ACCOUNT)

ORGANIZATION_VERIFIED = declare(
    "organization_verified", _l("%(org)s has been verified by a city coordinator: you can "
                                "publish postings and propose cooperations now."),
    ("org",), "organizations.mine")
ORGANIZATION_RETURNED = declare(
    "organization_returned", _l("A city coordinator returned the registration of %(org)s "
                                "for correction: %(reason)s"),
    ("org", "reason"), "organizations.mine")
SIGN_IN_FAILURES = declare(
    "sign_in_failures", _l("%(count)d sign-ins to your account failed in the last minutes. "
                           "If that was not you, change your password; your own browser "
                           "can still sign in."),
    ("count",), "accounts.password")
CONFIRM_EMAIL = declare(
    "confirm_email", _l("Please confirm your e-mail address to finish registering %(org)s: "
                        "open this link within three days."),
    ("org",), "accounts.confirm_email")
REGISTRATION_WITH_YOUR_ADDRESS = declare(
    "registration_with_your_address",
    _l("Someone tried to register a new organisation with your e-mail address, which "
       "already has an account. If it was you, sign in instead; otherwise you need do "
       "nothing."), (), "accounts.login")
PASSWORD_RESET = declare(
    "password_reset",
    _l("Someone asked to reset the password of your account. If it was you, open this link "
       "within %(minutes)d minutes to choose a new one; otherwise you need do nothing, and "
       "your password stays as it is."),
    ("minutes",), "accounts.reset_password", private=True)
