"""Bank staff: accounts with a role, password sign-in and bearer sessions.

``python -m service.staff seed`` creates the demo colleagues (agent1, agent2, compliance1,
admin1). Routes use :func:`service.staff.deps.require_role` to admit only some roles.
"""
