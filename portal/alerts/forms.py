"""The alert forms: save a search, change how one alerts, match alert settings."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField

from portal.alerts.models import Delivery
from portal.alerts.services import NAME_MAX
from portal.forms import LineField, NumberField, required, too_long


def _deliveries() -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in Delivery]


class SaveSearchForm(FlaskForm):
    name = LineField(_l("Name of the search"), validators=[required(), too_long(NAME_MAX)])
    delivery = SelectField(_l("Alert me to new postings"), choices=_deliveries,
                           default=Delivery.DAILY.value)


class DeliveryForm(FlaskForm):
    delivery = SelectField(_l("Alert"), choices=_deliveries)


class MatchAlertForm(FlaskForm):
    match_delivery = RadioField(_l("New matches for our postings"), choices=_deliveries)
    match_min_score = NumberField(_l("Only matches scoring at least"), maximum=100,
                                  required_=True)
