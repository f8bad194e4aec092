"""Builds the staff store and the handoff service for the app's lifespan."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.conversations import ConversationService
from service.handoff.agent_feed import AgentFeed
from service.handoff.bot_control import BotControl
from service.handoff.packet import RecommendationSource, SegmentSource
from service.handoff.policy import EscalationPolicy
from service.handoff.schemas import Recommendation
from service.handoff.service import HandoffService
from service.handoff.settings import HandoffSettings
from service.handoff.store import HandoffStore
from service.settings import ServiceSettings
from service.staff.store import StaffStore
from service.staff.wiring import staff_settings_for
from service.transcripts import TranscriptStore

log = logging.getLogger(__name__)


def segment_source(sessions: sessionmaker[Session]) -> SegmentSource | None:
    """The recommender's saved segment per customer, when the recommender is installed."""
    try:
        from recommender.store_repository import StoreRepository

        repository = StoreRepository(sessions)
    except Exception:  # noqa: BLE001 - the packet is still useful without a segment
        log.warning("no customer segments for handoff packets", exc_info=True)
        return None

    def lookup(customer_id: str) -> Mapping[str, Any] | None:
        segment = repository.saved_segment(customer_id)
        return dataclasses.asdict(segment) if segment else None

    return lookup


def recommendation_source(sessions: sessionmaker[Session]) -> RecommendationSource | None:
    """The recommender's log of products shown to a customer and their answers."""
    try:
        from recommender.models import EventKind, RecommendationEvent
    except Exception:  # noqa: BLE001 - the packet is still useful without them
        log.warning("no recommendation log for handoff packets", exc_info=True)
        return None

    def logged(customer_id: str, since: datetime) -> list[Recommendation]:
        with sessions() as session:
            events = session.scalars(
                select(RecommendationEvent)
                .where(
                    RecommendationEvent.customer_id == customer_id, RecommendationEvent.created_at >= since
                )
                .order_by(RecommendationEvent.created_at, RecommendationEvent.id)
            ).all()
        shown: dict[str, Recommendation] = {}
        for event in events:
            if event.event == EventKind.SHOWN:
                shown[event.rec_id] = Recommendation(
                    product=event.product_id,
                    rank=event.rank,
                    goal_type=event.goal_type,
                    shown_at=event.created_at,
                )
            elif event.rec_id in shown:
                shown[event.rec_id].answer = str(event.event)
        return list(shown.values())

    return logged


def build_handoff(
    sessions: sessionmaker[Session],
    settings: ServiceSettings,
    transcripts: TranscriptStore,
    conversations: ConversationService,
) -> tuple[StaffStore, HandoffService]:
    """The staff store and the handoff service, hooked into ``conversations``."""
    from bank.store import ProfileStore

    staff_settings = staff_settings_for(settings)
    staff = StaffStore(sessions, staff_settings.staff_session_ttl_s, staff_settings.scrypt_log2_n)
    policy = EscalationPolicy.load(HandoffSettings().policy_path)
    handoff = HandoffService(
        store=HandoffStore(sessions, policy.routing),
        staff=staff,
        transcripts=transcripts,
        bot=BotControl(settings.rasa_url, auth_token=settings.rasa_auth_token),
        hub=conversations.hub,
        feed=AgentFeed(conversations.hub),
        policy=policy,
        profiles=ProfileStore(sessions),
        segments=segment_source(sessions),
        recommendations=recommendation_source(sessions),
    )
    conversations.handoff = handoff
    handoff.redact_message = conversations.redact  # agents' text is redacted too
    return staff, handoff
