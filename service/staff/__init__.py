"""Bank staff: accounts with a role, sign-in and bearer sessions.

Colleagues sign in through the bank's identity provider (roles from a group claim); local and
test environments also have password sign-in and the demo colleagues (agent1, agent2,
compliance1, admin1, analyst1, supervisor1: ``python -m service.staff seed``). Routes use
:func:`service.staff.deps.require_role` to admit only some roles.
"""
