"""Sessions kept in the database, so that the server can end them.

A signed cookie (Flask's default) stays valid until it expires, whatever happens on the server:
logging out, a new password or a deactivated account could not end it. Here the cookie holds
only a random id; the data, the account and the times live in ``web_sessions``. Flask-Session's
SQLAlchemy backend stores a pickled blob per id with no account column, so it can neither list
her sessions nor end all of them at once; this interface is small and does both.

Participants' pages under /e are the exception: their form state (round, nonce, a digest of the
code) stays in a signed cookie on her own phone, scoped to /e, exactly as before. Kept here it
would put her code's digest, her phone's address and the moment she sent her answers side by
side in a table, which the evaluations take care never to do (docs/safety.md).
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, Request, request
from flask.sessions import SecureCookieSessionInterface, SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from veiligthuis import changes
from veiligthuis.auth.models import User, WebSession
from veiligthuis.extensions import db
from veiligthuis.models import rowcount, utcnow


def hash_id(sid: str) -> str:
    """The stored form of a session id."""
    return hashlib.sha256(sid.encode()).hexdigest()


class DatabaseSession(CallbackDict, SessionMixin):
    """The session of one request; ``sid`` is None until it is first stored."""

    def __init__(
        self,
        initial=None,
        sid: str | None = None,
        last_seen_dt: datetime | None = None,
        user: User | None = None,
    ):
        def on_update(self):
            self.modified = True

        super().__init__(initial, on_update)
        self.sid = sid
        #: when the stored row last counted as activity (None for a new session)
        self.last_seen_dt = last_seen_dt
        #: the account the stored row names, read with it (see ``session_user``)
        self.user = user
        self.modified = False
        self.rotate = False

    def regenerate(self) -> None:
        """Give this session a new id at the end of the request (at login: no fixation)."""
        self.rotate = True
        self.modified = True


def session_user(session: SessionMixin, user_id: int) -> User | None:
    """Account ``user_id`` when it came with this request's session row, else None.

    Only when it is the account the session's data names: flask-login asks for that one, and
    should the row ever name another, the caller reads hers as before."""
    user = getattr(session, "user", None)
    return user if user is not None and user.id == user_id else None


def is_expired(row, now: datetime, app: Flask) -> bool:
    """Whether a stored session is past its idle or absolute limit.

    Staff: idle for STAFF_IDLE_MINUTES, or STAFF_SESSION_HOURS (a working day) since login.
    Anonymous sessions (the login form, a participant's page): PERMANENT_SESSION_LIFETIME.
    """
    if row.user_id is not None:
        idle = timedelta(minutes=app.config["STAFF_IDLE_MINUTES"])
        if now - row.created_dt > timedelta(hours=app.config["STAFF_SESSION_HOURS"]):
            return True
    else:
        idle = app.permanent_session_lifetime
    return now - row.last_seen_dt > idle


_TABLE = cast(sa.Table, WebSession.__table__)
#: With the data version's token: nearly every page has parts kept under it (veiligthuis.changes),
#: and read here it costs no statement of its own. With her account and all her roles too: every
#: staff page asks for them (``load_user``), and in this statement they cost no round trip.
_SELECT_SESSION = (
    sa.select(_TABLE, changes.TOKEN_COLUMN, User)
    .outerjoin(User, User.id == _TABLE.c.user_id)
    .where(_TABLE.c.id_hash == sa.bindparam("id_hash"))
    .options(so.joinedload(User.role_rows))
)


def _one_session(row) -> str:
    # a row per role of hers: all of them make one session (and fill her roles)
    return row.id_hash


#: Activity is written at most this often: a GET that changed nothing then writes nothing (no
#: commit to disk per page view), and the idle timeout ends a session at most this much early,
#: never late.
TOUCH_INTERVAL = timedelta(seconds=60)


PARTICIPANT_PATH = "/e"
HEALTH_PATH = "/gezond"


def is_participant_path(path: str) -> bool:
    """Whether ``path`` is one of the participants' pages (``/e`` and below)."""
    return path == PARTICIPANT_PATH or path.startswith(PARTICIPANT_PATH + "/")


class ParticipantCookieSession(SecureCookieSessionInterface):
    """Flask's signed cookie, sent only to /e: it never reaches the server's tables."""

    def get_cookie_path(self, app: Flask) -> str:
        return PARTICIPANT_PATH


class DatabaseSessionInterface(SessionInterface):
    """Flask's session interface on the ``web_sessions`` table (participants' pages excepted)."""

    participant = ParticipantCookieSession()

    def open_session(self, app: Flask, request: Request):
        if app.static_url_path and request.path.startswith(app.static_url_path + "/"):
            return self.make_null_session(app)  # stylesheets and fonts need no session
        if request.path == HEALTH_PATH:
            return self.make_null_session(app)  # it must answer when the database does not
        if is_participant_path(request.path):
            return self.participant.open_session(app, request)
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid or len(sid) > 100:
            return DatabaseSession()
        # Read in the request's own transaction: on PostgreSQL a connection and transaction of
        # its own cost three round trips (ping, begin, commit) on every page.
        result = db.session.execute(_SELECT_SESSION, {"id_hash": hash_id(sid)})
        row = result.unique(_one_session).one_or_none()
        if row is None:
            return DatabaseSession()
        changes.note_token(db.session, row.data_token)
        if is_expired(row, utcnow(), app):
            # committed with the request; should that fail, the row is still expired next time
            db.session.execute(sa.delete(_TABLE).where(_TABLE.c.id_hash == row.id_hash))
            return DatabaseSession()
        return DatabaseSession(
            dict(row.data or {}), sid=sid, last_seen_dt=row.last_seen_dt, user=row.User
        )

    # Flask hands back the session open_session made: a DatabaseSession, the participant's
    # signed cookie, or the null session it does not save.
    def save_session(self, app: Flask, session: DatabaseSession, response) -> None:  # type: ignore[override]
        if not isinstance(session, DatabaseSession):
            if is_participant_path(request.path):
                self.participant.save_session(app, session, response)
            return
        name = self.get_cookie_name(app)
        table = _TABLE
        now = utcnow()
        if self._nothing_to_write(session, now):
            return
        with db.engine.begin() as connection:
            if not session:
                if session.sid is not None:
                    connection.execute(
                        sa.delete(table).where(table.c.id_hash == hash_id(session.sid))
                    )
                    self._delete_cookie(app, response, name)
                return
            if session.sid is None or session.rotate:
                if session.sid is not None:
                    connection.execute(
                        sa.delete(table).where(table.c.id_hash == hash_id(session.sid))
                    )
                session.sid = secrets.token_urlsafe(32)
                connection.execute(sa.insert(table).values(self._row(session, now, new=True)))
                self._set_cookie(app, response, name, session.sid)
                return
            values = self._row(session, now, new=False) if session.modified else {}
            updated = connection.execute(
                sa.update(table)
                .where(table.c.id_hash == hash_id(session.sid))
                .values(last_seen_dt=now, **values)
            )
            # Ended while this request ran (logout elsewhere, deactivated): never bring it back.
            if rowcount(updated) == 0:
                self._delete_cookie(app, response, name)

    @staticmethod
    def _nothing_to_write(session: DatabaseSession, now: datetime) -> bool:
        if session.sid is None:
            return not session  # nothing stored and nothing to store
        if not session or session.rotate or session.modified:
            return False
        # Every request counts as activity for the idle timeout, but a page view that changed
        # nothing writes it only once a minute (a commit to disk per GET otherwise).
        seen = session.last_seen_dt
        return seen is not None and now - seen < TOUCH_INTERVAL

    def _row(self, session: DatabaseSession, now: datetime, *, new: bool) -> dict:
        user_id = session.get("_user_id")
        values: dict[str, Any] = {
            "data": dict(session),
            "user_id": int(user_id) if user_id is not None and str(user_id).isdigit() else None,
        }
        if new:
            assert session.sid is not None, "a new row is written after its id is drawn"
            # Where a staff member logged in from, for her own list of sessions; nothing about
            # anyone who is not logged in (a partner's referral form, the login page).
            staff = values["user_id"] is not None
            values.update(
                id_hash=hash_id(session.sid),
                created_dt=now,
                last_seen_dt=now,
                address=(request.remote_addr or "")[:45] if staff else "",
                user_agent=request.headers.get("User-Agent", "")[:255] if staff else "",
            )
        return values

    def _set_cookie(self, app: Flask, response, name: str, sid: str) -> None:
        # A browser-session cookie (no Expires): the server decides when it ends.
        response.set_cookie(
            name,
            sid,
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            httponly=self.get_cookie_httponly(app),
            samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")

    def _delete_cookie(self, app: Flask, response, name: str) -> None:
        response.delete_cookie(
            name,
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            httponly=self.get_cookie_httponly(app),
            samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")
