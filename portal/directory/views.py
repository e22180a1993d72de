"""The organisation directory and profile pages, for everyone signed in."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request, send_file
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from portal.accounts.models import Organization, OrgKind
from portal.db import db_session
from portal.directory import services as directory
from portal.storage import storage_dir
from portal.views import enum_arg, int_arg

bp = Blueprint("directory", __name__, url_prefix="/organizations")


@bp.route("/")
@login_required
def index() -> str:
    query = directory.DirectoryQuery.cleaned(
        request.args.get("q", ""), enum_arg(request.args, "kind", OrgKind),
        request.args.get("district", ""), int_arg(request.args, "page", 1, 1, 10_000))
    results = directory.search_directory(db_session, query)
    return render_template(
        "orgs/directory.html", query=query, results=results, kinds=list(OrgKind),
        districts=directory.districts(db_session),
        live=directory.live_counts(db_session, list(results.items), date.today()))


def _visible_or_404(org_id: int) -> Organization:
    org = db_session.get(Organization, org_id)
    if org is None or not directory.can_see_profile(org, current_user):
        abort(404)
    return org


@bp.route("/<int:org_id>")
@login_required
def profile(org_id: int) -> str:
    org = _visible_or_404(org_id)
    return render_template("orgs/profile.html",
                           profile=directory.profile(db_session, org, date.today()))


@bp.route("/<int:org_id>/logo.png")
@login_required
def logo(org_id: int) -> Response:
    org = _visible_or_404(org_id)
    if not org.logo_name:
        abort(404)
    # The page links the logo with its stored name, so a new logo is a new address.
    return send_file(storage_dir() / org.logo_name, mimetype="image/png", max_age=86_400)
