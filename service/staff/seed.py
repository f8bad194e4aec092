"""The demo colleagues every local stack starts with."""

from __future__ import annotations

from service.staff.roles import Role
from service.staff.store import StaffStore

DEMO_STAFF: tuple[tuple[str, str, Role], ...] = (
    ("agent1", "Priya (agent)", Role.AGENT),
    ("agent2", "Sam (agent)", Role.AGENT),
    ("compliance1", "Chris (compliance)", Role.COMPLIANCE),
    ("admin1", "Jo (admin)", Role.ADMIN),
    ("analyst1", "Alex (analyst)", Role.ANALYST),
)


def seed_demo_staff(store: StaffStore, password: str) -> list[str]:
    """Create the demo colleagues that are missing; return the usernames created."""
    return [
        username
        for username, display_name, role in DEMO_STAFF
        if store.ensure_user(username, display_name, role, password)
    ]
