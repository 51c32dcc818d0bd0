"""Locations, rooms, groups and participants: the rules of the domain."""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import sqlalchemy as sa

from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.groups.facts import GroupFacts
from veiligthuis.groups.models import (
    AGE_BANDS,
    ALIAS_MAX,
    CHILDREN,
    DROPOUT_KINDS,
    PARTICIPANT_STATUSES,
    PARTNER_RELATIONS,
    REFERRAL_SOURCES,
    SAFE_CHANNELS,
    VIOLENCE_PHASES,
    Group,
    GroupStatus,
    Location,
    Participant,
    ParticipantStatus,
    Room,
)
from veiligthuis.groups.visibility import (  # noqa: F401 (re-exported)
    visible_groups_where,
    visible_scope,
)
from veiligthuis.methodiek.service import latest_published_version
from veiligthuis.models import DbSession, DomainError, utcnow
from veiligthuis.programmes.keep_apart import remove_links_of
from veiligthuis.programmes.service import programme_or_default
from veiligthuis.sessions import service as sessions
from veiligthuis.sessions.conflicts import Conflict
from veiligthuis.sessions.schedule import REGIONS, PlannedSession, Skipped, school_year_known
from veiligthuis.settings import get_setting
from veiligthuis.wording import find_sensitive_words

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


# --- locations and rooms -------------------------------------------------------------------


def save_location(
    db_session: DbSession, location: Location | None, *, name: str, address: str, region: str
) -> Location:
    """Create or change a location."""
    name = name.strip()
    if not name:
        raise DomainError("Vul een naam in.", "name")
    if region not in REGIONS:
        raise DomainError("Kies de schoolvakantieregio: Noord, Midden of Zuid.", "region")
    clash = db_session.scalar(
        sa.select(Location).where(sa.func.lower(Location.name) == name.lower())
    )
    if clash is not None and clash is not location:
        raise DomainError("Er is al een locatie met deze naam.", "name")
    if location is None:
        location = Location(name=name, address=address.strip(), region=region)
        db_session.add(location)
    else:
        location.name, location.address, location.region = name, address.strip(), region
    db_session.flush()
    return location


def add_room(db_session: DbSession, location: Location, *, name: str, capacity: int) -> Room:
    """A new room at ``location``."""
    name = name.strip()
    if not name:
        raise DomainError("Vul een naam in voor de ruimte.", "name")
    if any(room.name.lower() == name.lower() for room in location.rooms):
        raise DomainError("Deze locatie heeft al een ruimte met deze naam.", "name")
    if not 1 <= capacity <= 200:
        raise DomainError("Vul een capaciteit in van 1 tot 200.", "capacity")
    room = Room(name=name, capacity=capacity)
    location.rooms.append(room)
    db_session.flush()
    return room


# --- groups --------------------------------------------------------------------------------


@dataclass
class GroupData:
    """What a planner fills in for a group: plain values, checked by ``check_group_data``."""

    name: str
    public_title: str
    location_id: int
    room_id: int
    weekday: int
    start_time: time
    first_date: date
    facilitator_a_id: int
    facilitator_b_id: int
    #: None: the women's group (the default programme), as before the parallel offer
    programme_id: int | None = None
    #: a (women's) group whose weeks a parallel group follows, at another time or place
    aligned_with_id: int | None = None


@dataclass
class Preview:
    """The twelve meetings a group would get, the weeks skipped and the conflicts found."""

    sessions: list[PlannedSession]
    skipped: list[Skipped]
    conflicts: list[Conflict] = field(default_factory=list)
    #: calendar years of planned dates whose school holidays the holiday data does not know
    unknown_school_years: list[int] = field(default_factory=list)
    #: aligned planning: our meeting -> the other group's meeting on the same theme
    shared_themes: dict[int, int] = field(default_factory=dict)


def _check_names(data: GroupData) -> None:
    if not data.name.strip():
        raise DomainError("Vul een interne naam in.", "name")
    if len(data.name) > 120:
        raise DomainError("De interne naam is te lang (hoogstens 120 tekens).", "name")
    title = data.public_title.strip()
    if not title or len(title) > 80:
        raise DomainError("Vul een neutrale titel in van hoogstens 80 tekens.", "public_title")
    if find_sensitive_words(title):
        raise DomainError(
            "De titel voor deelnemers moet neutraal zijn: deelnemers kunnen hem ontvangen. "
            "Gebruik bijvoorbeeld “Vrouwengroep”.",
            "public_title",
        )


def check_group_data(db_session: DbSession, data: GroupData) -> tuple[Location, Room]:
    """Refuse data that breaks a rule of the domain; returns the location and room."""
    _check_names(data)
    if data.facilitator_a_id == data.facilitator_b_id:
        raise DomainError("Een groep heeft twee verschillende begeleiders.", "facilitator_b_id")
    people = db_session.scalars(
        sa.select(User).where(User.id.in_({data.facilitator_a_id, data.facilitator_b_id}))
    ).all()
    if len(people) != 2 or not all(p.has_role("facilitator") and p.is_enabled for p in people):
        raise DomainError("Kies twee medewerkers met de rol begeleider.", "facilitator_a_id")
    programme = programme_or_default(db_session, data.programme_id)
    if not all(programme in p.programmes for p in people):
        raise DomainError(
            f"Kies twee begeleiders die in het programma {programme.name} werken.",
            "facilitator_a_id",
        )
    location = db_session.get(Location, data.location_id)
    if location is None:
        raise DomainError("Kies een locatie.", "location_id")
    room = db_session.get(Room, data.room_id)
    if room is None or room.location_id != location.id:
        raise DomainError("Deze ruimte hoort niet bij de gekozen locatie.", "room_id")
    if not 0 <= data.weekday <= 6:
        raise DomainError("Kies een dag van de week.", "weekday")
    if not 2000 <= data.first_date.year <= 2100:
        raise DomainError("Vul een startdatum in tussen 2000 en 2100.", "first_date")
    return location, room


def preview_group(db_session: DbSession, data: GroupData, group: Group | None = None) -> Preview:
    """The schedule and conflicts for ``data``, without saving anything."""
    location, room = check_group_data(db_session, data)
    programme = programme_or_default(db_session, data.programme_id)
    if data.aligned_with_id:
        from veiligthuis.groups.aligning import preview_aligned

        return preview_aligned(db_session, data, location, room, programme)
    planned, skipped = sessions.plan_for(
        db_session,
        first_date=data.first_date,
        weekday=data.weekday,
        start_time=data.start_time,
        region=location.region,
        location_id=location.id,
        count=programme.session_count,
        minutes=programme.session_minutes,
    )
    conflicts = sessions.find_conflicts(
        db_session,
        [(p.number, p.start_dt, p.end_dt) for p in planned],
        facilitator_ids={data.facilitator_a_id, data.facilitator_b_id},
        room_id=room.id,
        exclude_group_id=group.id if group else None,
    )
    unknown = unknown_school_years(db_session, [p.day for p in planned], location)
    return Preview(planned, skipped, conflicts, unknown)


def unknown_school_years(db_session: DbSession, days: list[date], location: Location) -> list[int]:
    """The years of ``days`` whose school holidays are unknown, when the rules skip them."""
    if not sessions.skip_rules(db_session).skip_school_holidays:
        return []
    return sorted({d.year for d in days if not school_year_known(d, location.region)})


def create_group(
    db_session: DbSession, actor: User, data: GroupData, *, accept_conflicts: bool = False
) -> Group:
    """Save a group with its twelve meetings; refused while conflicts are not accepted."""
    preview = preview_group(db_session, data)
    if preview.conflicts and not accept_conflicts:
        raise DomainError(
            "Er zijn conflicten in de planning. Los ze op of bevestig dat u toch wilt opslaan."
        )
    group = Group(
        name=data.name.strip(),
        public_title=data.public_title.strip(),
        location_id=data.location_id,
        room_id=data.room_id,
        weekday=data.weekday,
        start_time=data.start_time,
        first_date=data.first_date,
        facilitator_a_id=data.facilitator_a_id,
        facilitator_b_id=data.facilitator_b_id,
    )
    group.programme = programme_or_default(db_session, data.programme_id)
    version = latest_published_version(db_session, group.programme.id)
    group.methodiek_version_id = version.id if version else None
    sessions.create_sessions(group, preview.sessions)
    for gs in group.sessions:
        gs.methodiek_version_id = group.methodiek_version_id
    db_session.add(group)
    db_session.flush()
    audit(db_session, actor, "create_group", group, detail=group.name)
    return group


def update_group_details(
    db_session: DbSession,
    actor: User,
    group: Group,
    *,
    name: str,
    public_title: str,
    is_venue_released: bool,
) -> None:
    """Change the names and whether participants may see the venue address."""
    data = GroupData(
        name=name,
        public_title=public_title,
        location_id=group.location_id,
        room_id=group.room_id,
        weekday=group.weekday,
        start_time=group.start_time,
        first_date=group.first_date,
        facilitator_a_id=group.facilitator_a_id,
        facilitator_b_id=group.facilitator_b_id,
    )
    check_group_data(db_session, data)
    if group.public_title != public_title.strip() or group.is_venue_released != is_venue_released:
        for gs in group.sessions:  # what participants' calendars show has changed
            gs.sequence += 1
    group.name = name.strip()
    group.public_title = public_title.strip()
    group.is_venue_released = is_venue_released
    audit(db_session, actor, "update_group", group)
    db_session.flush()


def active_count(group: Group | GroupFacts) -> int:
    """Participants taking part now."""
    return sum(1 for p in group.participants if p.status == ParticipantStatus.ACTIVE)


def start_group(
    db_session: DbSession, actor: User, group: Group, override_reason: str = ""
) -> None:
    """Mark the group as running; fewer than its programme's minimum needs a coordinator's reason."""
    if group.status != GroupStatus.PLANNED:
        raise DomainError("Deze groep is al gestart of afgesloten.")
    count = active_count(group)
    minimum = group.programme.min_participants
    if count < minimum:
        reason = override_reason.strip()
        if not actor.has_role("coordinator"):
            raise DomainError(
                f"Een groep start met minstens {minimum} actieve deelnemers; "
                f"nu zijn het er {count}. Een coördinator kan met een reden toch laten starten."
            )
        if len(reason) < 10:
            raise DomainError(
                f"Er zijn {count} actieve deelnemers, minder dan {minimum}. "
                "Schrijf een reden (minstens 10 tekens) om toch te starten.",
                "override_reason",
            )
        group.start_override_reason = reason
    group.status = GroupStatus.RUNNING
    group.started_dt = utcnow()
    audit(db_session, actor, "start_group", group, detail=f"{count} deelnemers")
    db_session.flush()


def finish_group(db_session: DbSession, actor: User, group: Group, threshold: int) -> None:
    """Close a running group: active participants become completed."""
    if group.status != GroupStatus.RUNNING:
        raise DomainError("Alleen een lopende groep kan worden afgesloten.")
    group.status = GroupStatus.COMPLETED
    completed = []
    for participant in group.participants:
        if participant.status == ParticipantStatus.ACTIVE:
            participant.status = ParticipantStatus.COMPLETED
            completed.append(participant.code)
    # The codes made "completed" are kept, so reopening gives back exactly those.
    audit(db_session, actor, "finish_group", group, detail=" ".join(completed))
    db_session.flush()


# --- participants --------------------------------------------------------------------------


@dataclass
class ParticipantData:
    """What staff record about a participant: plain values."""

    alias: str
    status: str = ParticipantStatus.INTAKE
    intake_date: date | None = None
    referral_source: str | None = None
    dropout_reason: str | None = None
    dropout_kind: str | None = None
    case_worker_id: int | None = None
    external_case_worker_name: str = ""
    external_case_worker_org: str = ""
    external_case_worker_contact: str = ""
    phone: str = ""
    email: str = ""
    safe_channel: str = "via_case_worker"
    safe_times: str = ""
    is_voicemail_ok: bool = False
    safe_notes: str = ""
    age_band: str | None = None
    language: str | None = None
    country_of_birth: str | None = None
    violence_phase: str | None = None
    partner_relation: str | None = None
    children: str | None = None


_CHOICES = {
    "referral_source": REFERRAL_SOURCES,
    "dropout_kind": DROPOUT_KINDS,
    "safe_channel": SAFE_CHANNELS,
    "age_band": AGE_BANDS,
    "violence_phase": VIOLENCE_PHASES,
    "partner_relation": PARTNER_RELATIONS,
    "children": CHILDREN,
}


def generate_code(db_session: DbSession) -> str:
    """A new unique participant code like ``KX7-M3P``."""
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        code = f"{raw[:3]}-{raw[3:]}"
        if db_session.scalar(sa.select(Participant.id).where(Participant.code == code)) is None:
            return code


def _check_participant(db_session: DbSession, data: ParticipantData) -> None:
    alias = data.alias.strip()
    if not alias:
        raise DomainError("Vul een voornaam of alias in.", "alias")
    if len(alias) > ALIAS_MAX:
        raise DomainError(f"De alias is te lang (hoogstens {ALIAS_MAX} tekens).", "alias")
    if data.status not in PARTICIPANT_STATUSES:
        raise DomainError("Kies een geldige status.", "status")
    for name, choices in _CHOICES.items():
        value = getattr(data, name)
        if value not in (None, "") and value not in choices:
            raise DomainError("Kies een waarde uit de lijst.", name)
    if data.status == ParticipantStatus.DROPPED_OUT and not (data.dropout_reason or "").strip():
        raise DomainError("Vul de reden van uitval in.", "dropout_reason")
    if data.case_worker_id is not None:
        worker = db_session.get(User, data.case_worker_id)
        if worker is None or not worker.has_role("case_worker"):
            raise DomainError(
                "Kies een medewerker met de rol individuele hulpverlener.", "case_worker_id"
            )
    if data.intake_date is not None and not 2000 <= data.intake_date.year <= 2100:
        raise DomainError("Vul een geldige intakedatum in.", "intake_date")


def _check_capacity(group: Group, participant: Participant | None, new_status: str) -> None:
    if new_status != ParticipantStatus.ACTIVE or (
        participant is not None and participant.status == ParticipantStatus.ACTIVE
    ):
        return
    if active_count(group) >= group.programme.max_participants:
        raise DomainError(
            f"Deze groep heeft al {group.programme.max_participants} actieve deelnemers. "
            "Zet haar op de wachtlijst; als er een plek vrijkomt kunt u haar alsnog actief maken.",
            "status",
        )


def _apply(participant: Participant, data: ParticipantData, diversity_enabled: bool) -> None:
    for name, value in vars(data).items():
        if isinstance(value, str):
            value = value.strip()
        if name in {
            "age_band",
            "language",
            "country_of_birth",
            "violence_phase",
            "partner_relation",
            "children",
        }:
            if not diversity_enabled:
                continue
            value = value or None
        if name in {"referral_source", "dropout_reason", "dropout_kind"}:
            value = value or None
        setattr(participant, name, value)
    if participant.status != ParticipantStatus.DROPPED_OUT:
        participant.dropout_reason = participant.dropout_kind = None


def add_participant(
    db_session: DbSession, actor: User, group: Group, data: ParticipantData
) -> Participant:
    """Register a participant in ``group``; a 13th active one is refused."""
    _check_participant(db_session, data)
    _check_capacity(group, None, data.status)
    diversity_enabled = get_setting(db_session, "diversity_fields")
    participant = Participant(code=generate_code(db_session))
    db_session.add(participant)
    participant.group = group
    _apply(participant, data, diversity_enabled)
    db_session.flush()
    audit(db_session, actor, "create", participant, participant_code=participant.code)
    return participant


def update_participant(
    db_session: DbSession, actor: User, participant: Participant, data: ParticipantData
) -> None:
    """Change a participant's record; becoming active respects the maximum of twelve."""
    _check_participant(db_session, data)
    _check_capacity(participant.group, participant, data.status)
    before = participant.status
    _apply(participant, data, get_setting(db_session, "diversity_fields"))
    detail = f"status {before} -> {participant.status}" if before != participant.status else ""
    audit(
        db_session, actor, "update", participant, participant_code=participant.code, detail=detail
    )
    db_session.flush()


def anonymise_expired(db_session: DbSession, today: date, retention_months: int) -> int:
    """Remove personal data of participants whose group ended more than the retention term ago.

    Attendance and the self-reported diversity fields stay (anonymous statistics); alias,
    contact details, safe-contact instructions and case-worker names go. Returns how many.
    """
    from veiligthuis.sessions.models import GroupSession

    cutoff_month = today.year * 12 + today.month - 1 - retention_months
    cutoff = date(cutoff_month // 12, cutoff_month % 12 + 1, 1)
    last_meeting = (
        sa.select(GroupSession.group_id, sa.func.max(GroupSession.end_dt).label("last_dt"))
        .group_by(GroupSession.group_id)
        .subquery()
    )
    participants = db_session.scalars(
        sa.select(Participant)
        .join(Group)
        .join(last_meeting, last_meeting.c.group_id == Group.id)
        .where(
            Group.status.in_((GroupStatus.COMPLETED, GroupStatus.CANCELLED)),
            last_meeting.c.last_dt < datetime.combine(cutoff, time(0), tzinfo=UTC),
            Participant.anonymised_dt.is_(None),
        )
    ).all()
    now = utcnow()
    for participant in participants:
        participant.alias = "geanonimiseerd"
        participant.phone = participant.email = ""
        participant.safe_times = participant.safe_notes = ""
        participant.external_case_worker_name = participant.external_case_worker_org = ""
        participant.external_case_worker_contact = ""
        participant.dropout_reason = None
        participant.anonymised_dt = now
    from veiligthuis.support.service import anonymise_support

    # Support notes, referral notes and care-signal texts are personal data too.
    anonymise_support(db_session, [p.id for p in participants])
    remove_links_of(db_session, [p.id for p in participants])
    db_session.flush()
    return len(participants)
