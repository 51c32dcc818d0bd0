"""Realistic support data for the demo organisation (called from ``veiligthuis.demo.seed``)."""

from datetime import date, timedelta

import sqlalchemy as sa

from veiligthuis.auth.models import User
from veiligthuis.auth.service import find_user_by_email
from veiligthuis.groups.models import Group, Participant
from veiligthuis.models import DbSession
from veiligthuis.sessions.models import AttendanceStatus
from veiligthuis.sessions.service import record_attendance
from veiligthuis.support import service
from veiligthuis.support.models import ReferralTarget, Signal, SignalStatus, SupportContact

CONTACT_NOTES = [
    (
        "conversation",
        60,
        "Kennismaking na de intake. Zij wil graag meedoen; afgesproken elke twee weken te bellen.",
    ),
    ("phone", 15, "Kort gebeld op het afgesproken tijdstip. Groep bevalt, voelt zich welkom."),
    ("conversation", 45, "Veiligheidsplan doorgenomen en aangevuld met een tweede adres."),
    ("consultation", 20, "Overleg met collega wijkteam over ondersteuning bij de administratie."),
    ("home_visit", 60, "Huisbezoek; rustig thuis. Besproken wat zij uit de groep meeneemt."),
]


def _seed_client(
    db_session,
    participant,
    worker,
    index: int,
    start: date,
    today: date,
    *,
    is_running: bool,
    targets: dict,
) -> None:
    """Contacts, a safety plan for every other woman and two referrals, for one client."""
    # Every two weeks or so; in the running group every third woman has had no contact
    # for over a month, so a "no contact" signal shows.
    silent = is_running and index % 3 == 2
    days = [start + timedelta(days=index + 14 * n) for n in range(3)]
    if is_running:
        days = [today - timedelta(days=(31 if silent else 4) + index + 14 * n) for n in range(2)]
    for number, day in enumerate(sorted(days)):
        kind, minutes, note = CONTACT_NOTES[(index + number) % len(CONTACT_NOTES)]
        service.log_contact(
            db_session,
            worker,
            participant,
            contact_date=min(day, today),
            kind=kind,
            minutes=minutes,
            note=note,
            today=today,
        )
    if index % 2 == 0:
        service.save_record(
            db_session,
            worker,
            participant,
            has_safety_plan=True,
            reviewed_date=min(start + timedelta(days=20), today),
            is_evaluation_shared=index % 4 == 0,
            today=today,
        )
    if index in (1, 4):
        name = "Juridisch Loket / advocaat" if index == 1 else "Schuldhulpverlening"
        service.add_referral(
            db_session,
            worker,
            participant,
            referral_date=min(start + timedelta(days=25), today),
            target_id=targets[name].id,
            note="Samen de eerste afspraak gemaakt.",
            today=today,
        )


def _seed_signals(db_session, running, finished, fatima, mirjam, today: date) -> None:
    """Absences and a care signal in the running group; the finished group's are closed."""
    held = [gs for gs in running.active_sessions if gs.start_dt.date() < today]
    if len(held) >= 2:
        # She called in ill twice in a row: the case worker sees "consecutive absences".
        absent = running.participants[1]
        record_attendance(
            db_session,
            fatima,
            running,
            {(absent.id, gs.id): AttendanceStatus.EXCUSED for gs in held[-2:]},
        )
    if held:
        gs = held[-1]
        participant = running.participants[0]
        service.file_care_signal(
            db_session,
            fatima,
            gs,
            participant,
            care_date=min(gs.start_dt.date(), today),
            category="children",
            informed="collega-begeleider",
            note="Vertelde in de pauze dat de kinderen deze week bij de buren sliepen na "
            "onrust thuis. Zij wil dit met haar hulpverlener bespreken.",
            today=today,
        )
    for group in (finished, running):
        service.refresh_signals(db_session, None, group, today)
    # The finished group's signals were dealt with during the handover.
    for signal in db_session.scalars(
        sa.select(Signal)
        .join(Participant, Signal.participant_id == Participant.id)
        .where(
            Participant.group_id == finished.id,
            Participant.case_worker_id == mirjam.id,
            Signal.status != SignalStatus.CLOSED,
        )
        .order_by(Signal.id)
    ).all():
        service.close_signal(db_session, mirjam, signal, "Besproken bij de overdracht.")


def seed_support(db_session: DbSession, today: date) -> bool:
    """Contacts, safety-plan status, referrals and signals for the demo groups; once."""
    if db_session.scalar(sa.select(sa.func.count()).select_from(SupportContact)):
        return False
    if not db_session.scalar(sa.select(sa.func.count()).select_from(ReferralTarget)):
        service.add_default_referral_targets(db_session, None)
    mirjam = find_user_by_email(db_session, "mirjam@demo.veiligthuis.nl")
    fatima = find_user_by_email(db_session, "fatima@demo.veiligthuis.nl")
    groups = {g.name: g for g in db_session.scalars(sa.select(Group))}
    running, finished = groups.get("Linde najaar"), groups.get("Linde voorjaar")
    if mirjam is None or fatima is None or running is None or finished is None:
        return False
    targets = {t.name: t for t in service.referral_targets(db_session)}
    case_workers: dict[int | None, User] = {u.id: u for u in db_session.scalars(sa.select(User))}
    for group, start in (
        (finished, today - timedelta(weeks=30)),
        (running, today - timedelta(weeks=7)),
    ):
        for index, participant in enumerate(group.participants):
            worker = case_workers.get(participant.case_worker_id)
            if worker is not None:
                _seed_client(
                    db_session,
                    participant,
                    worker,
                    index,
                    start,
                    today,
                    is_running=group is running,
                    targets=targets,
                )
    _seed_signals(db_session, running, finished, fatima, mirjam, today)
    service.set_signal_mail(db_session, mirjam, True)
    db_session.flush()
    return True
