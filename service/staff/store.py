"""Colleagues and sessions in the database: create, sign in, resolve a token, sign out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from service.auth import hash_token, new_token
from service.staff.availability import DEFAULT_MAX_CHATS, GENERAL, Availability
from service.staff.errors import InvalidCredentials, NotSignedIn, StaffIdentityConflict
from service.staff.models import NO_PASSWORD, StaffSession, StaffUser
from service.staff.passwords import hash_password, verify_password
from service.staff.roles import Role
from service.staff.schemas import RoutingProfile, StaffPublic, StaffSessionCreated
from service.transcripts import as_utc


def staff_public(user: StaffUser) -> StaffPublic:
    return StaffPublic(
        id=user.id, username=user.username, display_name=user.display_name, role=Role(user.role)
    )


def routing_profile(user: StaffUser) -> RoutingProfile:
    return RoutingProfile(
        staff=staff_public(user),
        skills=list(user.skills or []),
        max_chats=user.max_chats,
        availability=Availability(user.availability),
    )


class StaffStore:
    """Reads and writes colleagues and their sign-in sessions.

    Args:
        sessions: a ``sessionmaker`` on the migrated service database.
        session_ttl_s: how long a sign-in lasts.
        scrypt_log2_n: scrypt cost of new password hashes.
    """

    def __init__(
        self, sessions: sessionmaker[Session], session_ttl_s: int = 8 * 3600, scrypt_log2_n: int = 14
    ) -> None:
        self._sessions = sessions
        self._ttl = timedelta(seconds=session_ttl_s)
        self._log2_n = scrypt_log2_n
        # Checked when the username is unknown, so that both paths take as long.
        self._dummy_hash = hash_password("not-a-password", scrypt_log2_n)

    def ensure_user(
        self,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        skills: tuple[str, ...] = (GENERAL,),
        max_chats: int = DEFAULT_MAX_CHATS,
    ) -> bool:
        """Create the colleague unless the username exists; return whether it was created."""
        with self._sessions.begin() as session:
            if session.scalar(select(StaffUser.id).where(StaffUser.username == username)):
                return False
            session.add(
                StaffUser(
                    username=username,
                    display_name=display_name,
                    role=role.value,
                    password_hash=hash_password(password, self._log2_n),
                    skills=list(skills),
                    max_chats=max_chats,
                )
            )
            return True

    def set_routing(
        self, username: str, skills: tuple[str, ...] | None = None, max_chats: int | None = None
    ) -> RoutingProfile:
        """Change a colleague's skills or concurrent-chat limit (``None`` leaves it)."""
        with self._sessions.begin() as session:
            user = session.scalar(select(StaffUser).where(StaffUser.username == username))
            if user is None:
                raise InvalidCredentials("No such colleague.")
            if skills is not None:
                user.skills = list(skills)
            if max_chats is not None:
                user.max_chats = max_chats
            return routing_profile(user)

    def set_availability(self, staff_id: int, availability: Availability) -> RoutingProfile:
        """Set whether the colleague is offered new conversations."""
        with self._sessions.begin() as session:
            user = session.get(StaffUser, staff_id)
            if user is None:
                raise InvalidCredentials("No such colleague.")
            user.availability = availability.value
            return routing_profile(user)

    def seen(self, staff_id: int, at: datetime) -> None:
        """A console of the colleague's is connected at ``at``."""
        with self._sessions.begin() as session:
            user = session.get(StaffUser, staff_id)
            if user is not None:
                user.last_seen_at = at

    def last_seen(self, staff_id: int) -> datetime | None:
        """When a console of the colleague's was last connected, on any worker."""
        with self._sessions() as session:
            user = session.get(StaffUser, staff_id)
            return as_utc(user.last_seen_at) if user and user.last_seen_at else None

    def routing_profile(self, staff_id: int) -> RoutingProfile | None:
        with self._sessions() as session:
            user = session.get(StaffUser, staff_id)
            return routing_profile(user) if user else None

    def set_active(self, username: str, active: bool) -> None:
        with self._sessions.begin() as session:
            user = session.scalar(select(StaffUser).where(StaffUser.username == username))
            if user is None:
                raise InvalidCredentials("No such colleague.")
            user.active = active

    def login(self, username: str, password: str) -> StaffSessionCreated:
        """Check the password and open a session; the token is shown only here."""
        with self._sessions.begin() as session:
            user = session.scalar(select(StaffUser).where(StaffUser.username == username))
            valid = verify_password(password, user.password_hash if user else self._dummy_hash)
            if user is None or not valid or not user.active:
                raise InvalidCredentials("Wrong username or password, or the account is disabled.")
            return self._open_session(session, user)

    def provider_login(
        self, subject: str, username: str, display_name: str, role: Role
    ) -> StaffSessionCreated:
        """Open a session for the provider's colleague ``subject``, created on first sign-in.

        Username, display name and role follow the provider at every sign-in. A username
        already held by another colleague (a local one included) is a conflict, never a link.
        """
        with self._sessions.begin() as session:
            user = session.scalar(select(StaffUser).where(StaffUser.oidc_subject == subject))
            holder = session.scalar(select(StaffUser).where(StaffUser.username == username))
            if holder is not None and holder is not user:
                raise StaffIdentityConflict("This username belongs to another colleague here.")
            if user is None:
                user = StaffUser(username=username, display_name=display_name, role=role.value,
                                 password_hash=NO_PASSWORD, oidc_subject=subject, active=True)
                session.add(user)
            if not user.active:
                raise InvalidCredentials("Wrong username or password, or the account is disabled.")
            user.username, user.display_name, user.role = username, display_name, role.value
            session.flush()
            return self._open_session(session, user)

    def _open_session(self, session: Session, user: StaffUser) -> StaffSessionCreated:
        token = new_token()
        expires_at = datetime.now(UTC) + self._ttl
        session.add(StaffSession(token_hash=hash_token(token), staff_id=user.id, expires_at=expires_at))
        return StaffSessionCreated(token=token, expires_at=expires_at, staff=staff_public(user))

    def authenticate(self, token: str | None) -> StaffPublic:
        """The colleague holding this bearer token (401 if missing, unknown or expired)."""
        if not token:
            raise NotSignedIn("Sign in as a colleague first (POST /v1/staff/login).")
        with self._sessions() as session:
            row = session.execute(
                select(StaffSession, StaffUser)
                .join(StaffUser, StaffUser.id == StaffSession.staff_id)
                .where(StaffSession.token_hash == hash_token(token))
            ).first()
            if row is None:
                raise NotSignedIn("This staff session is unknown or signed out; sign in again.")
            staff_session, user = row
            if as_utc(staff_session.expires_at) <= datetime.now(UTC) or not user.active:
                raise NotSignedIn("This staff session has expired; sign in again.")
            return staff_public(user)

    def logout(self, token: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(StaffSession).where(StaffSession.token_hash == hash_token(token)))

    def local_password_users(self) -> list[str]:
        """Usernames of active colleagues who can sign in with a local password."""
        with self._sessions() as session:
            return list(session.scalars(
                select(StaffUser.username)
                .where(StaffUser.active.is_(True), StaffUser.password_hash != NO_PASSWORD)
                .order_by(StaffUser.username)
            ))

    def existing(self, usernames: tuple[str, ...]) -> list[str]:
        """Which of ``usernames`` exist (active or not)."""
        with self._sessions() as session:
            return list(session.scalars(
                select(StaffUser.username).where(StaffUser.username.in_(usernames)).order_by(StaffUser.username)
            ))

    def get(self, username: str) -> StaffPublic | None:
        """An active colleague by username."""
        with self._sessions() as session:
            user = session.scalar(
                select(StaffUser).where(StaffUser.username == username, StaffUser.active.is_(True))
            )
            return staff_public(user) if user else None

    def by_ids(self, ids: set[int]) -> dict[int, StaffPublic]:
        if not ids:
            return {}
        with self._sessions() as session:
            users = session.scalars(select(StaffUser).where(StaffUser.id.in_(ids)))
            return {u.id: staff_public(u) for u in users}

    def colleagues(self, roles: tuple[Role, ...]) -> list[StaffPublic]:
        """Active colleagues with one of ``roles``, by username."""
        with self._sessions() as session:
            users = session.scalars(
                select(StaffUser)
                .where(StaffUser.active.is_(True), StaffUser.role.in_([r.value for r in roles]))
                .order_by(StaffUser.username)
            )
            return [staff_public(u) for u in users]
