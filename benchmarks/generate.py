"""A ten-year organisation for the benchmark: the rows the app itself would write.

    .venv/bin/python benchmarks/generate.py --size 1.0 --database-url sqlite:////tmp/vt.sqlite3

Size 1.0 is about 500 groups, 5,000 participants, 6,000 meetings, 60,000 attendance marks and
40,000 answers, with a dozen locations and the same staff of ten throughout (so one facilitator
leads about 110 groups). Everything goes through the app's own services (the methodiek through
its import, users, locations, groups with their twelve meetings, participants, starting and
finishing groups, evaluation rounds, codes and submitted answers, the feed token), so the audit
rows and derived columns are the real ones. Only the attendance marks are bulk-inserted model
rows: saving them one grid at a time through the view would take longer than the benchmark.

Writes ``benchmark.json`` next to nothing but the path given with ``--manifest``: logins, the
ids of the groups the runner visits, the feed token, 2,000 (x size) unused evaluation codes in rounds of twelve, and a round of
30 codes for the slips.
"""

import argparse
import hashlib
import json
import random
import sys
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from veiligthuis import create_app  # noqa: E402
from veiligthuis.auth.service import create_user, regenerate_feed_token  # noqa: E402
from veiligthuis.demo import ALIASES  # noqa: E402
from veiligthuis.evaluations import service as evaluations  # noqa: E402
from veiligthuis.evaluations.models import EvaluationRound  # noqa: E402
from veiligthuis.extensions import db  # noqa: E402
from veiligthuis.groups import service as groups  # noqa: E402
from veiligthuis.methodiek import service as methodiek  # noqa: E402
from veiligthuis.methodiek.loader import read_folder  # noqa: E402
from veiligthuis.sessions.models import Attendance  # noqa: E402
from veiligthuis.sessions.schedule import to_local  # noqa: E402
from veiligthuis.support import service as support  # noqa: E402

PASSWORD = "benchmark-wachtwoord"
#: every benchmark account's authenticator secret: logins go through both steps, as staff's do
TOTP_SECRET = "BENCHMARKBENCHMARKBENCHMARK23456"
SECRET_KEY = "benchmark-secret"
#: a fixed "today", so every run builds the same organisation
TODAY = date(2026, 11, 2)
PARTICIPANTS_PER_GROUP = 10
FACILITATORS = 9
CASE_WORKERS = 4
LOCATIONS = 12
SUBMISSION_CODES = 2000
#: the codes of one submission round: the women of one group
WOMEN_PER_ROUND = 12


def app_config(database_url: str, instance: Path) -> dict:
    """The settings the generator and the benchmarked servers share."""
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": SECRET_KEY,
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "MAIL_FOLDER": str(instance / "mail"),
        "PDF_CACHE_FOLDER": str(instance / "pdf-cache"),
        "PASSWORD_HASH_CHEAPEST": True,
    }


def _staff(session) -> dict:
    people = {
        "coordinator": create_user(
            session,
            email="coordinator@bench.example",
            name="Carla de Vries",
            password=PASSWORD,
            roles={"coordinator"},
        )
    }
    for n in range(FACILITATORS):
        people[f"facilitator{n}"] = create_user(
            session,
            email=f"facilitator{n}@bench.example",
            name=f"Begeleider {n}",
            password=PASSWORD,
            roles={"facilitator"},
        )
    for n in range(CASE_WORKERS):
        people[f"case_worker{n}"] = create_user(
            session,
            email=f"case_worker{n}@bench.example",
            name=f"Casemanager {n}",
            password=PASSWORD,
            roles={"case_worker"},
        )
    for user in people.values():
        user.totp_secret = TOTP_SECRET
    return people


def _locations(session) -> list:
    found = []
    for n in range(LOCATIONS):
        location = groups.save_location(
            session, None, name=f"Wijkcentrum {n}", address=f"Laan {n}, Utrecht", region="midden"
        )
        groups.add_room(session, location, name="Zaal 1", capacity=16)
        found.append(location)
    return found


def _group(session, people, locations, index: int, count: int, rng: random.Random):
    """One group; first meetings spread evenly over ten years up to three months from TODAY."""
    span = 3650
    first = TODAY + timedelta(days=90 - span + span * index // max(count, 1))
    a, b = rng.sample(range(FACILITATORS), 2)
    location = locations[index % LOCATIONS]
    weekday = index % 5
    data = groups.GroupData(
        name=f"{location.name} {first.year} #{index}",
        public_title="Vrouwengroep",
        location_id=location.id,
        room_id=location.rooms[0].id,
        weekday=weekday,
        start_time=clock(9 + index % 3 * 4, 30),
        first_date=first + timedelta(days=(weekday - first.weekday()) % 7),
        facilitator_a_id=people[f"facilitator{a}"].id,
        facilitator_b_id=people[f"facilitator{b}"].id,
    )
    coordinator = people["coordinator"]
    group = groups.create_group(session, coordinator, data, accept_conflicts=True)
    for n in range(PARTICIPANTS_PER_GROUP):
        groups.add_participant(
            session,
            coordinator,
            group,
            groups.ParticipantData(
                alias=f"{ALIASES[n % len(ALIASES)]} {index}",
                status="active",
                intake_date=data.first_date - timedelta(weeks=3),
                referral_source="veilig_thuis",
                case_worker_id=people[f"case_worker{(index + n) % CASE_WORKERS}"].id,
                safe_channel="phone",
            ),
        )
    return group


def _held(group) -> list:
    return [gs for gs in group.active_sessions if to_local(gs.end_dt).date() < TODAY]


def _attendance_rows(group, rng: random.Random) -> list[dict]:
    rows = []
    for gs in _held(group):
        for participant in group.participants:
            roll = rng.random()
            status = "absent" if roll < 0.08 else "excused" if roll < 0.15 else "present"
            rows.append(
                {"group_session_id": gs.id, "participant_id": participant.id, "status": status}
            )
    return rows


def _answer_round(session, actor, group, kind, gs, women: int, rng: random.Random) -> None:
    moment = gs or _held(group)[0 if kind == "voor" else -1]
    day = to_local(moment.start_dt).date()
    round_, codes = evaluations.open_round(
        session, actor, group, kind, group_session=gs, count=women, secret=SECRET_KEY, today=day
    )
    for code in codes:
        values = {}
        for question in round_.question_set.questions:
            if question.get("type") == "text":
                if rng.random() < 0.3:
                    values[question["id"]] = "Goed gesprek vandaag."
                continue
            values[question["id"]] = rng.choice(
                evaluations.scale_values(round_.question_set, question)
            )
        _round_id, nonce = evaluations.open_form(session, code, secret=SECRET_KEY, today=day)
        evaluations.submit_answers(session, round_, nonce, values, today=day)
    round_.opened_dt = moment.start_dt
    evaluations.close_round(session, None, round_)


def _evaluate(session, group, *, full: bool, rng: random.Random) -> None:
    """About 90 answers for a finished group (pre, post, one meeting); every round if ``full``."""
    held = _held(group)
    actor = group.facilitator_a
    women = 8 if full else 3
    _answer_round(session, actor, group, "voor", None, women, rng)
    numbers = range(12) if full else [group.id % len(held)]
    for n in numbers:
        _answer_round(session, actor, group, "sessie", held[n], women, rng)
    if full:
        _answer_round(session, actor, group, "afsluiting", None, women, rng)
    _answer_round(session, actor, group, "na", None, women, rng)


def _progress(group, coordinator, session) -> str:
    """Start and finish the group as its dates say; returns 'completed', 'running' or 'planned'."""
    held = _held(group)
    if not held:
        return "planned"
    groups.start_group(session, coordinator, group)
    if len(held) < len(group.active_sessions):
        return "running"
    group.participants[-1].status = "dropped_out"
    group.participants[-1].dropout_reason = "verhuisd"
    groups.finish_group(session, coordinator, group, 9)
    return "completed"


def _open_for_years(round_) -> None:
    # the round stays open for the benchmark's "today" and for days after a run
    round_.closes_date = TODAY + timedelta(days=3650)


def _slip_codes(session, group) -> tuple[int, list[str]]:
    """An open session round with 30 unused codes, for the slips PDF."""
    round_, codes = evaluations.open_round(
        session,
        group.facilitator_a,
        group,
        "sessie",
        group_session=_held(group)[-1],
        count=30,
        secret=SECRET_KEY,
        today=TODAY,
    )
    _open_for_years(round_)
    return round_.id, codes


def _submission_codes(session, groups_in_order, count: int) -> list[str]:
    """``count`` unused codes for the submission benchmark, in rounds of a group's size.

    A round is one meeting of one group, so it never holds more codes than the group has
    women; the codes come round by round, so the runner's connections answer the same round
    at the same time, as a group does at the end of a meeting."""
    codes: list[str] = []
    taken = set(session.scalars(sa.select(EvaluationRound.group_session_id)))
    for group in groups_in_order:
        for gs in _held(group):
            if len(codes) >= count:
                return codes
            if gs.id in taken:
                continue
            round_, new = evaluations.open_round(
                session,
                group.facilitator_a,
                group,
                "sessie",
                group_session=gs,
                count=min(WOMEN_PER_ROUND, count - len(codes)),
                secret=SECRET_KEY,
                today=TODAY,
            )
            _open_for_years(round_)
            codes += new
    raise SystemExit(f"only {len(codes)} of {count} submission codes: too few held meetings")


def schema_fingerprint() -> str:
    """The tables and columns the app's models have now: a kept data set built for other ones
    (before a migration) cannot serve the pages, and is built again."""
    columns = sorted(
        f"{table.name}.{column.name}:{column.type!r}"
        for table in db.metadata.tables.values()
        for column in table.columns
    )
    return hashlib.sha256("\n".join(columns).encode()).hexdigest()[:16]


def generate(database_url: str, instance: Path, size: float, *, quiet: bool = False) -> dict:
    """Build the organisation in an empty database; returns the manifest for the runner."""
    rng = random.Random(12)
    started = time.monotonic()
    app = create_app(app_config(database_url, instance))
    count = max(2, round(500 * size))
    with app.app_context():
        db.drop_all()
        db.create_all()
        session = db.session
        content, problems = read_folder(ROOT / "methodiek")
        if problems:
            raise SystemExit(f"methodiek folder has problems: {problems[:3]}")
        methodiek.import_content(session, content)
        people = _staff(session)
        support.add_default_referral_targets(session, None)
        locations = _locations(session)
        session.commit()
        coordinator = people["coordinator"]
        states: dict[str, list[int]] = {"completed": [], "running": [], "planned": []}
        attendance = 0
        for index in range(count):
            group = _group(session, people, locations, index, count, rng)
            state = _progress(group, coordinator, session)
            states[state].append(group.id)
            rows = _attendance_rows(group, rng)
            if rows:
                session.execute(sa.insert(Attendance), rows)
                attendance += len(rows)
            if state == "completed":
                _evaluate(session, group, full=index == count // 2, rng=rng)
            session.commit()
            if not quiet and index % 50 == 49:
                print(f"  {index + 1}/{count} groups, {time.monotonic() - started:.0f} s")
        showcase = states["completed"][len(states["completed"]) // 2]
        running = (states["running"] or states["completed"])[-1]
        busiest = max(
            (people[f"facilitator{n}"] for n in range(FACILITATORS)),
            key=lambda user: session.scalar(
                sa.text(
                    "select count(*) from groups where facilitator_a_id = :u "
                    "or facilitator_b_id = :u"
                ),
                {"u": user.id},
            ),
        )
        group_of_running = session.get(type(group), running)
        round_id, slip_codes = _slip_codes(session, group_of_running)
        newest_first = [
            session.get(type(group), group_id)
            for group_id in [*reversed(states["running"]), *reversed(states["completed"])]
        ]
        codes = _submission_codes(session, newest_first, max(60, round(SUBMISSION_CODES * size)))
        token = regenerate_feed_token(busiest)
        facilitator_of_showcase = session.get(type(group), showcase).facilitator_a.email
        busiest_email = busiest.email
        session.commit()
        totals = {
            name: session.scalar(sa.text(f"select count(*) from {name}"))
            for name in (
                "groups",
                "participants",
                "group_sessions",
                "attendances",
                "evaluation_answers",
                "audit_log",
            )
        }
        session.commit()
        if db.engine.dialect.name == "postgresql":
            # A running server's autovacuum has analysed tables of this age long ago; freshly
            # loaded ones have no statistics yet, and the planner's guesses would be measured.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(sa.text("ANALYZE"))
        db.engine.dispose()
    manifest = {
        "size": size,
        "database_url": database_url,
        "schema": schema_fingerprint(),
        "password": PASSWORD,
        "totp_secret": TOTP_SECRET,
        "coordinator": "coordinator@bench.example",
        "facilitator": busiest_email,
        "case_worker": "case_worker0@bench.example",
        "showcase_facilitator": facilitator_of_showcase,
        "showcase_group": showcase,
        "running_group": running,
        "feed_token": token,
        "round_id": round_id,
        "codes": codes,
        "slip_codes": slip_codes,
        "totals": totals,
        "seconds": round(time.monotonic() - started),
    }
    if not quiet:
        print(f"built in {manifest['seconds']} s: {totals}")
    return manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1.0)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--instance", type=Path, default=Path("/tmp/veiligthuis-bench"))
    parser.add_argument("--manifest", type=Path, required=True)
    args = parser.parse_args()
    args.instance.mkdir(parents=True, exist_ok=True)
    manifest = generate(args.database_url, args.instance, args.size)
    args.manifest.write_text(json.dumps(manifest, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
