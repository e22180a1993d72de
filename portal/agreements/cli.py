"""`flask --app wsgi agreements export NUMBER --output FILE.pdf | issue-pending |
build-font`."""
from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from portal.agreements import document_font
from portal.agreements.models import Agreement
from portal.agreements.services import issue, pdf_bytes, pending
from portal.cooperation.models import Proposal
from portal.db import db_session, read_session, write_session
from portal.storage import AlteredFile

agreements_cli = AppGroup("agreements", help="Issued cooperation agreements.")


@agreements_cli.command("export")
@click.argument("number")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="Where to write the PDF.")
def export_command(number: str, output: Path) -> None:
    """Write the issued PDF of agreement NUMBER (e.g. CJ-2026-000123), byte for byte."""
    agreement = db_session.scalar(select(Agreement).where(
        func.upper(Agreement.number) == number.strip().upper()))
    if agreement is None:
        raise click.ClickException(f"No agreement is numbered {number!r}.")
    try:
        data = pdf_bytes(agreement)
    except AlteredFile as error:
        raise click.ClickException(str(error)) from None
    output.write_bytes(data)
    click.echo(f"{output}: {agreement.number} version {agreement.version}, "
               f"{agreement.status.value}, {len(data):,} bytes, SHA-256 {agreement.sha256}")


@agreements_cli.command("issue-pending")
def issue_pending_command() -> None:
    """Issue the agreements of approved partnerships that have none yet."""
    with read_session() as session:
        waiting = [proposal.id for proposal in pending(session)]
    for proposal_id in waiting:
        with write_session() as session:  # one at a time: a failure keeps the others
            proposal = session.get(Proposal, proposal_id)
            agreement = issue(session, proposal)
            click.echo(f"{agreement.number}  {proposal.title}")
    click.echo(f"{len(waiting)} agreements issued.")


@agreements_cli.command("build-font")
def build_font_command() -> None:
    """Build the document fonts from the system's Noto Serif CJK SC and WenQuanYi Micro
    Hei (once per install, and again after a system font changes): PDFs are written
    faster with them."""
    started = time.perf_counter()
    try:
        paths = document_font.build(document_font.font_dir(current_app))
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from None
    for path in paths:
        click.echo(f"{path}: {path.stat().st_size:,} bytes")
    click.echo(f"({time.perf_counter() - started:.1f} s)")
