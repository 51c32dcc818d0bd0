"""The demo's parallel offer: a men's and a children's group aligned with the running
women's group, and one keep-apart pair, so a new user sees it at once."""

from datetime import date, time, timedelta

import sqlalchemy as sa

from veiligthuis.auth.service import create_user
from veiligthuis.groups import service as groups
from veiligthuis.groups.models import Group, GroupStatus, Location
from veiligthuis.methodiek.cli import PROGRAMME_DIRS
from veiligthuis.methodiek.loader import read_folder
from veiligthuis.methodiek.service import import_content
from veiligthuis.models import DbSession
from veiligthuis.programmes.keep_apart import create_link
from veiligthuis.programmes.models import Programme, ProgrammeKind
from veiligthuis.sessions.schedule import first_on_weekday, to_local

PARALLEL_STAFF = [
    ("johan@demo.veiligthuis.nl", "Johan Visser", "men"),
    ("peter@demo.veiligthuis.nl", "Peter Smit", "men"),
    ("lisa@demo.veiligthuis.nl", "Lisa de Boer", "children"),
    ("noor@demo.veiligthuis.nl", "Noor Hendriks", "children"),
]
#: (kind, programme name, meetings, minutes, min, max, group name, start time, where, aliases)
PARALLEL = [
    (
        ProgrammeKind.MEN,
        "Mannengroep",
        10,
        120,
        5,
        10,
        "Wissel mannen",
        time(19, 0),
        "Buurthuis De Wissel",
        ["Ahmed", "Bram", "Cees", "Dennis", "Erik"],
    ),
    (
        ProgrammeKind.CHILDREN,
        "Kindergroep",
        8,
        90,
        4,
        8,
        "Linde kinderen",
        time(16, 0),
        "Wijkcentrum De Linde",
        ["Kind A", "Kind B", "Kind C", "Kind D"],
    ),
]


def _import_book(db_session: DbSession, programme: Programme) -> None:
    """The programme's own method book as shipped in the repository."""
    content, problems = read_folder(PROGRAMME_DIRS[programme.kind])
    assert not problems, problems
    import_content(db_session, content, programme=programme)


def seed_parallel(db_session: DbSession, coordinator, password: str, today: date) -> None:
    """Programmes, staff and one group each, in the weeks of the running women's group."""
    women = db_session.scalars(
        sa.select(Group).where(Group.status == GroupStatus.RUNNING).order_by(Group.id)
    ).first()
    assert women is not None, "the demo's running women's group comes first"
    first_local = to_local(women.active_sessions[0].start_dt).date()
    # The men meet elsewhere, but in the women's region: meeting in the same weeks, the two
    # groups must share its school holidays, or a week of theirs may fall in ours.
    wissel = groups.save_location(
        db_session,
        None,
        name="Buurthuis De Wissel",
        address="Wisselspoor 8, Utrecht",
        region=women.location.region,
    )
    groups.add_room(db_session, wissel, name="Zaal", capacity=12)
    staff: dict[str, list] = {}
    for email, name, kind in PARALLEL_STAFF:
        staff.setdefault(kind, []).append(
            create_user(
                db_session, email=email, name=name, password=password, roles={"facilitator"}
            )
        )
    made = []
    for kind, title, count, minutes, low, high, name, start, where, aliases in PARALLEL:
        programme = Programme(
            name=title,
            kind=kind,
            session_count=count,
            session_minutes=minutes,
            min_participants=low,
            max_participants=high,
        )
        db_session.add(programme)
        _import_book(db_session, programme)
        a, b = staff[kind]
        a.programmes, b.programmes = [programme], [programme]
        coordinator.programmes.append(programme)
        db_session.flush()
        location = db_session.scalars(sa.select(Location).where(Location.name == where)).one()
        data = groups.GroupData(
            name=name,
            public_title="Groep",
            location_id=location.id,
            room_id=location.rooms[-1].id,
            weekday=women.weekday,
            start_time=start,
            first_date=first_on_weekday(first_local, women.weekday),
            facilitator_a_id=a.id,
            facilitator_b_id=b.id,
            programme_id=programme.id,
            aligned_with_id=women.id,
        )
        group = groups.create_group(db_session, coordinator, data, accept_conflicts=True)
        for alias in aliases:
            groups.add_participant(
                db_session,
                coordinator,
                group,
                groups.ParticipantData(
                    alias=alias, status="active", intake_date=first_local - timedelta(weeks=3)
                ),
            )
        groups.start_group(db_session, coordinator, group)
        made.append(group)
    # a woman of the running group and a man of the men's group: never at one place near in time
    create_link(db_session, coordinator, women.participants[0], made[0].participants[0])
    db_session.flush()
