"""The demo colleagues every local stack starts with."""

from __future__ import annotations

from service.staff.availability import GENERAL
from service.staff.roles import Role
from service.staff.store import StaffStore

DEMO_STAFF: tuple[tuple[str, str, Role], ...] = (
    ("agent1", "Priya (agent)", Role.AGENT),
    ("agent2", "Sam (agent)", Role.AGENT),
    ("compliance1", "Chris (compliance)", Role.COMPLIANCE),
    ("admin1", "Jo (admin)", Role.ADMIN),
    ("analyst1", "Alex (analyst)", Role.ANALYST),
    ("supervisor1", "Morgan (supervisor)", Role.SUPERVISOR),
)
# Skills and concurrent chats of the demo colleagues who take conversations.
DEMO_ROUTING: dict[str, tuple[tuple[str, ...], int]] = {
    "agent1": ((GENERAL, "cards_and_fraud"), 4),
    "agent2": ((GENERAL, "lending", "vulnerable_customers"), 4),
    "admin1": ((GENERAL, "cards_and_fraud", "lending", "vulnerable_customers"), 2),
}


def seed_demo_staff(store: StaffStore, password: str) -> list[str]:
    """Create the demo colleagues that are missing and give those who take conversations
    their demo skills and limits; return the usernames created."""
    created = []
    for username, display_name, role in DEMO_STAFF:
        skills, max_chats = DEMO_ROUTING.get(username, ((GENERAL,), 0))
        if store.ensure_user(username, display_name, role, password, skills, max_chats):
            created.append(username)
        elif username in DEMO_ROUTING:  # created before colleagues had skills
            store.set_routing(username, skills, max_chats)
    return created
