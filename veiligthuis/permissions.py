"""Who may see or do what. Views call these and answer 404/403; templates use them to hide links.

A group a facilitator does not lead answers 404, never 403: she must not learn that it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from veiligthuis.auth.models import User
    from veiligthuis.groups.facts import GroupFacts
    from veiligthuis.groups.models import Group, Participant


def _is_staff(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_coordinator(user: User) -> bool:
    """Coordinators manage locations, staff and closures and see every group."""
    return _is_staff(user) and user.has_role("coordinator")


def in_programme(user: User, programme_id: int | None) -> bool:
    """Whether she works in the programme: coordinators work in every one."""
    if not _is_staff(user):
        return False
    if user.has_role("coordinator"):
        return True
    return any(p.id == programme_id for p in user.programmes)


def can_manage_programmes(user: User) -> bool:
    """Programmes and who works in which."""
    return is_coordinator(user)


def can_manage(user: User) -> bool:
    """Locations, rooms, staff accounts, closure periods and settings."""
    return is_coordinator(user)


def can_list_groups(user: User) -> bool:
    """The group list: coordinators and facilitators."""
    return _is_staff(user) and user.has_role("coordinator", "facilitator")


def can_create_group(user: User) -> bool:
    """Planning a new group."""
    return _is_staff(user) and user.has_role("coordinator", "facilitator")


def can_view_group(user: User, group: Group | GroupFacts) -> bool:
    """A coordinator sees every group, a facilitator the groups she leads or substitutes in."""
    if not _is_staff(user):
        return False
    if user.has_role("coordinator"):
        return True
    if not user.has_role("facilitator") or not in_programme(user, group.programme_id):
        return False
    if user.id in group.facilitator_ids:
        return True
    return any(s.substitute_id == user.id for s in group.sessions)


def can_edit_group(user: User, group: Group | GroupFacts) -> bool:
    """Schedule, participants and attendance: a coordinator or one of its two facilitators."""
    if not _is_staff(user):
        return False
    if user.has_role("coordinator"):
        return True
    return (
        user.has_role("facilitator")
        and user.id in group.facilitator_ids
        and in_programme(user, group.programme_id)
    )


def can_override_minimum(user: User) -> bool:
    """Starting a group with fewer than six participants."""
    return is_coordinator(user)


def can_view_participant(user: User, participant: Participant) -> bool:
    """Her group's staff, or her own case worker."""
    if not _is_staff(user):
        return False
    if can_view_group(user, participant.group):
        return True
    return (
        user.has_role("case_worker")
        and participant.case_worker_id == user.id
        and in_programme(user, participant.group.programme_id)
    )


def can_edit_methodiek(user: User) -> bool:
    """Only method editors change the method material."""
    return _is_staff(user) and user.has_role("editor")


def can_read_methodiek(user: User) -> bool:
    """Editors, facilitators and coordinators read the method material."""
    return _is_staff(user) and user.has_role("editor", "facilitator", "coordinator")


def can_read_version(user: User, programme_id: int) -> bool:
    """A method book of a programme: readers who work in that programme."""
    return can_read_methodiek(user) and (
        user.has_role("coordinator") or in_programme(user, programme_id)
    )


def can_view_support(user: User) -> bool:
    """The case worker's page."""
    return _is_staff(user) and user.has_role("case_worker")


def can_support_client(user: User, participant: Participant) -> bool:
    """Her support file (contacts, notes, signals): only her own case worker, nobody else."""
    return (
        can_view_support(user)
        and participant.case_worker_id == user.id
        and in_programme(user, participant.group.programme_id)
    )


def can_view_reports(user: User) -> bool:
    """Anonymous statistics across groups."""
    return is_coordinator(user)


def can_manage_partners(user: User) -> bool:
    """Partner organisations and their referral addresses."""
    return is_coordinator(user)


def can_handle_referrals(user: User) -> bool:
    """The referral queue: reading referrals, outcomes, making participants of them."""
    return is_coordinator(user)


def is_volunteer(user: User) -> bool:
    """A volunteer sees her own shifts and details, and no participant data."""
    return _is_staff(user) and user.has_role("volunteer")


def can_manage_volunteers(user: User) -> bool:
    """Recording volunteers and scheduling them at meetings."""
    return is_coordinator(user)


def can_edit_childcare(user: User, group: Group | GroupFacts) -> bool:
    """The childcare needs of a group's participants: whoever edits the group."""
    return can_edit_group(user, group)
