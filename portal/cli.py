"""Command-line tools: `flask --app wsgi init-db | create-coordinator | seed-demo | db-revision`."""
from __future__ import annotations

import click
from flask import Flask, current_app

from portal import migrate
from portal.accounts.auth import create_coordinator
from portal.db import db_session
from portal.errors import DomainError


@click.command("init-db")
def init_db_command() -> None:
    """Create or upgrade the database schema to the newest migration."""
    migrate.upgrade(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo("Database is up to date.")


@click.command("db-revision")
@click.argument("message")
def db_revision_command(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    migrate.revision(current_app._get_current_object(), message)  # type: ignore[attr-defined]


@click.command("create-coordinator")
@click.option("--email", prompt=True, help="Sign-in e-mail of the coordinator.")
@click.option("--name", prompt=True, help="Display name.")
@click.password_option(help="At least 10 characters; asked twice when not given.")
def create_coordinator_command(email: str, name: str, password: str) -> None:
    """Create a city coordinator account."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise click.ClickException(f"The password must have at least {minimum} characters.")
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
    logins = seed_demo(db_session)
    db_session.commit()
    click.echo("Demo data ready. Sign in with:")
    width = max(len(login.email) for login in logins)
    for login in logins:
        click.echo(f"  {login.email:<{width}}  {login.password}  {login.description}")


def init_app(app: Flask) -> None:
    for command in (init_db_command, db_revision_command, create_coordinator_command,
                    seed_demo_command):
        app.cli.add_command(command)
