"""Demo evaluations for the demo organisation: rounds answered as a group would have."""

import random
import secrets
from datetime import date

import sqlalchemy as sa

from veiligthuis.evaluations import service
from veiligthuis.groups.models import Group
from veiligthuis.models import DbSession
from veiligthuis.sessions.models import GroupSession
from veiligthuis.sessions.schedule import to_local


def _session_lean(gs: GroupSession) -> float:
    """Later meetings are rated a little higher, as a group finds its feet."""
    return 0.55 + (gs.number or 0) / 30


def _answers(question_set, rng: random.Random, lean: float) -> dict:
    """One woman's answers; ``lean`` (0..1) pulls the scale answers upwards."""
    values: dict[str, int | str] = {}
    for question in question_set.questions:
        if question.get("type") == "text":
            if rng.random() < 0.4:
                values[question["id"]] = rng.choice(
                    ["Fijn om te horen dat ik niet de enige ben.", "Goed gesprek.", "Te kort!"]
                )
            continue
        options = service.scale_values(question_set, question)
        index = min(len(options) - 1, int(rng.random() * len(options) * (0.5 + lean)))
        # negatively worded items: agreeing less is the good direction
        values[question["id"]] = options[-1 - index] if question.get("reverse") else options[index]
    return values


def seed_evaluations(db_session: DbSession, today: date) -> None:
    """Rounds for the demo groups' meetings so far, their pre- and post-measurement."""
    rng = random.Random(7)
    secret = secrets.token_hex(16)  # demo codes are answered at once, never handed out
    groups = db_session.scalars(sa.select(Group).order_by(Group.id)).all()
    for group in groups:
        if (
            group.methodiek_version is None
            or group.methodiek_version.question_set("sessie") is None
        ):
            continue
        held = [s for s in group.active_sessions if to_local(s.end_dt).date() < today]
        if not held:
            continue
        women = sum(
            1 for p in group.participants if p.status in ("active", "completed", "dropped_out")
        )
        plan: list[tuple[str, GroupSession | None, float]] = [("voor", None, 0.3)]
        plan += [("sessie", gs, _session_lean(gs)) for gs in held]
        if len(held) == len(group.active_sessions):
            plan += [("afsluiting", None, 0.85), ("na", None, 0.65)]
        for kind, gs, lean in plan:
            moment = gs or (held[0] if kind == "voor" else held[-1])
            day = to_local(moment.start_dt).date()
            round_, codes = service.open_round(
                db_session,
                group.facilitator_a,
                group,
                kind,
                group_session=gs,
                count=women,
                secret=secret,
                today=day,
            )
            for code in codes[: max(women - rng.randint(0, 2), 1)]:
                values = _answers(round_.question_set, rng, lean)
                _round_id, nonce = service.open_form(db_session, code, secret=secret, today=day)
                service.submit_answers(db_session, round_, nonce, values, today=day)
            round_.opened_dt = moment.start_dt
            service.close_round(db_session, None, round_)
    db_session.flush()
