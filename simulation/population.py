"""A seeded synthetic population: customers with transactions, holdings and hidden preferences.

Each customer belongs to a hidden archetype (student, young professional, retiree, ...) that
shapes their finances, what they hold and their *tastes*: weights over product aspects (rate,
easy access, ethics, tax-free, growth, ...). The tastes are never shown to the recommender;
benchmarks use them to say which products a customer would really prefer for a goal.

The whole population is generated as numpy columns (a million customers in seconds) with the
same input names as :func:`recommender.vectors.profile_columns`. Customers under evaluation get
full records (:meth:`SyntheticPopulation.record`) with 90 days of transactions, from which the
features are derived by the same code as for the profile store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from recommender.catalogue import CATEGORIES, CREDIT_BANDS, Catalogue, Product
from recommender.derived_features import BalanceFact, TransactionFact, derive_features
from recommender.goals import GoalRequest
from recommender.profile import SPEND_CATEGORIES

ASPECTS = (
    "rate", "easy_access", "fixed", "ethical", "rewards", "tax_free", "low_cost", "growth",
    "flexible", "first_home", "travel", "family", "debt", "home", "gadgets", "illness", "income",
    "car", "retirement", "big_purchase",
)
TASTE_ASPECTS = ASPECTS[:9]  # general tastes every customer has; the rest come from goals
COUNTRIES = ("GB", "IE", "FR", "DE", "PL")
PROTECTED_VALUES = {
    "gender": ("female", "male", "non_binary"),
    "ethnicity": ("white", "asian", "black", "mixed", "other"),
    "religion": ("none", "christian", "muslim", "hindu", "jewish", "sikh"),
    "marital_status": ("single", "married", "civil_partnership", "divorced", "widowed"),
    "disability": ("no", "yes"),
}

_TAG_ASPECTS = {
    "ethical": "ethical", "green": "ethical", "cashback": "rewards", "rewards": "rewards",
    "tax_free": "tax_free", "tax_relief": "tax_free", "first_home": "first_home",
    "travel": "travel", "no_fx_fees": "travel", "holiday": "travel", "family": "family",
    "life_cover": "family", "debt_consolidation": "debt", "balance_transfer": "debt",
    "credit_builder": "debt", "home": "home", "renovation": "home", "belongings": "home",
    "gadgets": "gadgets", "phone": "gadgets", "illness": "illness", "sickness": "income",
    "income": "income", "self_employed": "income", "car": "car", "retirement": "retirement",
    "big_purchase": "big_purchase", "zero_interest": "big_purchase", "flexible": "flexible",
    "overpayments": "flexible", "monthly_saving": "flexible", "fixed_rate": "fixed",
    "certainty": "fixed", "growth": "growth", "long_term": "growth", "low_cost": "low_cost",
    "no_fee": "low_cost", "easy_access": "easy_access", "high_rate": "rate",
}


@dataclass(frozen=True)
class Archetype:
    """A hidden kind of customer (weights and ranges are per archetype)."""

    name: str
    weight: float
    age: tuple[float, float, int, int]  # mean, sd, min, max
    income: tuple[float, float]  # lognormal mu, sigma of gross annual income
    employment: dict[str, float]
    bands: tuple[float, float, float, float, float]
    savings_rate: float
    savings_months: float  # typical savings balance in months of income
    spend_alpha: dict[str, float]
    holds: dict[str, float]  # category -> probability of holding one product
    taste: dict[str, float]  # mean taste per aspect
    goals: dict[str, float]  # goal type -> probability
    scenarios: tuple[str, ...]
    protected_bias: dict[str, str]  # nudges protected attributes (correlated, never used)


_BASE_SPEND = {
    "groceries": 3.0, "rent": 4.0, "transport": 1.5, "eating_out": 1.0, "utilities": 1.5,
    "entertainment": 0.8, "shopping": 1.5, "cash": 0.3, "other": 0.8,
}


def _spend(**over: float) -> dict[str, float]:
    return {**_BASE_SPEND, **over}


ARCHETYPES: tuple[Archetype, ...] = (
    Archetype("student", 0.10, (21, 2, 18, 26), (8.8, 0.4), {"student": 0.9, "employed": 0.1},
              (0.0, 0.1, 0.4, 0.3, 0.2), 0.05, 0.5, _spend(eating_out=2.5, entertainment=2.0, rent=3.0),
              {"savings": 0.3, "credit_card": 0.2, "insurance": 0.2},
              {"rewards": 0.8, "easy_access": 0.9, "low_cost": 0.8, "flexible": 0.5},
              {"save": 0.5, "borrow": 0.2, "protect": 0.2, "invest": 0.1},
              ("holiday", "emergency", "gadget", "travel_cover", "big_purchase"),
              {"marital_status": "single"}),
    Archetype("young_professional", 0.18, (29, 4, 22, 38), (10.5, 0.35),
              {"employed": 0.95, "self_employed": 0.05},
              (0.3, 0.35, 0.25, 0.07, 0.03), 0.18, 3.0, _spend(rent=6.0, eating_out=2.0, transport=2.0),
              {"savings": 0.6, "isa": 0.4, "credit_card": 0.5, "investment_fund": 0.2, "insurance": 0.3},
              {"rate": 0.9, "tax_free": 0.8, "growth": 0.4, "easy_access": 0.3},
              {"save": 0.45, "invest": 0.25, "borrow": 0.2, "protect": 0.1},
              ("house_deposit", "holiday", "growth", "car", "travel_cover"), {}),
    Archetype("young_family", 0.15, (36, 4, 27, 46), (10.8, 0.3), {"employed": 0.85, "self_employed": 0.15},
              (0.25, 0.35, 0.25, 0.1, 0.05), 0.08, 2.0,
              _spend(groceries=5.0, utilities=2.5, rent=5.0, shopping=2.0),
              {"savings": 0.5, "mortgage": 0.6, "credit_card": 0.5, "personal_loan": 0.3, "insurance": 0.6},
              {"fixed": 0.9, "low_cost": 0.6, "flexible": 0.4},
              {"protect": 0.35, "borrow": 0.3, "save": 0.25, "invest": 0.1},
              ("life_cover", "home_improvement", "remortgage", "emergency", "car", "home_cover"),
              {"marital_status": "married"}),
    Archetype("established", 0.16, (51, 5, 40, 62), (11.1, 0.35), {"employed": 0.85, "self_employed": 0.15},
              (0.45, 0.35, 0.15, 0.04, 0.01), 0.22, 8.0, _spend(rent=3.5, groceries=4.0, utilities=2.5),
              {"savings": 0.7, "isa": 0.6, "fixed_term": 0.3, "mortgage": 0.6, "investment_fund": 0.5,
               "credit_card": 0.6, "insurance": 0.5},
              {"rate": 0.7, "tax_free": 0.9, "low_cost": 0.5, "growth": 0.6},
              {"invest": 0.4, "save": 0.35, "protect": 0.15, "borrow": 0.1},
              ("growth", "retirement", "lump_sum", "home_cover", "illness_cover"),
              {"marital_status": "married"}),
    Archetype("high_earner", 0.07, (45, 8, 30, 62), (11.9, 0.35), {"employed": 0.7, "self_employed": 0.3},
              (0.7, 0.25, 0.05, 0.0, 0.0), 0.3, 10.0, _spend(eating_out=3.0, shopping=3.0, entertainment=1.5),
              {"savings": 0.6, "isa": 0.7, "investment_fund": 0.8, "mortgage": 0.7, "credit_card": 0.8,
               "insurance": 0.6},
              {"growth": 1.2, "low_cost": 0.8, "tax_free": 0.7, "rewards": 0.4},
              {"invest": 0.5, "borrow": 0.2, "protect": 0.15, "save": 0.15},
              ("growth", "retirement", "mortgage", "travel_cover", "lump_sum"), {}),
    Archetype("retiree", 0.14, (71, 6, 60, 88), (10.0, 0.35), {"retired": 0.85, "employed": 0.15},
              (0.5, 0.35, 0.12, 0.03, 0.0), 0.15, 14.0,
              _spend(rent=1.5, groceries=4.0, utilities=3.0, cash=1.0),
              {"savings": 0.8, "isa": 0.6, "fixed_term": 0.5, "investment_fund": 0.3, "insurance": 0.5},
              {"fixed": 1.0, "rate": 0.8, "easy_access": 0.3, "growth": -0.8},
              {"save": 0.55, "invest": 0.2, "protect": 0.25},
              ("lump_sum", "emergency", "cautious_income", "home_cover", "travel_cover"),
              {"marital_status": "widowed"}),
    Archetype("self_employed", 0.08, (42, 9, 24, 64), (10.6, 0.5), {"self_employed": 0.95, "employed": 0.05},
              (0.2, 0.35, 0.3, 0.1, 0.05), 0.12, 4.0, _spend(transport=3.0, other=2.0, utilities=2.0),
              {"savings": 0.7, "credit_card": 0.5, "insurance": 0.4, "investment_fund": 0.2},
              {"flexible": 1.0, "easy_access": 0.8, "rate": 0.4},
              {"protect": 0.35, "save": 0.35, "invest": 0.15, "borrow": 0.15},
              ("income_cover", "tax_bill", "emergency", "growth", "car"), {}),
    Archetype("stretched", 0.08, (34, 10, 19, 60), (9.6, 0.3), {"employed": 0.7, "unemployed": 0.3},
              (0.0, 0.05, 0.25, 0.4, 0.3), -0.02, 0.2, _spend(rent=5.0, groceries=3.5, cash=1.5, other=1.5),
              {"credit_card": 0.8, "personal_loan": 0.4, "savings": 0.15},
              {"low_cost": 1.0, "debt": 1.0, "flexible": 0.5, "easy_access": 0.5},
              {"borrow": 0.5, "save": 0.4, "protect": 0.1},
              ("consolidation", "emergency", "credit_rebuild", "gadget"), {}),
    Archetype("ethical", 0.04, (37, 9, 22, 65), (10.5, 0.35), {"employed": 0.8, "self_employed": 0.2},
              (0.35, 0.4, 0.2, 0.05, 0.0), 0.2, 5.0, _spend(transport=0.8, groceries=3.5),
              {"savings": 0.8, "isa": 0.4, "investment_fund": 0.4, "insurance": 0.3},
              {"ethical": 1.6, "rate": 0.3, "growth": 0.3},
              {"save": 0.45, "invest": 0.45, "protect": 0.1},
              ("ethical_saving", "growth", "emergency", "home_improvement"), {}),
)


@dataclass(frozen=True)
class Scenario:
    """A goal scenario: what the customer wants the money for."""

    goal_type: str
    phrase: str
    amount: tuple[float, float]
    horizon: tuple[int, int]
    boosts: dict[str, float]
    risk: str | None = None  # fixed risk tolerance, else from taste


SCENARIOS: dict[str, Scenario] = {
    "emergency": Scenario("save", "an emergency fund for a rainy day", (1000, 8000), (3, 12),
                          {"easy_access": 1.5}),
    "holiday": Scenario("save", "saving for a holiday next year", (800, 4000), (6, 14),
                        {"flexible": 0.8, "easy_access": 0.5}),
    "house_deposit": Scenario("save", "saving for a deposit on my first home", (5000, 40000), (24, 60),
                              {"first_home": 2.0, "tax_free": 0.5}),
    "lump_sum": Scenario("save", "somewhere to put a lump sum I won't need for a while",
                         (5000, 80000), (12, 60), {"fixed": 1.0, "rate": 1.0}),
    "tax_bill": Scenario("save", "putting money aside for my tax bill", (2000, 15000), (6, 12),
                         {"easy_access": 1.0, "rate": 0.5}),
    "ethical_saving": Scenario("save", "saving somewhere ethical and green", (1000, 20000), (6, 36),
                               {"ethical": 2.0}),
    "growth": Scenario("invest", "investing for long-term growth", (2000, 50000), (60, 180),
                       {"growth": 1.0}),
    "retirement": Scenario("invest", "investing for my retirement", (5000, 100000), (120, 300),
                           {"retirement": 2.0, "growth": 0.5}),
    "cautious_income": Scenario("invest", "investing for a steady income without much risk",
                                (5000, 60000), (36, 84), {"growth": -0.8}, risk="low"),
    "car": Scenario("borrow", "borrowing to buy a car", (6000, 20000), (24, 60), {"car": 2.0}),
    "home_improvement": Scenario("borrow", "borrowing for a new kitchen and home improvements",
                                 (8000, 30000), (36, 96), {"home": 2.0}),
    "consolidation": Scenario("borrow", "consolidating my debts into one payment",
                              (2500, 15000), (24, 60), {"debt": 2.0}),
    "big_purchase": Scenario("borrow", "spreading the cost of a big purchase", (600, 3000), (6, 18),
                             {"big_purchase": 2.0}),
    "credit_rebuild": Scenario("borrow", "building up my credit score", (250, 1200), (3, 6),
                               {"debt": 2.0}),
    "remortgage": Scenario("borrow", "remortgaging my home", (120000, 300000), (180, 300),
                           {"fixed": 1.0, "flexible": 0.5}),
    "mortgage": Scenario("borrow", "a mortgage for a bigger home", (250000, 600000), (240, 360),
                         {"fixed": 0.5, "flexible": 0.5}),
    "life_cover": Scenario("protect", "life insurance to look after my family",
                           (100000, 400000), (120, 300), {"family": 2.5}),
    "income_cover": Scenario("protect", "cover in case I can't work through illness",
                             (10000, 40000), (60, 300), {"income": 2.5}),
    "illness_cover": Scenario("protect", "cover for serious illness", (25000, 150000), (60, 240),
                              {"illness": 2.5}),
    "home_cover": Scenario("protect", "insurance for my home and belongings", (10000, 60000),
                           (12, 36), {"home": 2.5}),
    "travel_cover": Scenario("protect", "travel insurance for my trips this year", (2000, 8000),
                             (12, 12), {"travel": 2.5}),
    "gadget": Scenario("protect", "insurance for my phone and laptop", (300, 2500), (12, 12),
                       {"gadgets": 2.5}),
}

_HINTS = {
    "rate": "I want the best rate I can get",
    "easy_access": "I need to get at the money any time",
    "fixed": "I'd like a fixed rate so I know where I stand",
    "ethical": "it must be ethical and sustainable",
    "rewards": "cashback or rewards would be nice",
    "tax_free": "tax-free if possible",
    "low_cost": "low fees matter to me",
    "growth": "I'm happy to take some risk for higher growth",
    "flexible": "I want flexibility to pay in or overpay when I can",
}


def product_aspects(catalogue: Catalogue) -> np.ndarray:
    """Aspect scores in [0, 1] for every product, shape (products, len(ASPECTS))."""
    out = np.zeros((len(catalogue), len(ASPECTS)), dtype=np.float32)
    col = {a: j for j, a in enumerate(ASPECTS)}
    by_cat: dict[str, list[Product]] = {}
    for p in catalogue:
        by_cat.setdefault(p.category, []).append(p)
    for i, p in enumerate(catalogue):
        peers = by_cat[p.category]
        rates = [q.rate_pct or 0.0 for q in peers]
        lo, hi = min(rates), max(rates)
        rel = 0.5 if hi - lo < 1e-9 else ((p.rate_pct or 0.0) - lo) / (hi - lo)
        out[i, col["rate"]] = 1.0 - rel if p.is_credit else rel
        out[i, col["easy_access"]] = float(p.access == "instant" and not p.is_credit)
        out[i, col["fixed"]] = float(p.access == "fixed" or "fixed_rate" in p.tags)
        fees = p.monthly_fee * 12 + p.annual_fee + p.ongoing_charge_pct * 100
        out[i, col["low_cost"]] = 1.0 / (1.0 + fees / 40.0)
        out[i, col["growth"]] = (p.risk_level - 1) / 6.0 if p.goal_types == ("invest",) else 0.0
        for tag in p.tags:
            if tag in _TAG_ASPECTS:
                out[i, col[_TAG_ASPECTS[tag]]] = max(out[i, col[_TAG_ASPECTS[tag]]], 1.0)
    return out


def _categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (n, k) probability matrix."""
    cum = np.cumsum(probs, axis=1)
    draws = rng.random(len(probs))[:, None] * cum[:, -1:]
    return (draws > cum).sum(axis=1)


class SyntheticPopulation:
    """Columns for ``n`` synthetic customers, plus their hidden archetypes, tastes and holdings.

    Build with :meth:`generate`. Attributes are numpy arrays of length ``n``.
    """

    def __init__(self, n: int, seed: int, catalogue: Catalogue, columns: dict[str, np.ndarray],
                 archetype: np.ndarray, taste: np.ndarray, holdings: np.ndarray) -> None:
        self.n = n
        self.seed = seed
        self.catalogue = catalogue
        self.columns = columns
        self.archetype = archetype
        self.taste = taste
        self.holdings = holdings  # (n, products) bool
        self.aspects = product_aspects(catalogue)

    def customer_id(self, i: int) -> str:
        """Synthetic customer ids: syn_0000001 ..."""
        return f"syn_{i:07d}"

    @classmethod
    def generate(cls, n: int, seed: int = 7, catalogue: Catalogue | None = None,
                 chunk: int = 250_000) -> SyntheticPopulation:
        """Generate ``n`` customers deterministically from ``seed``."""
        from recommender.catalogue import load_catalogue

        catalogue = catalogue if catalogue is not None else load_catalogue()
        rng = np.random.default_rng(seed)
        arch_w = np.array([a.weight for a in ARCHETYPES])
        archetype = rng.choice(len(ARCHETYPES), size=n, p=arch_w / arch_w.sum()).astype(np.int8)
        cols: dict[str, np.ndarray] = {}
        age = np.zeros(n)
        income = np.zeros(n)
        employment = np.empty(n, dtype="<U13")
        band = np.empty(n, dtype="<U1")
        savings_rate = np.zeros(n)
        months_saved = np.zeros(n)
        taste = np.zeros((n, len(ASPECTS)), dtype=np.float32)
        spend_alpha = np.zeros((n, len(SPEND_CATEGORIES)))
        hold_p = np.zeros((n, len(CATEGORIES)))
        protected = {k: np.empty(n, dtype="<U17") for k in PROTECTED_VALUES}
        for a_idx, arch in enumerate(ARCHETYPES):
            m = archetype == a_idx
            k = int(m.sum())
            if not k:
                continue
            mu, sd, lo, hi = arch.age
            age[m] = np.clip(np.round(rng.normal(mu, sd, k)), lo, hi)
            income[m] = np.round(rng.lognormal(arch.income[0], arch.income[1], k), -2)
            statuses = list(arch.employment)
            probs = np.array([arch.employment[s] for s in statuses])
            employment[m] = np.array(statuses)[rng.choice(len(statuses), k, p=probs / probs.sum())]
            band[m] = np.array(CREDIT_BANDS)[rng.choice(5, k, p=np.array(arch.bands) / sum(arch.bands))]
            savings_rate[m] = np.clip(rng.normal(arch.savings_rate, 0.08, k), -0.3, 0.6)
            months_saved[m] = rng.lognormal(np.log(max(arch.savings_months, 0.05)), 0.7, k)
            for j, aspect in enumerate(TASTE_ASPECTS):
                taste[m, j] = arch.taste.get(aspect, 0.0) + rng.normal(0, 0.5, k)
            spend_alpha[m] = [arch.spend_alpha[c] for c in SPEND_CATEGORIES]
            hold_p[m] = [arch.holds.get(c, 0.0) for c in CATEGORIES]
            for attr, values in PROTECTED_VALUES.items():
                p = np.ones(len(values))
                if attr == "disability":
                    p = np.array([0.85, 0.15])
                if arch.protected_bias.get(attr) in values:
                    p[values.index(arch.protected_bias[attr])] += len(values)
                protected[attr][m] = np.array(values)[rng.choice(len(values), k, p=p / p.sum())]
        country = np.where(rng.random(n) < 0.97, "GB", np.array(COUNTRIES)[rng.integers(1, 5, n)])
        monthly_income = income * 0.75 / 12 * rng.uniform(0.9, 1.1, n)
        monthly_spend = monthly_income * (1 - savings_rate)
        shares = rng.gamma(spend_alpha * 8.0)
        shares /= shares.sum(axis=1, keepdims=True)
        for j, c in enumerate(SPEND_CATEGORIES):
            cols[f"spend_{c}"] = np.round(monthly_spend * shares[:, j], 2)

        holdings = np.zeros((n, len(catalogue)), dtype=bool)
        aspects = product_aspects(catalogue)
        eligible = _eligibility_mask(catalogue, age, income, band, country)
        cat_of = np.array([CATEGORIES.index(p.category) for p in catalogue])
        for start in range(0, n, chunk):
            sl = slice(start, min(start + chunk, n))
            util = taste[sl] @ aspects.T + rng.gumbel(size=(sl.stop - sl.start, len(catalogue)))
            util = np.where(eligible[sl], util, -np.inf)
            for c_idx, c in enumerate(CATEGORIES):
                cols_c = np.flatnonzero(cat_of == c_idx)
                if not len(cols_c):
                    continue
                prob = np.full(sl.stop - sl.start, 0.97) if c == "current_account" else hold_p[sl, c_idx]
                wants = rng.random(sl.stop - sl.start) < prob
                sub = util[:, cols_c]
                best = sub.argmax(axis=1)
                ok = wants & np.isfinite(sub[np.arange(len(sub)), best])
                holdings[np.arange(sl.start, sl.stop)[ok], cols_c[best[ok]]] = True

        held_cat = np.zeros((n, len(CATEGORIES)), dtype=bool)
        for c_idx, c in enumerate(CATEGORIES):
            held_cat[:, c_idx] = holdings[:, cat_of == c_idx].any(axis=1)
            cols[f"holds_{c}"] = held_cat[:, c_idx].astype(np.float64)
        cols["age"] = age
        cols["annual_income"] = income
        cols["monthly_income"] = np.round(monthly_income, 2)
        cols["savings_rate"] = np.round(savings_rate, 4)
        cols["balance_current"] = np.round(monthly_income * rng.lognormal(-0.5, 0.6, n), 2)
        cols["balance_savings"] = np.round(
            np.where(held_cat[:, CATEGORIES.index("savings")] | held_cat[:, CATEGORIES.index("isa")]
                     | held_cat[:, CATEGORIES.index("fixed_term")], monthly_income * months_saved, 0.0), 2)
        cols["balance_investments"] = np.round(
            np.where(held_cat[:, CATEGORIES.index("investment_fund")],
                     monthly_income * months_saved * rng.uniform(0.5, 3.0, n), 0.0), 2)
        cols["credit_debt"] = np.round(
            np.where(held_cat[:, CATEGORIES.index("credit_card")],
                     monthly_income * rng.lognormal(-1.0, 0.8, n) * (1 + 3 * (archetype == 7)), 0.0)
            + np.where(held_cat[:, CATEGORIES.index("personal_loan")],
                       rng.uniform(2000, 15000, n), 0.0), 2)
        cols["credit_band"] = band
        cols["employment_status"] = employment
        cols["country"] = country
        cols.update(protected)
        return cls(n, seed, catalogue, cols, archetype, taste, holdings)

    # ---------------------------------------------------------------- single customers
    def held_product_ids(self, i: int) -> list[str]:
        """Product ids customer ``i`` holds."""
        return [self.catalogue.ids[j] for j in np.flatnonzero(self.holdings[i])]

    def transactions(self, i: int, days: int = 90) -> list[tuple[datetime, float, str, str]]:
        """90 days of transactions consistent with the customer's monthly figures.

        Returns:
            (booked_at, signed amount, category, description) tuples, oldest first.
        """
        rng = np.random.default_rng((self.seed, i))
        c = self.columns
        now = datetime(2025, 1, 1, tzinfo=UTC)
        months = days / 30.44
        out: list[tuple[datetime, float, str, str]] = []
        income_total = float(c["monthly_income"][i]) * months
        paydays = max(1, round(months))
        for k in range(paydays):
            out.append((now - timedelta(days=days - 1 - k * 30), round(income_total / paydays, 2),
                        "salary", "Employer payroll"))
        for cat in SPEND_CATEGORIES:
            total = float(c[f"spend_{cat}"][i]) * months
            if total <= 0:
                continue
            count = 3 if cat in ("rent", "utilities") else int(rng.integers(4, 14))
            parts = rng.dirichlet(np.ones(count)) * total
            parts = np.round(parts, 2)
            parts[-1] = round(total - parts[:-1].sum(), 2)
            for amount in parts:
                when = now - timedelta(days=int(rng.integers(0, days)))
                out.append((when, -float(amount), cat, cat.replace("_", " ").title()))
        out.sort(key=lambda t: t[0])
        return out

    def record(self, i: int) -> dict[str, Any]:
        """A full customer record (protected attributes included, as a store could hold them),
        with features derived from generated transactions."""
        c = self.columns
        holdings = self.held_product_ids(i)
        balances = [
            BalanceFact("current_account", float(c["balance_current"][i])),
            BalanceFact("savings", float(c["balance_savings"][i])),
            BalanceFact("investment_fund", float(c["balance_investments"][i])),
            BalanceFact("credit_card", -float(c["credit_debt"][i])),
        ]
        txs = [TransactionFact(a, cat) for _, a, cat, _ in self.transactions(i)]
        features = derive_features(txs, balances, float(c["annual_income"][i]))
        record: dict[str, Any] = {
            "customer_id": self.customer_id(i),
            "age": int(c["age"][i]),
            "annual_income": float(c["annual_income"][i]),
            "country": str(c["country"][i]),
            "credit_band": str(c["credit_band"][i]),
            "employment_status": str(c["employment_status"][i]),
            "features": features,
            "holdings": holdings,
            "held_categories": sorted({self.catalogue.get(p).category for p in holdings}),
        }
        for attr in PROTECTED_VALUES:
            record[attr] = str(c[attr][i])
        return record

    def goal(self, i: int) -> tuple[GoalRequest, Scenario, np.ndarray]:
        """A goal for customer ``i`` and the customer's hidden utility of every product for it.

        Returns:
            The goal (with the customer's own words), its scenario, and utilities (products,).
        """
        rng = np.random.default_rng((self.seed, i, 1))
        arch = ARCHETYPES[int(self.archetype[i])]
        scenario = SCENARIOS[arch.scenarios[int(rng.integers(len(arch.scenarios)))]]
        amount = float(np.round(rng.uniform(*scenario.amount), -2))
        annual_income = float(self.columns["annual_income"][i])
        if scenario.goal_type == "borrow":  # people mostly ask for what they could borrow
            cap = 4.0 * annual_income if amount > 100_000 else 0.45 * annual_income
            amount = float(max(np.round(min(amount, cap * rng.uniform(0.7, 1.1)), -2), 100.0))
        horizon = int(rng.integers(scenario.horizon[0], scenario.horizon[1] + 1))
        if scenario.horizon[0] >= 24 and rng.random() < 0.6:
            horizon = max(scenario.horizon[0], int(round(horizon / 12)) * 12)
        growth = float(self.taste[i, ASPECTS.index("growth")])
        risk = scenario.risk or ("high" if growth > 0.9 else "medium" if growth > 0.1 else "low")
        if scenario.goal_type == "invest" and risk == "low" and scenario.risk is None:
            risk = "medium"
        monthly_income = float(self.columns["monthly_income"][i])
        if scenario.goal_type == "save" or scenario.goal_type == "invest":
            budget = max(25.0, round(monthly_income * rng.uniform(0.05, 0.25), -1))
        elif scenario.goal_type == "borrow":
            need = amount / horizon * (1.0 + 0.004 * horizon)
            budget = round(max(min(need * rng.uniform(1.1, 2.5), 0.38 * monthly_income), 25.0), -1)
        else:
            budget = round(rng.uniform(15, 80), 0)
        hint = ""
        taste_row = self.taste[i, : len(TASTE_ASPECTS)]
        if rng.random() < 0.7:
            top = TASTE_ASPECTS[int(np.argmax(taste_row + rng.normal(0, 0.2, len(taste_row))))]
            hint = f", and {_HINTS[top]}"
        goal = GoalRequest(scenario.goal_type, amount, horizon, risk, budget,
                           text=f"I'm {scenario.phrase}{hint}")
        boost = np.zeros(len(ASPECTS), dtype=np.float32)
        for aspect, value in scenario.boosts.items():
            boost[ASPECTS.index(aspect)] = value
        noise = rng.normal(0, 0.3, len(self.catalogue))
        utility = self.aspects @ (self.taste[i] + boost) + noise
        return goal, scenario, utility


def _eligibility_mask(catalogue: Catalogue, age: np.ndarray, income: np.ndarray,
                      band: np.ndarray, country: np.ndarray) -> np.ndarray:
    """Who may hold what (age, income, credit band, residency), shape (n, products)."""
    mask = np.zeros((len(age), len(catalogue)), dtype=bool)
    for j, p in enumerate(catalogue):
        e = p.eligibility
        ok = (age >= e.min_age) & (income >= e.min_income)
        if e.max_age is not None:
            ok &= age <= e.max_age
        ok &= np.isin(band, e.credit_bands) & np.isin(country, e.residency)
        mask[:, j] = ok
    return mask


def reference_columns(n: int, seed: int) -> dict[str, np.ndarray]:
    """The profile columns of ``n`` synthetic customers: the recommender's reference population."""
    return SyntheticPopulation.generate(n, seed=seed).columns
