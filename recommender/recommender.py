"""The recommender: goal in, explained top-k products out; feedback and segments.

Pipeline of :meth:`Recommender.recommend`:

1. validate the goal; unknown customers raise :class:`UnknownCustomer`;
2. without profiling consent, answer from the goal alone and say so;
3. candidates from FAISS: the goal text against product descriptions, and what the customer's
   nearest lookalikes hold or accepted;
4. hard eligibility and suitability filters (:mod:`recommender.suitability`);
5. scoring (:mod:`recommender.scoring`), feedback penalties, top-k with reasons.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from bank.errors import UnknownCustomer
from recommender.catalogue import Catalogue, load_catalogue
from recommender.embeddings import MiniLMEncoder, TextEncoder
from recommender.goals import GoalRequest
from recommender.lookalike import ACCEPTED, DECLINED, IndexParams, LookalikeIndex, LookalikeSignal
from recommender.profile import CustomerProfile
from recommender.reasons import explain, facts
from recommender.repository import PROFILING, CustomerRepository, interactions_of
from recommender.results import (
    EMPTY_CATALOGUE_NOTICE,
    MORE_INFO,
    NO_CONSENT_NOTICE,
    NOTHING_SUITABLE_NOTICE,
    FeedbackReceipt,
    RecommendationResult,
    RecommendedItem,
    ShownItem,
    normalise_outcome,
)
from recommender.scoring import Weights, score_candidates
from recommender.segments import Segment, SegmentModel
from recommender.settings import RecommenderSettings
from recommender.strategies import DEFAULT_STRATEGY, order
from recommender.suitability import assess
from recommender.text_index import ProductTextIndex
from recommender.vectors import FeatureBuilder

LOOKALIKE_CANDIDATES = 10

ReferencePopulation = Callable[[int, int], Mapping[str, np.ndarray]]
"""Profile columns (``recommender.vectors.profile_columns``' names) of ``n`` reference customers
drawn with ``seed``; segments are fitted on them when the bank's own customers are too few."""


@dataclass(frozen=True)
class _Context:
    """What a personalised ranking knows about the customer."""

    profile: CustomerProfile
    signal: LookalikeSignal
    segment: Segment


def index_params(settings: RecommenderSettings, n: int) -> IndexParams:
    """The lookalike index for ``n`` profiles (``auto``: exact when small, else IVF-Flat, the
    index ``bench/recommender.py`` measured fastest at recall@50 >= 0.95 on a million)."""
    kind = settings.lookalike_index
    if kind == "auto":
        kind = "flat" if n < settings.exact_below else "ivf"
    return IndexParams(
        kind=kind,
        hnsw_m=settings.hnsw_m,
        ef_construction=settings.hnsw_ef_construction,
        ef_search=settings.hnsw_ef_search,
        nprobe=settings.ivf_nprobe,
    )


class Recommender:
    """Goal-based, explained, fair product recommendations.

    Args:
        catalogue: The products.
        text_index: FAISS index of product descriptions (goal-text candidates).
        lookalike: FAISS index of customer profile vectors (lookalike candidates and signal).
        profiles: Customer data: profiles, consents, events.
        features: Builds profile vectors from the feature allow-list.
        segments: The segment model.
        settings: Weights and limits.
        popularity: Product id -> share of customers holding it (default: from ``lookalike``).
    """

    def __init__(
        self,
        catalogue: Catalogue,
        text_index: ProductTextIndex,
        lookalike: LookalikeIndex,
        profiles: CustomerRepository,
        features: FeatureBuilder,
        segments: SegmentModel,
        settings: RecommenderSettings | None = None,
        popularity: Mapping[str, float] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.text_index = text_index
        self.lookalike = lookalike
        self.profiles = profiles
        self.features = features
        self.segments = segments
        self.settings = settings or RecommenderSettings()
        self.popularity = dict(popularity) if popularity is not None else lookalike.popularity()
        s = self.settings
        self.weights = Weights(
            text=s.weight_text,
            fit=s.weight_fit,
            lookalike=s.weight_lookalike,
            popularity=s.weight_popularity,
            declined=s.declined_penalty,
            declined_category=s.declined_category_penalty,
            accepted_category=s.accepted_category_penalty,
        )
        self._categories = {p.id: p.category for p in catalogue}
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ factories
    @classmethod
    def build(
        cls,
        profiles: CustomerRepository,
        settings: RecommenderSettings | None = None,
        catalogue: Catalogue | None = None,
        encoder: TextEncoder | None = None,
        segments: SegmentModel | None = None,
        reference: ReferencePopulation | None = None,
    ) -> Recommender:
        """Build every index from a repository's consenting customers.

        Args:
            profiles: The customer data (the store, or a synthetic population).
            settings: Settings; from the environment when None.
            catalogue: The catalogue; the configured file when None.
            encoder: Sentence encoder; the offline MiniLM when None.
            segments: A segment model; fitted on the customers (or, when they are too few to
                cluster, on ``reference``'s population) when None.
            reference: Where reference customers come from when the bank's are too few.
        """
        settings = settings or RecommenderSettings()
        catalogue = catalogue if catalogue is not None else load_catalogue(settings.catalogue_path)
        encoder = encoder or MiniLMEncoder(settings.encoder_path, settings.torch_threads)
        text_index = ProductTextIndex.build(catalogue, encoder, settings.cache_dir)
        features = FeatureBuilder()
        ids: list[str] = []
        rows: list[CustomerProfile] = []
        interactions: list[dict[str, int]] = []
        for profile, values in profiles.indexable():
            ids.append(profile.customer_id)
            rows.append(profile)
            interactions.append(values)
        from recommender.vectors import profile_columns

        vectors = (
            features.matrix(profile_columns(rows))
            if rows
            else np.zeros((0, features.dim), dtype=np.float32)
        )
        matrix = np.zeros((len(ids), len(catalogue)), dtype=np.int8)
        for i, values in enumerate(interactions):
            for product_id, value in values.items():
                if product_id in catalogue:
                    matrix[i, catalogue.position(product_id)] = value
        lookalike = LookalikeIndex.build(
            vectors, ids, matrix, catalogue.ids, index_params(settings, len(ids))
        )
        if segments is None:
            segments = fit_segments(vectors, features, settings, reference)
        return cls(catalogue, text_index, lookalike, profiles, features, segments, settings)

    @classmethod
    def from_settings(
        cls, settings: RecommenderSettings | None = None, reference: ReferencePopulation | None = None
    ) -> Recommender:
        """The recommender over the profile store named by ``DATABASE_URL``."""
        from recommender.store_repository import StoreRepository

        return cls.build(StoreRepository.from_settings(), settings, reference=reference)

    # ------------------------------------------------------------------ public API
    def recommend(
        self, customer_id: str, goal: GoalRequest | Mapping[str, Any], k: int = 3,
        strategy: str = DEFAULT_STRATEGY,
    ) -> RecommendationResult:
        """The top-k products for a customer's goal, each with reasons.

        Args:
            customer_id: The store's customer id.
            goal: A :class:`GoalRequest` or a mapping of its fields (a saved goal).
            k: How many products (1 to 10).
            strategy: How to order the suitable candidates (``recommender.strategies``; an
                experiment's arm); the default is the recommender's own score.

        Raises:
            UnknownCustomer: No such customer.
            InvalidGoal: The goal cannot be planned for (says what to change).
        """
        goal = goal if isinstance(goal, GoalRequest) else GoalRequest.of(**dict(goal))
        goal.validate()
        k = max(1, min(int(k), 10))
        if not self.profiles.exists(customer_id):
            raise UnknownCustomer()
        personalised = self.profiles.has_consent(customer_id, PROFILING)
        context = self._context(customer_id) if personalised else None
        now = datetime.now(UTC)
        if len(self.catalogue) == 0:
            return RecommendationResult(
                customer_id, goal, (), personalised, EMPTY_CATALOGUE_NOTICE,
                context.segment if context else None, now,
            )
        feedback = self.profiles.feedback(customer_id) if context else None
        query = goal.query_text()
        of_goal_type = [p.id for p in self.catalogue if goal.goal_type in p.goal_types]
        hits = self.text_index.search(query, self.settings.text_candidates, among=of_goal_type)
        cosines = dict(hits)
        candidate_ids = [pid for pid, _ in hits]
        if context:
            liked = sorted(context.signal.positive.items(), key=lambda kv: (-kv[1], kv[0]))
            extra = [pid for pid, _ in liked[:LOOKALIKE_CANDIDATES] if pid not in cosines]
            cosines.update(self.text_index.cosines(query, extra))
            candidate_ids += extra
        profile = context.profile if context else None
        assessments = [
            a
            for a in (assess(self.catalogue.get(pid), goal, profile) for pid in candidate_ids)
            if a.ok and not (feedback and a.product.id in feedback.accepted | feedback.declined)
        ]
        scored = order(score_candidates(
            assessments,
            goal,
            cosines,
            self.popularity,
            self.weights,
            signal=context.signal if context else None,
            feedback=feedback,
            categories=self._categories,
        ), strategy)[:k]
        items = tuple(
            RecommendedItem(
                rec_id=f"rec_{uuid.uuid4().hex[:16]}",
                product_id=s.product.id,
                product_name=s.product.name,
                category=s.product.category,
                score=s.parts.total,
                reasons=explain(
                    s, goal, context.signal if context else None,
                    self.settings.min_similar_support, personalised,
                ),
                facts=facts(s),
            )
            for s in scored
        )
        self.profiles.log_shown(
            customer_id,
            [
                ShownItem(i.rec_id, i.product_id, rank, i.score, goal.goal_type, personalised)
                for rank, i in enumerate(items, start=1)
            ],
        )
        notice = None if personalised else NO_CONSENT_NOTICE
        if not items:
            notice = NOTHING_SUITABLE_NOTICE if notice is None else f"{NOTHING_SUITABLE_NOTICE} {notice}"
        return RecommendationResult(
            customer_id, goal, items, personalised, notice,
            context.segment if context else None, now,
        )

    def record_feedback(self, customer_id: str, rec_id: str, outcome: str) -> FeedbackReceipt:
        """Record the customer's answer to a recommendation.

        Accepted and declined answers change this customer's later rankings and, when the
        customer consents to profiling, the lookalike signal other customers see.

        Args:
            customer_id: Who answers.
            rec_id: The ``rec_id`` of a shown item.
            outcome: more_info, accepted or declined (button names such as
                ``interested`` and ``not_for_me`` are accepted too).

        Raises:
            UnknownCustomer: No such customer.
            UnknownRecommendation: ``rec_id`` was not shown to this customer.
            InvalidFeedback: Unknown outcome.
        """
        outcome = normalise_outcome(outcome)
        if not self.profiles.exists(customer_id):
            raise UnknownCustomer()
        product_id = self.profiles.log_outcome(customer_id, rec_id, outcome)
        if outcome != MORE_INFO and self.profiles.has_consent(customer_id, PROFILING):
            with self._lock:
                if customer_id not in self.lookalike:
                    self._refresh(customer_id)
                self.lookalike.record(
                    customer_id, product_id, ACCEPTED if outcome == "accepted" else DECLINED
                )
        return FeedbackReceipt(rec_id, product_id, outcome)

    def segment_of(self, customer_id: str) -> Segment | None:
        """The customer's current segment (None without profiling consent).

        Raises:
            UnknownCustomer: No such customer.
        """
        if not self.profiles.exists(customer_id):
            raise UnknownCustomer()
        if not self.profiles.has_consent(customer_id, PROFILING):
            return None
        return self._refresh(customer_id)[1]

    def refresh_profile(self, customer_id: str) -> Segment | None:
        """Recompute features and segment after the customer's data changed; same as
        :meth:`segment_of`, named for callers that write to the store."""
        return self.segment_of(customer_id)

    # ------------------------------------------------------------------ internals
    def _refresh(self, customer_id: str) -> tuple[CustomerProfile, Segment, np.ndarray]:
        """Derive the profile, its vector and segment; store them and move the lookalike row
        when they changed."""
        profile = self.profiles.profile(customer_id)
        vector = self.features.vector(profile)
        segment = self.segments.assign(vector)
        changed = self.profiles.save_profile_state(customer_id, profile.features, segment)
        if changed or customer_id not in self.lookalike:
            values = interactions_of(profile, self.profiles.feedback(customer_id))
            with self._lock:
                self.lookalike.upsert(customer_id, vector, values)
        return profile, segment, vector

    def _context(self, customer_id: str) -> _Context:
        profile, segment, vector = self._refresh(customer_id)
        signal = self.lookalike.signal(vector, self.settings.lookalike_k, exclude=customer_id)
        return _Context(profile, signal, segment)


def fit_segments(
    vectors: np.ndarray,
    features: FeatureBuilder,
    settings: RecommenderSettings,
    reference: ReferencePopulation | None = None,
) -> SegmentModel:
    """K-means segments over customer vectors, or over ``reference``'s population (of
    ``settings.reference_population`` customers) when there are fewer than 50 customers per
    segment."""
    if len(vectors) < 50 * settings.segments_k and settings.reference_population > 0 and reference:
        vectors = features.matrix(reference(settings.reference_population, settings.seed))
    return SegmentModel.fit(vectors, settings.segments_k, features.names, seed=settings.seed)
