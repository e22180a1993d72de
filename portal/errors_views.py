"""Error pages in the user's language."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from portal.api.problems import is_api_request, problem_response
from portal.db import db_session


def _page(status: int, title: str, message: str) -> tuple[str, int]:
    return render_template("errors/error.html", status=status, title=title,
                           message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> tuple[str, int]:
        return _page(400, _("The form has expired"),
                     _("For your security the form could not be accepted. Please go back, "
                       "reload the page and submit it again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException | Response:
        if is_api_request():  # no page of the API answered (an unknown address, …)
            return problem_response(error.code or 500)
        messages = {
            400: (_("Bad request"), _("The request could not be understood.")),
            403: (_("Access denied"), _("You do not have permission to see this page.")),
            404: (_("Page not found"), _("This page does not exist or is not visible to you.")),
            405: (_("Not allowed"), _("This action is not allowed here.")),
            414: (_("Address too long"), _("This address is longer than any page of the "
                                           "portal needs. Please shorten the search.")),
            413: (_("Too much at once"), _("What was sent is larger than this page accepts. "
                                           "Please shorten the text, or send a smaller "
                                           "file.")),
        }
        if error.code not in messages:
            return error
        title, message = messages[error.code]
        return _page(error.code, title, message)

    @app.errorhandler(OperationalError)
    def database_unavailable(
            _error: OperationalError) -> tuple[str, int, dict[str, str]] | Response:
        # The database went away (restarted, network, disk): say so, save nothing; the
        # pool's pre-ping gives the next request a fresh connection.
        db_session.rollback()
        if is_api_request():
            return problem_response(503, headers={"Retry-After": "60"})
        page, status = _page(503, _("The portal is briefly unavailable"),
                             _("Its database cannot be reached just now. Nothing was saved. "
                               "Please try again in a minute."))
        return page, status, {"Retry-After": "60"}

    @app.errorhandler(500)
    def server_error(_error: Exception) -> tuple[str, int] | Response:
        db_session.rollback()
        if is_api_request():
            return problem_response(500)
        return _page(500, _("Something went wrong"),
                     _("The portal could not complete this request. Nothing was saved. "
                       "Please try again in a moment."))
