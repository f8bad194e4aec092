"""Production refuses to start with demo colleagues or with staff passwords.

In production colleagues sign in through the bank's identity provider, where passwords and
MFA live. A shared password cannot be found by comparing salted hashes, so the rule is
stricter: no active colleague may have a local password at all (a shared one included), and
none of the demo usernames may exist, active or not.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.secrets_check import InsecureConfiguration, is_production
from service.staff.models import NO_PASSWORD, StaffUser
from service.staff.seed import DEMO_STAFF


def production_staff_problems(sessions: sessionmaker[Session]) -> list[str]:
    """Why the staff table is not fit for production (demo usernames are named, others counted)."""
    demo_names = [username for username, _, _ in DEMO_STAFF]
    with sessions() as session:
        demo = list(session.scalars(
            select(StaffUser.username).where(StaffUser.username.in_(demo_names)).order_by(StaffUser.username)
        ))
        local = list(session.scalars(
            select(StaffUser.username).where(
                StaffUser.active.is_(True), StaffUser.password_hash != NO_PASSWORD,
                StaffUser.username.not_in(demo_names),
            )
        ))
    problems = []
    if demo:
        problems.append(f"demo colleagues exist in staff_users ({', '.join(demo)}): delete them")
    if local:
        problems.append(
            f"{len(local)} active colleague(s) in staff_users have a local password: production "
            "colleagues sign in through the identity provider, disable them"
        )
    return problems


def ensure_production_staff(environment: str, sessions: sessionmaker[Session]) -> None:
    """Raise ``InsecureConfiguration`` in production if the staff table has demo colleagues or
    colleagues with a local password."""
    if not is_production(environment):
        return
    problems = production_staff_problems(sessions)
    if problems:
        raise InsecureConfiguration(
            f"Refusing to start with SERVICE_ENVIRONMENT={environment}: " + "; ".join(problems) + "."
        )
