"""Escalation to a colleague and back: the policy and its triggers, the handoff queue and
packet, and the live relay between the customer's chat and the agent console.

``HandoffService`` (service.py) is the entry point; the conversation flow calls its two hooks
(:class:`service.handoff.hooks.TurnHooks`), the agent API and socket call the rest.
"""
