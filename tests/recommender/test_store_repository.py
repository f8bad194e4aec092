"""The recommender's tables on the real store: migration, features, consents, reset."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from bank.enums import AccountKind
from bank.seed import seed_demo_bank
from bank.store import ProfileStore
from migrations.tables import target_metadata
from recommender.demo_seed import seed_recommendations
from recommender.profile import SPEND_CATEGORIES
from recommender.store_repository import StoreRepository
from tests.support.databases import alembic_config, throwaway_database

TABLES = {
    "holdings", "consents", "recommendation_events", "customer_features", "customer_segments",
    "equality_monitoring",
}


def test_migration_matches_the_models_and_downgrades(backend: str, tmp_path):
    with throwaway_database(backend, tmp_path, "recommender") as url:
        config = alembic_config(url)
        command.upgrade(config, "head")
        engine = create_engine(url)
        try:
            assert TABLES <= set(inspect(engine).get_table_names())
            with engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                diffs = [
                    d for d in compare_metadata(context, target_metadata)
                    if d[0] != "remove_table" and d[0] != "remove_index"
                ]
            assert diffs == []
            command.downgrade(config, "0002_service")
            assert not TABLES & set(inspect(engine).get_table_names())
            command.upgrade(config, "head")
            assert TABLES <= set(inspect(engine).get_table_names())
        finally:
            engine.dispose()


def test_features_are_derived_from_transactions_and_balances(
    repository: StoreRepository, sessions
):
    profile = repository.profile("cus_001")
    f = profile.features
    assert 2400 < f.monthly_income < 3000  # Alex's net salary is £2,684.50 a month
    assert set(f.spending_by_category) == set(SPEND_CATEGORIES)
    assert f.monthly_spend > 0 and -1 <= f.savings_rate <= 1
    balances = {a.kind: a.balance for a in ProfileStore(sessions).accounts("cus_001")}
    assert f.balance_savings == float(balances[AccountKind.SAVINGS])
    assert profile.holds("current_account") and profile.holds("cur_everyday")
    assert 30 <= profile.age <= 40 and profile.country == "GB"


def test_consent_history_is_kept_and_the_latest_answer_wins(repository: StoreRepository):
    assert repository.consents("cus_001") == {"profiling": True, "marketing": True}
    repository.set_consent("cus_001", "marketing", False, channel="phone")
    repository.set_consent("cus_001", "marketing", True, channel="web_chat")
    repository.set_consent("cus_001", "profiling", False, channel="branch")
    assert repository.consents("cus_001") == {"profiling": False, "marketing": True}
    assert repository.consents("cus_007") == {"profiling": False, "marketing": False}


def test_profile_seed_reset_still_works_with_recommender_rows(sessions, recommender):
    recommender.recommend("cus_001", {"goal_type": "save", "target_amount": 900,
                                      "horizon_months": 6})
    seed_demo_bank(sessions, reset=True)  # recommender rows go with their customers
    assert seed_recommendations(sessions) == 7
    assert StoreRepository(sessions).feedback("cus_001").shown_counts == {}
