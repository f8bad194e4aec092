"""The nudges for one customer now: consents first, then the triggers on their facts, a
product from the recommender for idle cash, the wording arm, and the policy's decisions."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from insights.nudges.nudge import Nudge, NudgeKind
from insights.nudges.offers import NoOffer, ProductCatalogue, ProductRecommender, savings_offer
from insights.nudges.policy import Decision, decide, missing_consent, screen, suppressed
from insights.nudges.ports import ArmOf, ConsentReader, FactsSource, NudgeHistory
from insights.nudges.settings import NudgeSettings
from insights.nudges.triggers import idle_cash, salary_arrived, shortfall_before_bill
from insights.nudges.wording import PLAIN, VARIANTS, idle_cash_nudge, salary_nudge, shortfall_nudge

HISTORY_DAYS = 400  # how far back the history is read (beyond any duplicate window)


class NudgeEngine:
    """Finds and decides a customer's nudges.

    Args:
        facts: The customers' money (``bank.nudge_facts.NudgeFactsStore``).
        consents: Consents in force (``recommender.store_repository.StoreRepository``).
        recommender: Products for idle cash (``recommender.Recommender``).
        catalogue: The products' rates (``recommender.catalogue.Catalogue``).
        history: Nudges already sent or scheduled (the delivery side's).
        arm_of: The customer's arm in the nudge experiment; every customer gets ``plain`` when None.
        settings: Caps, quiet hours, thresholds; from ``INSIGHTS_NUDGE_*`` when None.
    """

    def __init__(self, facts: FactsSource, consents: ConsentReader, recommender: ProductRecommender,
                 catalogue: ProductCatalogue, history: NudgeHistory, arm_of: ArmOf | None = None,
                 settings: NudgeSettings | None = None) -> None:
        self.facts = facts
        self.consents = consents
        self.recommender = recommender
        self.catalogue = catalogue
        self.history = history
        self.arm_of = arm_of
        self.settings = settings or NudgeSettings()
        self.zone = ZoneInfo(self.settings.timezone)

    def granted(self, customer_id: str) -> frozenset[str]:
        """The purposes, among those any nudge needs, the customer consents to."""
        s = self.settings
        purposes = {s.insight_purpose, *s.product_purposes}
        return frozenset(p for p in purposes if self.consents.has_consent(customer_id, p))

    def variant(self, customer_id: str) -> str:
        arm = self.arm_of(customer_id) if self.arm_of else None
        return arm if arm in VARIANTS else PLAIN

    def evaluate(self, customer_id: str, now: datetime) -> list[Decision]:
        """The decisions on this customer's nudges at ``now`` (timezone-aware).

        Without consent to any kind, nothing is read and nothing is returned. Kinds without
        their consent are not looked for.

        Raises:
            UnknownCustomer: no such customer.
        """
        s = self.settings
        granted = self.granted(customer_id)
        allowed = [k for k in NudgeKind if missing_consent(k, granted, s) is None]
        if not allowed:
            return []
        history = list(self.history.sent(customer_id, now - timedelta(days=HISTORY_DAYS)))
        facts = self.facts.money_facts(customer_id, now - timedelta(days=s.lookback_days))
        variant = self.variant(customer_id)
        nudges: list[Nudge] = []
        refused: list[Decision] = []
        if NudgeKind.SALARY_ARRIVED in allowed:
            salary = salary_arrived(facts, now, self.zone)
            if salary:
                nudges.append(salary_nudge(customer_id, salary, now, variant))
        if NudgeKind.SHORTFALL_BEFORE_BILL in allowed:
            short = shortfall_before_bill(facts, now, self.zone, s.shortfall_horizon_days)
            if short:
                nudges.append(shortfall_nudge(customer_id, short, now, variant))
        if NudgeKind.IDLE_CASH in allowed:
            idle = idle_cash(facts, now, self.zone, s.idle_days, s.idle_min_amount)
            if idle:
                kind, subject = NudgeKind.IDLE_CASH, idle.account_id
                reason = screen(kind, subject, granted, history, now, s)
                offer = NoOffer(reason) if reason else savings_offer(
                    self.recommender, self.catalogue, customer_id, idle.amount, s.idle_min_interest)
                if isinstance(offer, NoOffer):
                    refused.append(suppressed(kind, subject, offer.reason))
                else:
                    nudges.append(idle_cash_nudge(customer_id, idle, offer, now, variant))
        return decide(nudges, granted, history, now, s) + refused
