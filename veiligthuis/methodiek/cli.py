"""Commands: check-methodiek, import-methodiek, export-methodiek."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from veiligthuis.extensions import db
from veiligthuis.methodiek import service
from veiligthuis.methodiek.content import (
    EVALUATION_DIR,
    HANDOUTS_DIR,
    SESSIONS_DIR,
)
from veiligthuis.methodiek.files import content_files
from veiligthuis.methodiek.loader import read_folder
from veiligthuis.methodiek.models import MethodiekVersion
from veiligthuis.models import DomainError
from veiligthuis.programmes.models import Programme, ProgrammeKind
from veiligthuis.programmes.service import default_programme

#: the method content shipped with the code
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "methodiek"
#: the parallel programmes' own method books, in the same layout
PROGRAMME_DIRS: dict[str, Path] = {
    ProgrammeKind.WOMEN: DEFAULT_DIR,
    ProgrammeKind.MEN: DEFAULT_DIR.with_name("methodiek-mannengroep"),
    ProgrammeKind.CHILDREN: DEFAULT_DIR.with_name("methodiek-kindergroep"),
}


def register(app: Flask) -> None:
    """Attach the commands to ``app``."""
    app.cli.add_command(check_methodiek)
    app.cli.add_command(import_methodiek)
    app.cli.add_command(export_methodiek)


def _report(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(problems)} probleem/problemen gevonden.", err=True)


@click.command("check-methodiek")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
def check_methodiek(directory: Path | None) -> None:
    """Check a methodiek folder and list every problem as file:line: message."""
    directory = directory or DEFAULT_DIR
    _content, problems = read_folder(directory)
    if problems:
        _report(problems)
        raise SystemExit(1)
    click.echo(f"{directory}: geen problemen gevonden.")


@click.command("import-methodiek")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--if-empty", is_flag=True, help="Niets doen als het programma al een versie heeft.")
@click.option(
    "--programme",
    "programme_name",
    help="Naam van het programma (standaard: de vrouwengroep).",
)
@with_appcontext
def import_methodiek(directory: Path | None, if_empty: bool, programme_name: str | None) -> None:
    """Load a methodiek folder as a new published version of a programme's method book."""
    directory = directory or DEFAULT_DIR
    programme = _programme(programme_name)
    has_one = sa.select(MethodiekVersion.id).where(MethodiekVersion.programme_id == programme.id)
    if if_empty and db.session.scalar(has_one.limit(1)) is not None:
        click.echo("Er is al een methodiek; niets ingelezen.")
        return
    content, problems = read_folder(directory)
    if problems:
        _report(problems)
        raise click.ClickException("De methodiek is niet ingelezen.")
    try:
        version = service.import_content(db.session, content, programme=programme)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(
        f"Methodiek {version.label} ingelezen en gepubliceerd (versie-id {version.id}): "
        f"{len(content.sessions)} bijeenkomsten, {len(content.handouts)} bijlagen."
    )


def _programme(name: str | None) -> Programme:
    if name is None:
        return default_programme(db.session)
    programme = db.session.scalar(sa.select(Programme).where(Programme.name == name))
    if programme is None:
        known = ", ".join(db.session.scalars(sa.select(Programme.name).order_by(Programme.name)))
        raise click.ClickException(f"Er is geen programma '{name}'. Bekend: {known or 'geen'}.")
    return programme


@click.command("export-methodiek")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--version", "version_id", type=int, help="Versie-id (standaard: de nieuwste gepubliceerde)."
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Een map die niet leeg is bijwerken; overbodige bijeenkomsten, bijlagen en vragenlijsten verdwijnen.",
)
@with_appcontext
def export_methodiek(directory: Path, version_id: int | None, overwrite: bool) -> None:
    """Write a version back to files."""
    if version_id is None:
        latest = service.latest_published_version(db.session, default_programme(db.session).id)
        if latest is None:
            raise click.ClickException("Er is nog geen gepubliceerde versie.")
        version_id = latest.id
    version = service.load_version(db.session, version_id)
    if version is None:
        raise click.ClickException(f"Versie {version_id} bestaat niet.")
    if directory.exists() and any(directory.iterdir()) and not overwrite:
        raise click.ClickException(
            f"{directory} is niet leeg. Kies een lege map of gebruik --overwrite."
        )
    files = content_files(service.version_to_content(version))
    if overwrite and directory.exists():
        for folder in (SESSIONS_DIR, HANDOUTS_DIR, EVALUATION_DIR):
            for old in (directory / folder).glob("*"):
                if old.is_file() and f"{folder}/{old.name}" not in files:
                    old.unlink()
    for rel, data in files.items():
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    click.echo(f"Versie {version.label} geschreven naar {directory} ({len(files)} bestanden).")
