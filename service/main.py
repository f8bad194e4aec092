"""Assembles the FastAPI application; ``uvicorn service.main:app`` serves it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from redis.exceptions import RedisError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from bank.payments import PaymentStore
from database.engine import get_engine
from journeys.experiments import EscalationOutcomes
from journeys.live_segments import recommender_refresh
from journeys.wiring import build_analytics
from privacy import PrivacySettings, build_redactor
from privacy.keys import KeyRing
from service.alerts.delivery import AlertDelivery, detect_forever
from service.alerts.detection import AlertDetector
from service.alerts.inbox import InboxStore
from service.alerts.nudge_delivery import NudgeRounds, nudge_forever
from service.alerts.nudge_wiring import build_nudges
from service.api.routes import (
    agents,
    callbacks,
    categories,
    compliance,
    conversations,
    health,
    inbox,
    payees,
    payment_reviews,
    recommendations,
    staff,
    standing_orders,
    web,
)
from service.api.routes import analytics as analytics_routes
from service.body_limit import BodyLimitMiddleware
from service.compliance.wiring import build_compliance
from service.conversation_limits import ConversationLimits
from service.conversations import ConversationService
from service.crime_guard import FinancialCrimeGuard
from service.customer_identity import CustomerForLogin, CustomerIdentity
from service.due_payments import send_due_forever
from service.errors_http import install_error_handlers
from service.handoff.callbacks import build_callbacks
from service.handoff.journal import satisfaction_journal
from service.handoff.metrics import HandoffQueueCollector
from service.handoff.wiring import build_handoff
from service.hardening import install_hardening
from service.hub import MessageHub, RedisMessageHub
from service.idempotency import fingerprint_key
from service.locks import ConversationLocks, LocalLocks, RedisLocks
from service.payment_reviews import PaymentReviews
from service.rasa_client import RasaClient
from service.recommendations import RecommenderProvider
from service.redaction import ConversationRedactor
from service.settings import ServiceSettings, get_settings
from service.staff.wiring import build_staff_access
from service.transcripts import TranscriptStore

log = logging.getLogger(__name__)


def login_lookup(sessions: sessionmaker) -> CustomerForLogin:
    """Our customer id for an identity provider's subject, from the profile store."""
    from bank.store import ProfileStore

    return ProfileStore(sessions).customer_for_login


def build_conversation_redactor(sessions: sessionmaker, keys: KeyRing | None = None) -> ConversationRedactor:
    """Presidio with our banking recognizers, and the vault key (``PRIVACY_*`` settings)."""
    settings = PrivacySettings()
    keys = keys or KeyRing.from_settings(settings)
    return ConversationRedactor(build_redactor(settings, keys), keys, sessions)


async def _redeliver_forever(conversations: ConversationService, interval_s: float) -> None:
    while True:
        await asyncio.sleep(interval_s)
        try:
            await conversations.redeliver()
        except (OperationalError, RedisError) as exc:  # a dependency is down: retried next round
            log.warning("redelivery waiting for a dependency: %s", type(exc).__name__)
        except Exception:  # noqa: BLE001 - the loop must survive any one failure
            log.exception("redelivery failed")


def build_fan_out(settings: ServiceSettings) -> tuple[MessageHub, ConversationLocks]:
    """In-process hub and locks for one worker; Redis-backed ones when ``redis_url`` is set."""
    if not settings.redis_url:
        return MessageHub(), LocalLocks()
    from redis import asyncio as aioredis

    redis = aioredis.Redis.from_url(settings.redis_url, socket_connect_timeout=1, socket_timeout=2)
    locks = RedisLocks(redis, settings.turn_lock_lease_s, settings.rasa_timeout_s, settings.retry_after_s)
    return RedisMessageHub(settings.redis_url), locks


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """Build the app; the database, Rasa client and background loop start with its lifespan."""
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = get_engine(settings.database_url)
        sessions = sessionmaker(engine, expire_on_commit=False)
        rasa = RasaClient(settings.rasa_url, settings.action_server_url,
                          settings.rasa_timeout_s, settings.retry_after_s,
                          auth_token=settings.rasa_auth_token)
        transcripts = TranscriptStore(sessions)
        # One key ring for redaction and for compliance reveals (an ephemeral local
        # key made twice would not decrypt what the other vaulted).
        keys = KeyRing.from_settings(PrivacySettings())
        app.state.engine = engine
        app.state.sessions = sessions
        app.state.recommender = RecommenderProvider()
        app.state.rasa = rasa
        app.state.transcripts = transcripts
        hub, locks = build_fan_out(settings)
        await hub.start()
        app.state.conversation_limits = ConversationLimits(settings)
        app.state.conversations = ConversationService(
            transcripts, rasa, hub, CustomerIdentity(settings.identity, login_lookup(sessions)),
            settings.max_message_chars,
            redactor=build_conversation_redactor(sessions, keys), locks=locks,
            fingerprint_key=fingerprint_key(keys),  # idempotent retries
        )
        app.state.compliance = build_compliance(sessions, keys)  # compliance review
        # Requests to evade the bank's checks refused, scam signs flagged (audit log).
        app.state.conversations.guard = FinancialCrimeGuard(app.state.compliance.audited, keys.audit_key)
        # Payments held by screening or a scam warning, released or cancelled by colleagues.
        app.state.payment_reviews = PaymentReviews(sessions, app.state.compliance.audited, keys.audit_key,
                                                   transcripts, app.state.conversations.hub)
        # Staff sign-in and human handoff, hooked into the conversation flow.
        app.state.staff, app.state.handoff = build_handoff(
            sessions, settings, transcripts, app.state.conversations
        )
        # Callbacks and messages left while waiting; the relay stops "nobody online" after a message.
        app.state.callbacks = build_callbacks(sessions, app.state.handoff.policy, app.state.handoff.store,
                                              app.state.handoff.feed, hub, settings.rasa_url,
                                              settings.rasa_auth_token)
        app.state.handoff.message_left = app.state.callbacks.store.message_left
        app.state.scrape_collectors = [HandoffQueueCollector(app.state.handoff.store.overview)]
        app.state.staff_sign_in, app.state.staff_sockets = build_staff_access(app.state.staff, settings)
        # Journeys (tracker store and handoffs polled), live segments via the recommender.
        app.state.analytics = build_analytics(engine, refresh=recommender_refresh(app.state.recommender.get))
        app.state.analytics.start()
        app.state.handoff.on_handoff = EscalationOutcomes(app.state.analytics.experiments)
        app.state.handoff.on_satisfaction = satisfaction_journal(app.state.analytics.consumer.ingest_steps)
        # Proactive nudges (with consent, capped, measured in journeys and the nudge experiment).
        app.state.nudges = build_nudges(sessions, app.state.recommender.get, app.state.analytics)
        loops = [
            asyncio.create_task(_redeliver_forever(app.state.conversations, settings.redelivery_interval_s)),
            # Scheduled payments and standing orders that are due, sent once whichever worker runs.
            asyncio.create_task(send_due_forever(PaymentStore(sessions).send_due_payments,
                                                 settings.payments_due_interval_s)),
            # Unusual transactions alerted once each, into the customer's open conversation.
            asyncio.create_task(detect_forever(
                AlertDetector.from_settings(sessions).round,
                AlertDelivery(transcripts, hub, InboxStore(sessions)), settings.alerts_interval_s)),
            # Nudges decided for customers with new transactions, posted into their latest chat.
            asyncio.create_task(nudge_forever(
                NudgeRounds(app.state.nudges.engine, app.state.nudges.store, transcripts, hub,
                            app.state.nudges.measurement), settings.nudges_interval_s)),
        ]
        try:
            yield
        finally:
            for loop in loops:
                loop.cancel()
            for loop in loops:
                with contextlib.suppress(asyncio.CancelledError):
                    await loop
            await rasa.aclose()
            await hub.aclose()
            await app.state.handoff.aclose()
            app.state.compliance.close()
            await app.state.analytics.aclose()
            engine.dispose()

    app = FastAPI(
        title="Banking assistant API",
        version="0.1.0",
        description="Customer conversations with the banking assistant (web and app channels).",
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=64 * 1024)
    install_error_handlers(app)
    app.include_router(conversations.router)
    app.include_router(recommendations.router)
    app.include_router(health.router)
    app.include_router(web.router)
    app.include_router(staff.router)  # staff sign-in
    app.include_router(agents.router)  # the agent console's API
    app.include_router(agents.page_router)
    app.include_router(compliance.router)  # compliance review
    app.include_router(compliance.consent_router)  # the customer's consents
    app.include_router(payees.router)  # the customer's payees
    app.include_router(standing_orders.router)  # and standing orders to them
    app.include_router(inbox.router)  # the app's inbox of unusual-activity alerts and nudges
    app.include_router(categories.router)  # corrections of transaction categories
    app.include_router(payment_reviews.router)  # payments held for review, for colleagues
    app.include_router(callbacks.router)  # callbacks and messages left while waiting
    app.include_router(callbacks.agents_router)  # and the booked callbacks, for colleagues
    app.include_router(compliance.page_router)
    app.include_router(analytics_routes.router)  # journey analytics
    app.include_router(analytics_routes.page_router)
    app.mount("/static", StaticFiles(directory=web.STATIC_DIR), name="static")
    install_hardening(app, settings)  # secrets, logs, metrics, headers, rate limits
    return app


app = create_app()
