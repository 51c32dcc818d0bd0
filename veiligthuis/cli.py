"""Commands: init-db, create-user, seed-demo."""

import getpass
import sys

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate import upgrade

from veiligthuis.extensions import db
from veiligthuis.models import DomainError


def register(app: Flask) -> None:
    """Attach the commands to ``app``."""
    app.cli.add_command(init_db)
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    upgrade()
    click.echo("Database bijgewerkt.")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", default="", help="Naam zoals collega's die zien.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(["coordinator", "facilitator", "case_worker", "editor"]),
    help="Rol; meerdere keren te geven.",
)
def create_user(email: str, name: str, roles: tuple[str, ...]) -> None:
    """Create a staff account; the password is read from standard input or asked for."""
    from veiligthuis.auth.service import create_user as create

    if sys.stdin.isatty():
        password = getpass.getpass("Wachtwoord: ")
        if getpass.getpass("Nog een keer: ") != password:
            raise click.ClickException("De wachtwoorden zijn niet gelijk.")
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = create(
            db.session, email=email, name=name or email, password=password, roles=set(roles)
        )
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Account {user.email} aangemaakt ({', '.join(sorted(user.roles))}).")


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load a realistic demo organisation once; does nothing when it is already there."""
    from veiligthuis.demo import DEMO_LOGINS, seed

    created = seed(db.session)
    db.session.commit()
    click.echo("Demogegevens geladen." if created else "Demogegevens waren er al.")
    click.echo(f"Demo-accounts (wachtwoord voor allen: {DEMO_LOGINS['password']}):")
    for email, roles in DEMO_LOGINS["accounts"]:
        click.echo(f"  {email:38} {roles}")
