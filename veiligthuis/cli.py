"""Commands: init-db, create-user, seed-demo, retention, backup, restore."""

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
    app.cli.add_command(retention)
    app.cli.add_command(backup)
    app.cli.add_command(restore)


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
    type=click.Choice(["coordinator", "facilitator", "case_worker", "editor", "volunteer"]),
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
    from veiligthuis.programmes.demo import PARALLEL_STAFF

    created = seed(db.session)
    db.session.commit()
    click.echo("Demogegevens geladen." if created else "Demogegevens waren er al.")
    click.echo(f"Demo-accounts (wachtwoord voor allen: {DEMO_LOGINS['password']}):")
    for email, roles in DEMO_LOGINS["accounts"]:
        click.echo(f"  {email:38} {roles}")
    for email, _name, kind in PARALLEL_STAFF:
        group = "mannengroep" if kind == "men" else "kindergroep"
        click.echo(f"  {email:38} facilitator ({group})")
    click.echo(
        "Let op: in de demo is inloggen in twee stappen niet verplicht. Zet het voor echt "
        "gebruik aan bij Beheer > Instellingen."
    )


@click.command("retention")
@with_appcontext
def retention() -> None:
    """Anonymise participants whose group ended longer ago than the retention term."""
    from veiligthuis.auth.audit_service import purge_audit
    from veiligthuis.auth.service import audit
    from veiligthuis.groups.service import anonymise_expired
    from veiligthuis.models import utcnow
    from veiligthuis.partners.service import purge_expired_referrals
    from veiligthuis.purge import PURGED_TABLES, RetentionRun, shred_freed_space
    from veiligthuis.sessions.schedule import today_local
    from veiligthuis.settings import get_setting

    months = get_setting(db.session, "retention_months")
    count = anonymise_expired(db.session, today_local(), months)
    referrals = purge_expired_referrals(db.session, today_local(), months)
    # counts only: the audit log must not become a second copy of what was removed
    audit(
        db.session,
        None,
        "retention",
        RetentionRun(),
        detail=f"{count} deelnemer(s) geanonimiseerd, {referrals} aanmelding(en) verwijderd, "
        f"bewaartermijn {months} maanden",
    )
    years = get_setting(db.session, "audit_retention_years")
    purged = purge_audit(db.session, utcnow(), years)
    db.session.commit()
    if count or referrals:
        shred_freed_space(db.engine, PURGED_TABLES)
    click.echo(f"{count} deelnemer(s) geanonimiseerd (bewaartermijn {months} maanden).")
    click.echo(f"{referrals} aanmelding(en) zonder deelname verwijderd.")
    click.echo(f"{purged} auditregel(s) ouder dan {years} jaar verwijderd (NEN 7513).")


@click.command("backup")
@click.argument("target", required=False, type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup(target: str | None) -> None:
    """Write a consistent copy of the database and the uploads (SQLite backup API or pg_dump)."""
    from datetime import datetime
    from pathlib import Path

    from flask import current_app

    from veiligthuis import backup as backups

    url = db.engine.url
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if url.get_backend_name() == "sqlite" else "dump"
    folder = Path(current_app.instance_path, "backups")
    path = Path(target) if target else folder / f"veiligthuis-{stamp}.{suffix}"
    try:
        backups.backup(url, path, Path(current_app.config["UPLOAD_FOLDER"]))
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Reservekopie geschreven naar {path} (bestanden: {backups.uploads_archive(path)}).")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, exists=True))
@with_appcontext
def restore(source: str) -> None:
    """Load a backup into the configured, empty database (DATABASE_URL) and its uploads."""
    from pathlib import Path

    from flask import current_app

    from veiligthuis import backup as backups

    db.engine.dispose()
    try:
        backups.restore(db.engine.url, Path(source), Path(current_app.config["UPLOAD_FOLDER"]))
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Reservekopie {source} teruggezet. Draai daarna 'init-db' als de kopie van een "
        "oudere versie is."
    )
