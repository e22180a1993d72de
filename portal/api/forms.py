"""The form that creates an API token."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from portal.api.tokens import LIFETIMES_DAYS, NAME_MAX
from portal.api.webhooks import DEFAULT_MIN_SCORE, URL_MAX
from portal.forms import LineField, NumberField, TextField, required, too_long


class TokenForm(FlaskForm):
    name = LineField(_l("Token name"), validators=[required(), too_long(NAME_MAX)],
                     description=_l("What it is for, e.g. “district job-fair system”."))
    scopes = SelectMultipleField(_l("Scopes"), widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput(), default=["read"],
                                 # Which scopes one may give is the service's rule.
                                 validate_choice=False)
    lifetime = SelectField(_l("Expires after"), default="90", choices=[
        SelectChoice(str(days), _l("%(n)d days", n=days)) for days in LIFETIMES_DAYS])
    shared = BooleanField(_l("Share with my organisation (every member sees and may "
                             "revoke it)"))


class WebhookForm(FlaskForm):
    url = LineField(_l("Receiver address"), validators=[required(), too_long(URL_MAX)],
                    description=_l("Where the portal sends each event, e.g. "
                                   "https://jobs.example.gov.cn/hooks/portal."))
    events = SelectMultipleField(_l("Events"), widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput(),
                                 # Which events one may choose is the service's rule.
                                 validate_choice=False)
    min_score = NumberField(_l("Lowest score of the matches it hears of"), maximum=100,
                            default=DEFAULT_MIN_SCORE,
                            description=_l("For the new-match event: 0–100."))


class ClientForm(FlaskForm):
    name = LineField(_l("Client name"), validators=[required(), too_long(NAME_MAX)],
                     description=_l("The platform it is, e.g. “city public employment "
                                    "service platform”."))
    scopes = SelectMultipleField(_l("Scopes"), widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput(), default=["read"],
                                 validate_choice=False)
    origins = TextField(_l("Browser origins (CORS)"), validators=[too_long(2000)],
                        description=_l("One per line, e.g. https://jobs.example.gov.cn: "
                                       "pages there may call the API with this client's "
                                       "tokens. Leave empty for a server."))
