"""Command-line tools: `flask --app wsgi init-db | create-coordinator | seed-demo | import …`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app

from portal import migrate
from portal.accounts.auth import create_coordinator
from portal.db import db_session, read_session, write_session
from portal.errors import DomainError


@click.command("init-db")
def init_db_command() -> None:
    """Create or upgrade the database schema to the newest migration."""
    from portal.monitoring.facets import rebuild_if_missing

    migrate.upgrade(current_app._get_current_object())  # type: ignore[attr-defined]
    if rebuild_if_missing():
        click.echo("Monitoring facets derived for the existing postings.")
    click.echo("Database is up to date.")


@click.command("report")
@click.option("--period", required=True, help="A quarter (2026-Q3), month (2026-07) or year.")
@click.option("--district", default="", help="One district only (default: the whole city).")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PDF.")
@click.option("--language", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def report_command(period: str, district: str, output: Path, language: str) -> None:
    """Write the supply–demand analysis of a period as a PDF (产教供需分析报告)."""
    from portal.monitoring.periods import Period, city_zone
    from portal.monitoring.report import render

    chosen = Period.parse(period)
    if chosen is None:
        raise click.BadParameter("use 2026, 2026-Q3 or 2026-07", param_hint="--period")
    pdf = render(db_session, chosen, city_zone(current_app.config), district[:50], language)
    output.write_bytes(pdf)
    click.echo(f"{output}: {len(pdf):,} bytes.")


@click.command("monitoring-check")
def monitoring_check_command() -> None:
    """Check the warning rules now (the worker does it every morning)."""
    _check_warnings()
    click.echo("Warning rules checked.")


@click.command("monitoring-rebuild")
def monitoring_rebuild_command() -> None:
    """Re-derive the majors, 专业类 and skills every posting counts under in monitoring."""
    from portal.monitoring.facets import rebuild_all

    click.echo(f"{rebuild_all():,} postings done.")


@click.command("db-revision")
@click.argument("message")
def db_revision_command(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    migrate.revision(current_app._get_current_object(), message)  # type: ignore[attr-defined]


@click.command("create-coordinator")
@click.option("--email", prompt=True, help="Sign-in e-mail of the coordinator.")
@click.option("--name", prompt=True, help="Display name.")
@click.password_option(help="At least 10 characters and not easy to guess; asked twice "
                       "when not given.")
def create_coordinator_command(email: str, name: str, password: str) -> None:
    """Create a city coordinator account."""
    try:
        create_coordinator(db_session, email, name, password)
    except DomainError as error:
        db_session.rollback()
        raise click.ClickException(str(error.message)) from error
    db_session.commit()
    click.echo(f"Coordinator {email} created.")


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Fill the database with a living demo and print its sign-in details."""
    from portal.demo import seed_demo

    migrate.upgrade(current_app._get_current_object())  # type: ignore[attr-defined]
    from portal.monitoring.facets import rebuild_all

    logins = seed_demo(db_session)
    db_session.commit()
    rebuild_all()
    _recompute_matches()
    _check_warnings()
    click.echo("Demo data ready. Sign in with:")
    width = max(len(login.email) for login in logins)
    for login in logins:
        click.echo(f"  {login.email:<{width}}  {login.password}  {login.description}")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit with status 2 if any record was refused.")
def import_command(path: Path, strict: bool) -> None:
    """Import organisations and postings from a portal-import/1 JSON, CSV or XLSX file."""
    from portal.accounts.services import system_user
    from portal.postings.importer import ImportFileError, import_records, read_file

    try:
        records = read_file(path.read_bytes(), path.name)
    except ImportFileError as error:
        raise click.ClickException(str(error.message)) from error
    total = len(records.get("postings", []))
    with click.progressbar(length=total, label="Importing postings", file=sys.stderr,
                           show_pos=True) as bar:
        report = import_records(db_session, records, system_user(db_session),
                                progress=bar.update)
    db_session.commit()  # the import queued a recompute of every match for the worker
    click.echo(f"Organisations: {report.organizations_created} created, "
               f"{report.organizations_updated} updated. Postings: {report.postings_created} "
               f"created, {report.postings_updated} updated. Refused: {len(report.errors)}.")
    for error in report.errors:
        click.echo(f"  refused {error}", err=True)
    if strict and report.errors:
        sys.exit(2)


@click.command("expire-postings")
def expire_postings_command() -> None:
    """Mark published postings past their deadline as expired (run once a day)."""
    from portal.postings.services import expire_due_postings

    count = expire_due_postings(db_session)
    db_session.commit()
    click.echo(f"{count} postings expired.")


def _check_warnings() -> None:
    """The warning rules checked once, as the morning job would."""
    from portal.db import utcnow
    from portal.monitoring.periods import city_zone
    from portal.monitoring.warnings import evaluate

    with write_session() as session:
        evaluate(session, utcnow(), city_zone(current_app.config))


def _recompute_matches() -> None:
    """Every match recomputed and stored: scoring reads outside SQLite's write lock."""
    from portal.matching.store import recompute_all

    click.echo("Recomputing matches…", err=True)
    with read_session() as read, write_session() as write:
        recompute_all(read, write)


@click.command("match")
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="text",
              help="json: [{posting, matches: [{posting, score, reasons}]}] for tools.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
def match_command(output_format: str, top: int, output: Path | None) -> None:
    """Recompute and store every match; print each published demand's best supplies."""
    import json

    from portal.matching.services import as_json
    from portal.matching.store import recompute_all

    with read_session() as read, write_session() as write:
        ranking = recompute_all(read, write, top=top)
        results = as_json(write, ranking.by_demand, top)
    if output_format == "json":
        text = json.dumps(results, ensure_ascii=False, indent=1)
    else:
        lines = []
        for result in results:
            lines.append(result["posting"])
            for m in result["matches"]:
                lines.append(f"  {m['score']:6.2f}  {m['posting']}  {'; '.join(m['reasons'][:3])}")
        text = "\n".join(lines)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


def _figures_line(label: str, figures) -> str:  # noqa: ANN001 - outcomes.Figures
    def number(value: float | None) -> str:
        return "  -  " if value is None else f"{value:.3f}"

    return (f"{label:<8} pairs {figures.pairs}  positives {figures.positives}  negatives "
            f"{figures.negatives}  precision {number(figures.precision)}  recall "
            f"{number(figures.recall)}  mrr {number(figures.mrr)}")


@click.command("match-eval")
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="text")
def match_eval_command(output_format: str) -> None:
    """Score the engine on members' outcomes (dismissals, proposals, partnerships) and
    keep the figures for the coordinators' matching page."""
    import json

    from portal.matching.outcomes import Scorer, outcomes, record
    from portal.matching.weights import current_weights

    with write_session() as session:
        figures = Scorer(session, outcomes(session)).figures()
        record(session, figures, "command", current_weights())
    if output_format == "json":
        click.echo(json.dumps(figures.as_dict()))
    else:
        click.echo(_figures_line("now", figures))


@click.command("match-refit")
@click.option("--save", is_flag=True, help="Use the new weights (the old ones are kept).")
@click.option("--roll-back", is_flag=True, help="Restore the weights used before the last save.")
def match_refit_command(save: bool, roll_back: bool) -> None:
    """Fit the score weights to members' outcomes; print the figures before and after."""
    from portal.matching import weights
    from portal.matching.outcomes import TooFewOutcomes, record, refit

    if roll_back:
        try:
            restored = weights.roll_back()
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        click.echo("restored: " + ", ".join(f"{k} {v:.3f}" for k, v in restored.items()))
        _recompute_matches()
        return
    with write_session() as session:
        try:
            result = refit(session)
        except TooFewOutcomes as error:
            raise click.ClickException(str(error)) from error
        click.echo(_figures_line("before", result.before))
        click.echo(_figures_line("after", result.after))
        click.echo("weights: " + ", ".join(f"{k} {result.weights_before[k]:.3f} → {v:.3f}"
                                           for k, v in result.weights_after.items()))
        if save:
            weights.save(result.weights_after, "refitted from members' outcomes")
            record(session, result.after, "refit", weights.current_weights())
    if save:
        click.echo(f"saved to {weights.active_file()} (previous weights kept: match-refit "
                   "--roll-back)")
        _recompute_matches()
    else:
        click.echo("not saved: run again with --save to use these weights")


@click.command("backup")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Back up the database and every stored file into TARGET (a new or empty folder)."""
    from portal.backup import BackupError, backup

    try:
        summary = backup(current_app._get_current_object(), target)  # type: ignore[attr-defined]
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up {sum(summary.rows.values()):,} rows in {len(summary.rows)} tables "
               f"and {summary.files} files to {target}.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: the current data is replaced.")
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database and the stored files with the backup in SOURCE, after checking
    every hash in its manifest. Stop the portal (web and worker) first."""
    from portal.backup import BackupError, restore

    if not yes:
        click.confirm("Everything now in the portal is replaced by the backup. Go on?",
                      abort=True)
    try:
        summary = restore(current_app._get_current_object(), source)  # type: ignore[attr-defined]
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {sum(summary.rows.values()):,} rows and {summary.files} files "
               f"from {source}.")


def init_app(app: Flask) -> None:
    from portal.agreements.cli import agreements_cli

    app.cli.add_command(agreements_cli)
    for command in (init_db_command, db_revision_command, create_coordinator_command,
                    seed_demo_command, import_command, expire_postings_command, match_command,
                    match_eval_command, match_refit_command, backup_command, restore_command,
                    monitoring_rebuild_command, monitoring_check_command, report_command):
        app.cli.add_command(command)
