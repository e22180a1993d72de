"""Downloading issued agreements: the two parties and coordinators only."""
from __future__ import annotations

from flask import Blueprint, Response, abort, send_file
from flask_login import current_user, login_required

from portal.agreements.models import Agreement
from portal.agreements.services import storage_dir
from portal.db import db_session

bp = Blueprint("agreements", __name__, url_prefix="/agreements")


@bp.route("/<int:agreement_id>/download")
@login_required
def download(agreement_id: int) -> Response:
    agreement = db_session.get(Agreement, agreement_id)
    if agreement is None or not agreement.proposal.can_view(current_user):
        abort(404)
    return send_file(storage_dir() / agreement.stored_name, mimetype="application/pdf",
                     as_attachment=True, download_name=agreement.download_name)
