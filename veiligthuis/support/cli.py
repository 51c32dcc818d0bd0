"""Commands: support refresh-signals (run daily, e.g. from cron)."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from veiligthuis.extensions import db

support_cli = AppGroup("support", help="Individuele hulpverlening: signalen.")


def register(app: Flask) -> None:
    """Attach the commands to ``app``."""
    app.cli.add_command(support_cli)


@support_cli.command("refresh-signals")
@with_appcontext
def refresh_signals() -> None:
    """Recompute the signals of running groups ("no contact" needs a daily run) and mail."""
    from veiligthuis.support import mail, service

    opened = service.refresh_all(db.session)
    participant_ids = [signal.participant_id for signal in opened]
    db.session.commit()
    recipients = service.mail_recipients(db.session, participant_ids)
    sent = mail.notify_staff(current_app.config, recipients)
    click.echo(f"{len(participant_ids)} nieuw(e) signaal/signalen, {sent} e-mail(s) verstuurd.")
