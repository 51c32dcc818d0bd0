"""A realistic demo organisation: two locations, ten staff, three women's groups in different
states and the parallel offer (a men's and a children's group)."""

from datetime import date, time, timedelta

from veiligthuis.auth.models import User
from veiligthuis.auth.service import create_user, find_user_by_email
from veiligthuis.groups import service as groups
from veiligthuis.groups.models import Group
from veiligthuis.models import DbSession
from veiligthuis.sessions.models import Attendance
from veiligthuis.sessions.schedule import first_on_weekday, today_local
from veiligthuis.settings import set_setting

PASSWORD = "demo-wachtwoord"
STAFF = [
    ("coordinator@demo.veiligthuis.nl", "Carla de Vries", {"coordinator"}),
    ("fatima@demo.veiligthuis.nl", "Fatima El Amrani", {"facilitator"}),
    ("ingrid@demo.veiligthuis.nl", "Ingrid Bakker", {"facilitator"}),
    ("sanne@demo.veiligthuis.nl", "Sanne Jansen", {"facilitator", "editor"}),
    ("mirjam@demo.veiligthuis.nl", "Mirjam Kok", {"case_worker"}),
    ("yasmin@demo.veiligthuis.nl", "Yasmin Demir", {"case_worker"}),
]
DEMO_LOGINS = {
    "password": PASSWORD,
    "accounts": [(email, ", ".join(sorted(roles))) for email, _name, roles in STAFF],
}

ALIASES = [
    "Amira",
    "Bea",
    "Cora",
    "Dilek",
    "Esther",
    "Fenna",
    "Gül",
    "Hanna",
    "Ilse",
    "Joyce",
    "Karima",
    "Lotte",
    "Maria",
    "Nadia",
    "Olga",
    "Priya",
    "Roos",
    "Samira",
    "Tineke",
    "Umay",
    "Vera",
    "Wendy",
    "Yara",
    "Zeynep",
    "Anouk",
    "Bibi",
    "Chantal",
    "Dounia",
    "Eva",
    "Fleur",
]


def seed(db_session: DbSession, today: date | None = None) -> bool:
    """Create the demo data unless it exists; returns whether anything was created."""
    if find_user_by_email(db_session, STAFF[0][0]) is not None:
        return False
    today = today or today_local()
    # The demo accounts log in with a password only, so anyone can try the planner; a
    # coordinator sees a warning at every login until two-step login is required again.
    set_setting(db_session, "require_two_factor", False)
    people: dict[str, User] = {}
    for email, name, roles in STAFF:
        people[email.split("@")[0]] = create_user(
            db_session, email=email, name=name, password=PASSWORD, roles=roles
        )
    coordinator = people["coordinator"]
    linde = groups.save_location(
        db_session,
        None,
        name="Wijkcentrum De Linde",
        address="Lindelaan 12, Utrecht",
        region="midden",
    )
    groups.add_room(db_session, linde, name="Zaal 1", capacity=16)
    groups.add_room(db_session, linde, name="Stilteruimte", capacity=8)
    anker = groups.save_location(
        db_session,
        None,
        name="Buurthuis Het Anker",
        address="Havenstraat 3, Zwolle",
        region="noord",
    )
    groups.add_room(db_session, anker, name="Grote zaal", capacity=20)

    plans = [
        (
            "Linde voorjaar",
            linde,
            1,
            time(9, 30),
            today - timedelta(weeks=30),
            "fatima",
            "ingrid",
            9,
        ),
        ("Linde najaar", linde, 3, time(13, 0), today - timedelta(weeks=6), "fatima", "sanne", 8),
        ("Anker winter", anker, 1, time(19, 0), today + timedelta(weeks=5), "ingrid", "sanne", 4),
    ]
    aliases = iter(ALIASES)
    case_workers = [people["mirjam"], people["yasmin"]]
    for index, (name, location, weekday, start, first, a, b, size) in enumerate(plans):
        data = groups.GroupData(
            name=name,
            public_title="Vrouwengroep",
            location_id=location.id,
            room_id=location.rooms[0].id,
            weekday=weekday,
            start_time=start,
            first_date=first_on_weekday(first, weekday),
            facilitator_a_id=people[a].id,
            facilitator_b_id=people[b].id,
        )
        group = groups.create_group(db_session, coordinator, data, accept_conflicts=True)
        for number in range(size):
            groups.add_participant(
                db_session,
                coordinator,
                group,
                groups.ParticipantData(
                    alias=next(aliases),
                    status="active",
                    intake_date=first - timedelta(weeks=3),
                    referral_source=["veilig_thuis", "huisarts", "wijkteam", "self"][number % 4],
                    case_worker_id=case_workers[number % 2].id,
                    safe_channel="phone",
                    safe_times="doordeweeks tussen 10 en 14 uur",
                    age_band="35_44",
                    language=["Nederlands", "Turks", "Arabisch"][number % 3],
                ),
            )
        if index < 2:
            _attend(db_session, group, today)
            override = "" if size >= 6 else "Demo"
            groups.start_group(db_session, coordinator, group, override)
        if index == 0:
            dropout = group.participants[-1]
            dropout.status, dropout.dropout_reason = "dropped_out", "verhuisd"
            groups.finish_group(db_session, coordinator, group, 9)
    db_session.flush()
    from veiligthuis.support.demo import seed_support

    seed_support(db_session, today)
    from veiligthuis.evaluations.demo import seed_evaluations

    seed_evaluations(db_session, today)
    from veiligthuis.programmes.demo import seed_parallel

    seed_parallel(db_session, coordinator, PASSWORD, today)
    return True


def _attend(db_session: DbSession, group: Group, today: date) -> None:
    """Realistic attendance for the meetings already held: mostly present."""
    for s_index, gs in enumerate(group.active_sessions):
        if gs.start_dt.date() >= today:
            break
        for p_index, participant in enumerate(group.participants):
            pattern = (s_index * 7 + p_index * 3) % 11
            status = "absent" if pattern == 0 else "excused" if pattern == 1 else "present"
            db_session.add(Attendance(group_session=gs, participant=participant, status=status))
    db_session.flush()
