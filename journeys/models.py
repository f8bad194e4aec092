"""Tables of the journey store, the live segments and the experiments (one metadata).

Steps are keyed by ``event_key`` (a hash of the Rasa event's identity), so ingesting the same
event twice changes nothing; the per-journey tables are rebuilt from the steps, and the rollups
(``journey_*rollups``: the dashboard's sums per day, channel and segment) follow every change
of the per-journey tables (``journeys.rollups``). Only redacted text is ever stored (the
service redacts before Rasa sees a message).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from database.base import Base, utcnow


class PaymentCounts:
    """Runs of the payment forms (``journeys.payments.PAYMENT_FIELDS``): a journey's own, or
    their sums in a rollup."""

    payments_started: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    payments_warned_caution: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    payments_warned_stop: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    payments_stopped: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    payments_stopped_after_warning: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    payments_completed: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    repayments_started: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    repayments_stopped: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    repayments_completed: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class JourneyStep(Base):
    """One Rasa event that matters to a journey: a customer turn, an action, a slot, a form."""

    __tablename__ = "journey_steps"
    __table_args__ = (Index("ix_journey_steps_conversation_ts", "conversation_id", "ts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_key: Mapped[str] = mapped_column(String(40), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(64))
    ts: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    detail: Mapped[str | None] = mapped_column(String(400), nullable=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    sentiment: Mapped[float | None] = mapped_column(Float, nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)  # redacted customer text
    customer_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    channel: Mapped[str | None] = mapped_column(String(16), nullable=True)


class Journey(PaymentCounts, Base):
    """A conversation summarised: the figures the dashboard aggregates."""

    __tablename__ = "journeys"
    __table_args__ = (
        # Repeat contact (each customer's journeys, for the rollups) reads this index alone.
        Index("ix_journeys_customer_started", "customer_id", "started_ts", "day", "channel", "segment"),
        # The median time to resolution: contained journeys in order of duration, from the index.
        Index("ix_journeys_resolved_duration", "escalated", "abandoned", text("(ended_ts - started_ts)"),
              "day", "channel", "segment"),
    )

    conversation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    channel: Mapped[str] = mapped_column(String(16))
    segment: Mapped[str] = mapped_column(String(60))
    day: Mapped[str] = mapped_column(String(10))
    started_ts: Mapped[float] = mapped_column(Float)
    ended_ts: Mapped[float] = mapped_column(Float)
    turns: Mapped[int] = mapped_column(Integer)
    fallbacks: Mapped[int] = mapped_column(Integer)
    rephrase_loops: Mapped[int] = mapped_column(Integer)
    escalated: Mapped[bool] = mapped_column(Boolean)
    escalation_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    abandoned: Mapped[bool] = mapped_column(Boolean)
    form_name: Mapped[str | None] = mapped_column(String(40), nullable=True)
    form_slots_filled: Mapped[int] = mapped_column(Integer)
    form_completed: Mapped[bool] = mapped_column(Boolean)
    form_abandon_slot: Mapped[str | None] = mapped_column(String(60), nullable=True)
    sentiment_mean: Mapped[float | None] = mapped_column(Float, nullable=True)
    sentiment_first: Mapped[float | None] = mapped_column(Float, nullable=True)
    sentiment_last: Mapped[float | None] = mapped_column(Float, nullable=True)
    negative_turns: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(400))
    last_step: Mapped[str | None] = mapped_column(String(80), nullable=True)


class JourneyIntent(Base):
    """Per journey and intent: customer turns, fallbacks and negative turns (with the journey's
    day, channel and segment, so the dashboard's filters need no join)."""

    __tablename__ = "journey_intents"

    conversation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    intent: Mapped[str] = mapped_column(String(80), primary_key=True)
    turns: Mapped[int] = mapped_column(Integer)
    fallbacks: Mapped[int] = mapped_column(Integer)
    negative: Mapped[int] = mapped_column(Integer)
    day: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(16))
    segment: Mapped[str] = mapped_column(String(60))


class JourneyRecommendation(Base):
    """A recommendation shown in a journey and the customer's answer (with the journey's day,
    channel and segment)."""

    __tablename__ = "journey_recommendations"

    conversation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    rec_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[str] = mapped_column(String(16))  # shown, more_info, accepted, declined
    day: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(16))
    segment: Mapped[str] = mapped_column(String(60))


class RollupKey:
    """The first columns of every rollup's key. Rollups are updated in place by key: on SQLite
    the key is the table (one B-tree, not two)."""

    __table_args__ = {"sqlite_with_rowid": False}

    day: Mapped[str] = mapped_column(String(10), primary_key=True, sort_order=-3)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True, sort_order=-2)
    segment: Mapped[str] = mapped_column(String(60), primary_key=True, sort_order=-1)


class JourneyRollup(RollupKey, PaymentCounts, Base):
    """Journeys per day, channel, segment and outcome (escalation, abandonment, goal-form
    progress), with their additive figures: counts, sums for the means, and payment form runs.
    Text keys use '' for none (a NULL never matches in a primary key)."""

    __tablename__ = "journey_rollups"

    escalated: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    escalation_reason: Mapped[str] = mapped_column(String(40), primary_key=True)
    abandoned: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    form_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    form_slots_filled: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_completed: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    journeys: Mapped[int] = mapped_column(Integer)
    turns: Mapped[int] = mapped_column(Integer)
    fallbacks: Mapped[int] = mapped_column(Integer)
    identified: Mapped[int] = mapped_column(Integer)  # journeys with a customer id (repeat contact)
    sentiment_n: Mapped[int] = mapped_column(Integer)  # journeys with a sentiment
    sentiment_first: Mapped[float] = mapped_column(Float)  # sums over those journeys
    sentiment_mean: Mapped[float] = mapped_column(Float)
    sentiment_last: Mapped[float] = mapped_column(Float)
    duration_s: Mapped[float] = mapped_column(Float)  # sum of ended_ts - started_ts


class JourneyIntentRollup(RollupKey, Base):
    """Per day, channel, segment and intent: journeys with the intent, their turns, fallbacks
    and negative turns, and the journeys with a rephrasing loop (2+ fallbacks) or a negative turn."""

    __tablename__ = "journey_intent_rollups"

    intent: Mapped[str] = mapped_column(String(80), primary_key=True)
    journeys: Mapped[int] = mapped_column(Integer)
    turns: Mapped[int] = mapped_column(Integer)
    fallbacks: Mapped[int] = mapped_column(Integer)
    negative: Mapped[int] = mapped_column(Integer)
    loops: Mapped[int] = mapped_column(Integer)
    negative_journeys: Mapped[int] = mapped_column(Integer)


class JourneyRecommendationRollup(RollupKey, Base):
    """Recommendations shown per day, channel, segment, product and outcome."""

    __tablename__ = "journey_recommendation_rollups"

    product_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16), primary_key=True)
    journeys: Mapped[int] = mapped_column(Integer)  # journey and recommendation pairs


class JourneyPathRollup(RollupKey, Base):
    """Journeys per day, channel, segment and path: every journey (``kind`` 'all'), and those
    through a friction step (``kind`` form_drop_off with its slot, rephrase_loop or
    negative_sentiment with its intent), for friction's example paths."""

    __tablename__ = "journey_path_rollups"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    step: Mapped[str] = mapped_column(String(80), primary_key=True)
    path: Mapped[str] = mapped_column(String(400), primary_key=True)
    journeys: Mapped[int] = mapped_column(Integer)


class JourneyRepeatRollup(RollupKey, Base):
    """Journeys their customer followed with another, per day, channel, segment and how the
    next journey followed, within a ``scope`` (any journey, the same channel, segment, or
    both): its day (``next_day``) and the fewest whole days it came within (``within_days``),
    so repeat contact is exact for any window and any date range."""

    __tablename__ = "journey_repeat_rollups"

    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    next_day: Mapped[str] = mapped_column(String(10), primary_key=True)
    within_days: Mapped[int] = mapped_column(Integer, primary_key=True)
    journeys: Mapped[int] = mapped_column(Integer)


class IngestState(Base):
    """Each source's cursor and counts (received, inserted, duplicate, malformed, out of order)."""

    __tablename__ = "journey_ingest_state"

    source: Mapped[str] = mapped_column(String(200), primary_key=True)
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SegmentChange(Base):
    """A change of a customer's segment (recommender's ``customer_segments``), for drift."""

    __tablename__ = "segment_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(40), index=True)
    segment: Mapped[str] = mapped_column(String(60))
    previous: Mapped[str | None] = mapped_column(String(60), nullable=True)
    day: Mapped[str] = mapped_column(String(10), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Experiment(Base):
    """An A/B test or bandit over arms (strategies or response variants)."""

    __tablename__ = "experiments"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # ab or bandit
    arms: Mapped[list[str]] = mapped_column(JSON)
    stopped: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # arm -> reason
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExperimentAssignment(Base):
    """A customer's sticky arm, with the probability it had of being chosen."""

    __tablename__ = "experiment_assignments"

    experiment: Mapped[str] = mapped_column(String(60), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    arm: Mapped[str] = mapped_column(String(60))
    propensity: Mapped[float] = mapped_column(Float)
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExperimentOutcome(Base):
    """What happened after an assignment: reward, escalation, complaint."""

    __tablename__ = "experiment_outcomes"
    __table_args__ = (Index("ix_experiment_outcomes_experiment_arm", "experiment", "arm"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    experiment: Mapped[str] = mapped_column(String(60))
    customer_id: Mapped[str] = mapped_column(String(40))
    arm: Mapped[str] = mapped_column(String(60))
    propensity: Mapped[float] = mapped_column(Float)
    reward: Mapped[float] = mapped_column(Float)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
