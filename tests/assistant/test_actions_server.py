"""The custom actions, run through the real action server on a seeded SQLite database."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from assistant import names
from assistant.actions import replies
from assistant.actions.formatting import format_money
from bank.enums import CardStatus
from bank.store import ProfileStore
from database.settings import DatabaseSettings
from tests.assistant.action_client import Turn, domain, entity, run_action

CUSTOMER = "cus_001"


@pytest.fixture(scope="module")
def store(bot_database_url: str) -> ProfileStore:
    return ProfileStore.from_settings(DatabaseSettings(database_url=bot_database_url))


def account(store: ProfileStore, kind: str):  # type: ignore[no-untyped-def]
    return next(a for a in store.accounts(CUSTOMER) if a.kind == kind)


# -- session and identity (attacks on it: test_action_server_trust.py) --------------------


def test_session_start_copies_the_channel_but_not_a_customer(action_server: str) -> None:
    turn = Turn(slots={names.SLOT_SESSION_STARTED_METADATA: {"customer_id": CUSTOMER, "channel": "web"}})
    result = run_action(action_server, names.ACTION_SESSION_START, turn)
    kinds = [e["event"] for e in result.events]
    assert kinds[0] == "session_started" and kinds[-1] == "action"
    assert result.slots() == {names.SLOT_CHANNEL: "web"}


def test_unknown_customer_gets_a_polite_refusal(action_server: str) -> None:
    turn = Turn(text="balance", intent="check_balance", customer="cus_nobody")
    assert run_action(action_server, names.ACTION_CHECK_BALANCE, turn).text == replies.NO_CUSTOMER


# -- balances, transactions, accounts, cards ------------------------------------------------


def test_balance_lists_every_account_with_its_real_balance(action_server: str, store: ProfileStore) -> None:
    turn = Turn(text="balance", intent="check_balance", customer=CUSTOMER)
    result = run_action(action_server, names.ACTION_CHECK_BALANCE, turn)
    for acc in store.accounts(CUSTOMER):
        assert acc.name in result.text
        assert format_money(acc.balance, acc.currency) in result.text


def test_balance_of_a_named_account(action_server: str, store: ProfileStore) -> None:
    turn = Turn(
        text="what's in my savings",
        intent="check_balance",
        customer=CUSTOMER,
        entities=[entity("account_type", "savings")],
    )
    result = run_action(action_server, names.ACTION_CHECK_BALANCE, turn)
    savings, current = account(store, "savings"), account(store, "current")
    assert savings.name in result.text and format_money(savings.balance) in result.text
    assert current.name not in result.text


def test_recent_transactions_show_the_latest_one(action_server: str, store: ProfileStore) -> None:
    latest = store.recent_transactions(CUSTOMER, limit=1)[0]
    result = run_action(
        action_server,
        names.ACTION_RECENT_TRANSACTIONS,
        Turn(text="recent", intent="recent_transactions", customer=CUSTOMER),
    )
    assert latest.description in result.text
    assert format_money(latest.amount, latest.currency) in result.text


def test_account_details_show_only_masked_numbers(action_server: str, store: ProfileStore) -> None:
    result = run_action(
        action_server,
        names.ACTION_ACCOUNT_DETAILS,
        Turn(text="account numbers", intent="ask_account_details", customer=CUSTOMER),
    )
    for acc in store.accounts(CUSTOMER):
        assert acc.masked_number in result.text


def test_lost_card_freezes_the_card(action_server: str, store: ProfileStore) -> None:
    result = run_action(
        action_server,
        names.ACTION_FREEZE_CARD,
        Turn(text="I lost my card <CARD_1>", intent="lost_card", customer=CUSTOMER),
    )
    debit = next(c for c in store.cards(CUSTOMER) if c.kind == "debit" and c.status != CardStatus.CANCELLED)
    assert debit.status == CardStatus.FROZEN
    assert f"ending {debit.last4}" in result.text and "frozen" in result.text
    store.unfreeze_card(CUSTOMER, debit.id)


def test_handoff_emits_the_custom_payload_and_sets_the_slot(action_server: str) -> None:
    turn = Turn(text="human please", intent="request_human", customer=CUSTOMER)
    result = run_action(action_server, names.ACTION_REQUEST_HUMAN, turn)
    assert {"handoff": {"reason": "customer_request"}} in [r.get("custom") for r in result.responses]
    assert "colleague" in result.text
    assert result.slots() == {names.SLOT_HANDOFF_REQUESTED: True}


# -- transfer form --------------------------------------------------------------------------


def validate_transfer(server: str, **turn_args) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    turn = Turn(form=names.FORM_TRANSFER, **turn_args)
    result = run_action(server, names.ACTION_VALIDATE_TRANSFER_FORM, turn)
    return result.text, result.slots()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", replies.AMOUNT_PROBLEMS["not_positive"]),
        ("12.345", replies.AMOUNT_PROBLEMS["too_many_decimals"]),
        ("1,20", replies.AMOUNT_PROBLEMS["unclear"]),
    ],
)
def test_transfer_amount_is_re_asked_when_invalid(action_server: str, value: str, message: str) -> None:
    text, slots = validate_transfer(
        action_server,
        text=f"£{value}",
        entities=[entity("amount", value)],
        customer=CUSTOMER,
        requested_slot=names.SLOT_TRANSFER_AMOUNT,
        candidates={names.SLOT_TRANSFER_AMOUNT: value},
    )
    assert text == message
    assert slots[names.SLOT_TRANSFER_AMOUNT] is None


def test_negative_amount_is_rejected_even_when_the_entity_drops_the_sign(action_server: str) -> None:
    text, slots = validate_transfer(
        action_server,
        text="-50",
        entities=[entity("amount", "50")],
        customer=CUSTOMER,
        requested_slot=names.SLOT_TRANSFER_AMOUNT,
        candidates={names.SLOT_TRANSFER_AMOUNT: "50"},
    )
    assert text == replies.AMOUNT_PROBLEMS["not_positive"]
    assert slots[names.SLOT_TRANSFER_AMOUNT] is None


def test_amount_without_an_entity_is_read_from_the_text(action_server: str) -> None:
    text, slots = validate_transfer(
        action_server,
        text="two hundred and fifty pounds",
        customer=CUSTOMER,
        requested_slot=names.SLOT_TRANSFER_AMOUNT,
    )
    assert slots[names.SLOT_TRANSFER_AMOUNT] == "250.00"


def test_amount_over_the_available_balance_is_re_asked(action_server: str, store: ProfileStore) -> None:
    current = account(store, "current")
    too_much = str(current.available + 1)
    text, slots = validate_transfer(
        action_server,
        text=f"£{too_much}",
        entities=[entity("amount", too_much)],
        customer=CUSTOMER, slots={names.SLOT_SOURCE_ACCOUNT: current.id},
        requested_slot=names.SLOT_TRANSFER_AMOUNT,
        candidates={names.SLOT_TRANSFER_AMOUNT: too_much},
    )
    assert format_money(current.available) in text and "isn't enough" in text
    assert slots[names.SLOT_TRANSFER_AMOUNT] is None


def test_unknown_account_is_re_asked(action_server: str) -> None:
    text, slots = validate_transfer(
        action_server,
        text="the ISA",
        entities=[entity("account_type", "isa")],
        customer=CUSTOMER,
        requested_slot=names.SLOT_SOURCE_ACCOUNT,
        candidates={names.SLOT_SOURCE_ACCOUNT: "isa"},
    )
    assert "couldn't find that account" in text
    assert slots[names.SLOT_SOURCE_ACCOUNT] is None


def test_same_account_is_re_asked(action_server: str, store: ProfileStore) -> None:
    savings = account(store, "savings")
    text, slots = validate_transfer(
        action_server,
        text="Rainy Day Saver",
        entities=[entity("account_type", savings.name)],
        customer=CUSTOMER, slots={names.SLOT_TRANSFER_AMOUNT: "10.00", names.SLOT_SOURCE_ACCOUNT: savings.id},
        requested_slot=names.SLOT_DESTINATION_ACCOUNT,
        candidates={names.SLOT_DESTINATION_ACCOUNT: savings.name},
    )
    assert "different account" in text
    assert slots[names.SLOT_DESTINATION_ACCOUNT] is None


def test_credit_card_cannot_be_the_source(action_server: str) -> None:
    text, slots = validate_transfer(
        action_server,
        text="credit card",
        entities=[entity("account_type", "credit card")],
        customer=CUSTOMER,
        requested_slot=names.SLOT_SOURCE_ACCOUNT,
        candidates={names.SLOT_SOURCE_ACCOUNT: "credit card"},
    )
    assert "credit card" in text and slots[names.SLOT_SOURCE_ACCOUNT] is None


def test_first_message_fills_amount_and_both_accounts(action_server: str, store: ProfileStore) -> None:
    savings, current = account(store, "savings"), account(store, "current")
    text, slots = validate_transfer(
        action_server,
        text="move £250 from savings to checking",
        intent="transfer_money",
        entities=[
            entity("amount", "250"),
            entity("account_type", "savings", "source"),
            entity("account_type", "current", "destination"),
        ],
        customer=CUSTOMER,
        requested_slot=None,
        candidates={
            names.SLOT_TRANSFER_AMOUNT: "250",
            names.SLOT_SOURCE_ACCOUNT: "savings",
            names.SLOT_DESTINATION_ACCOUNT: "current",
        },
    )
    assert text == ""
    assert slots == {
        names.SLOT_TRANSFER_AMOUNT: "250.00",
        names.SLOT_SOURCE_ACCOUNT: savings.id,
        names.SLOT_DESTINATION_ACCOUNT: current.id,
    }


def test_prepositions_overrule_the_roles_the_extractor_guessed(
    action_server: str, store: ProfileStore
) -> None:
    savings, current = account(store, "savings"), account(store, "current")
    said = "I'd like to move £250 from my current account to my savings"
    guessed = [{**entity("account_type", word, "destination"), "start": said.index(word)}
               for word in ("current", "savings")]
    text, slots = validate_transfer(
        action_server,
        text=said,
        intent="transfer_money",
        entities=[entity("amount", "£250"), *guessed],
        customer=CUSTOMER,
        requested_slot=None,
        candidates={names.SLOT_TRANSFER_AMOUNT: "£250", names.SLOT_DESTINATION_ACCOUNT: "current"},
    )
    assert text == ""
    assert slots[names.SLOT_SOURCE_ACCOUNT] == current.id
    assert slots[names.SLOT_DESTINATION_ACCOUNT] == savings.id


def test_account_named_by_its_last_four_digits(action_server: str, store: ProfileStore) -> None:
    savings = account(store, "savings")
    text, slots = validate_transfer(
        action_server,
        text=f"the one ending {savings.masked_number[-4:]}",
        customer=CUSTOMER,
        requested_slot=names.SLOT_SOURCE_ACCOUNT,
    )
    assert slots[names.SLOT_SOURCE_ACCOUNT] == savings.id


def test_correcting_the_amount_says_so(action_server: str, store: ProfileStore) -> None:
    savings, current = account(store, "savings"), account(store, "current")
    filled = {
        names.SLOT_TRANSFER_AMOUNT: "100.00",
        names.SLOT_SOURCE_ACCOUNT: savings.id,
        names.SLOT_DESTINATION_ACCOUNT: current.id,
    }
    text, slots = validate_transfer(
        action_server,
        text="actually make it £300",
        entities=[entity("amount", "300")],
        customer=CUSTOMER,
        slots=filled,
        requested_slot=names.SLOT_TRANSFER_CONFIRMED,
        candidates={names.SLOT_TRANSFER_AMOUNT: "300"},
    )
    assert text == "No problem, I've changed the amount to £300.00."
    assert slots[names.SLOT_TRANSFER_AMOUNT] == "300.00"


def test_yes_to_the_stop_question_does_not_confirm_the_transfer(action_server: str) -> None:
    turn = Turn(
        text="yes",
        intent="affirm",
        customer=CUSTOMER,
        form=names.FORM_TRANSFER,
        requested_slot=names.SLOT_TRANSFER_CONFIRMED,
        earlier_events=[{"event": "action", "name": names.UTTER_ASK_CONFIRM_STOP}],
    )
    result = run_action(action_server, names.ACTION_VALIDATE_TRANSFER_FORM, turn)
    assert names.SLOT_TRANSFER_CONFIRMED not in result.slots()
    turn.earlier_events = []
    result = run_action(action_server, names.ACTION_VALIDATE_TRANSFER_FORM, turn)
    assert result.slots()[names.SLOT_TRANSFER_CONFIRMED] is True


def test_confirmation_summarises_with_buttons(action_server: str, store: ProfileStore) -> None:
    savings, current = account(store, "savings"), account(store, "current")
    turn = Turn(
        customer=CUSTOMER,
        slots={
            names.SLOT_TRANSFER_AMOUNT: "25.00",
            names.SLOT_SOURCE_ACCOUNT: savings.id,
            names.SLOT_DESTINATION_ACCOUNT: current.id,
        },
    )
    result = run_action(action_server, names.ACTION_ASK_TRANSFER_CONFIRMED, turn)
    assert f"move £25.00 from {savings.name}" in result.text and current.name in result.text
    assert [b["payload"] for b in result.responses[0]["buttons"]] == ["/affirm", "/deny"]


def test_source_question_offers_accounts_but_not_credit_cards(
    action_server: str, store: ProfileStore
) -> None:
    result = run_action(action_server, names.ACTION_ASK_SOURCE_ACCOUNT, Turn(customer=CUSTOMER))
    titles = " ".join(b["title"] for b in result.responses[0]["buttons"])
    for acc in store.accounts(CUSTOMER):
        assert (acc.name in titles) == (acc.kind != "credit_card")


def test_transfer_executes_and_reports_new_balances(action_server: str, store: ProfileStore) -> None:
    savings, current = account(store, "savings"), account(store, "current")
    slots = {
        names.SLOT_TRANSFER_AMOUNT: "250.00",
        names.SLOT_SOURCE_ACCOUNT: savings.id,
        names.SLOT_DESTINATION_ACCOUNT: current.id,
        names.SLOT_TRANSFER_CONFIRMED: True,
    }
    result = run_action(action_server, names.ACTION_EXECUTE_TRANSFER, Turn(customer=CUSTOMER, slots=slots))
    new_savings, new_current = account(store, "savings"), account(store, "current")
    assert new_savings.balance == savings.balance - Decimal("250.00")
    assert new_current.balance == current.balance + Decimal("250.00")
    assert format_money(new_savings.balance) in result.text
    assert format_money(new_current.balance) in result.text
    assert all(result.slots()[slot] is None for slot in names.TRANSFER_SLOTS)


def test_declined_transfer_moves_nothing(action_server: str, store: ProfileStore) -> None:
    savings, current = account(store, "savings"), account(store, "current")
    slots = {
        names.SLOT_TRANSFER_AMOUNT: "10.00",
        names.SLOT_SOURCE_ACCOUNT: savings.id,
        names.SLOT_DESTINATION_ACCOUNT: current.id,
        names.SLOT_TRANSFER_CONFIRMED: False,
    }
    result = run_action(action_server, names.ACTION_EXECUTE_TRANSFER, Turn(customer=CUSTOMER, slots=slots))
    assert "haven't moved any money" in result.text
    assert account(store, "savings").balance == savings.balance


def test_transfer_over_the_balance_fails_safely(action_server: str, store: ProfileStore) -> None:
    savings, current = account(store, "savings"), account(store, "current")
    slots = {
        names.SLOT_TRANSFER_AMOUNT: str(savings.available + 1),
        names.SLOT_SOURCE_ACCOUNT: savings.id,
        names.SLOT_DESTINATION_ACCOUNT: current.id,
        names.SLOT_TRANSFER_CONFIRMED: True,
    }
    result = run_action(action_server, names.ACTION_EXECUTE_TRANSFER, Turn(customer=CUSTOMER, slots=slots))
    assert "isn't enough money" in result.text
    assert account(store, "savings").balance == savings.balance
    assert result.slots()[names.SLOT_TRANSFER_AMOUNT] is None


# -- goal form ------------------------------------------------------------------------------


def validate_goal(server: str, **turn_args) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    result = run_action(server, names.ACTION_VALIDATE_GOAL_FORM, Turn(form=names.FORM_GOAL, **turn_args))
    return result.text, result.slots()


def test_goal_answers_are_normalised(action_server: str) -> None:
    text, slots = validate_goal(
        action_server,
        text="save 10k over two years, I'm cautious",
        intent="set_goal",
        entities=[
            entity("goal_type", "save"),
            entity("amount", "10k"),
            entity("duration", "two years"),
            entity("risk_level", "low"),
        ],
        customer=CUSTOMER,
        requested_slot=None,
        candidates={
            names.SLOT_GOAL_TYPE: "save",
            names.SLOT_GOAL_TARGET_AMOUNT: "10k",
            names.SLOT_GOAL_HORIZON_MONTHS: "two years",
            names.SLOT_RISK_TOLERANCE: "cautious",
        },
    )
    assert text == ""
    assert slots == {
        names.SLOT_GOAL_TYPE: "save",
        names.SLOT_GOAL_TARGET_AMOUNT: "10000.00",
        names.SLOT_GOAL_HORIZON_MONTHS: 24,
        names.SLOT_RISK_TOLERANCE: "low",
    }


def test_goal_horizon_correction_while_asked_something_else(action_server: str) -> None:
    filled = {
        names.SLOT_GOAL_TYPE: "save",
        names.SLOT_GOAL_TARGET_AMOUNT: "20000.00",
        names.SLOT_GOAL_HORIZON_MONTHS: 36,
    }
    text, slots = validate_goal(
        action_server,
        text="actually make it 5 years",
        entities=[entity("duration", "5 years")],
        customer=CUSTOMER,
        slots=filled,
        requested_slot=names.SLOT_RISK_TOLERANCE,
        candidates={names.SLOT_GOAL_HORIZON_MONTHS: "5 years"},
    )
    assert text == "No problem, I've changed the time frame to 5 years."
    assert slots[names.SLOT_GOAL_HORIZON_MONTHS] == 60


def test_goal_bad_horizon_is_re_asked(action_server: str) -> None:
    text, slots = validate_goal(
        action_server,
        text="60 years",
        entities=[entity("duration", "60 years")],
        customer=CUSTOMER,
        requested_slot=names.SLOT_GOAL_HORIZON_MONTHS,
        candidates={names.SLOT_GOAL_HORIZON_MONTHS: "60 years"},
    )
    assert text == replies.DURATION_PROBLEMS["out_of_range"]
    assert slots[names.SLOT_GOAL_HORIZON_MONTHS] is None


def test_goal_type_question_has_buttons(action_server: str) -> None:
    result = run_action(action_server, names.ACTION_ASK_GOAL_TYPE, Turn(customer=CUSTOMER))
    payloads = [b["payload"] for b in result.responses[0]["buttons"]]
    assert payloads == [f'/inform{{"goal_type":"{g}"}}' for g in ("save", "borrow", "invest", "protect")]


def test_goal_is_saved_and_summarised(action_server: str, store: ProfileStore) -> None:
    before = len(store.goals(CUSTOMER))
    slots = {
        names.SLOT_GOAL_TYPE: "save",
        names.SLOT_GOAL_TARGET_AMOUNT: "8000.00",
        names.SLOT_GOAL_HORIZON_MONTHS: 24,
        names.SLOT_RISK_TOLERANCE: "low",
        names.SLOT_MONTHLY_BUDGET: "350.00",
    }
    result = run_action(action_server, names.ACTION_SAVE_GOAL, Turn(customer=CUSTOMER, slots=slots))
    goals = store.goals(CUSTOMER)
    assert len(goals) == before + 1
    goal = goals[0]
    assert (
        goal.goal_type,
        goal.target_amount,
        goal.horizon_months,
        goal.risk_tolerance,
        goal.monthly_budget,
    ) == ("save", Decimal("8000.00"), 24, "low", Decimal("350.00"))
    assert "save £8,000.00 over 2 years" in result.text
    assert "gets you there in time" in result.text
    assert all(result.slots()[slot] is None for slot in names.GOAL_SLOTS)


def test_cancel_form_clears_every_form_slot(action_server: str) -> None:
    result = run_action(
        action_server,
        names.ACTION_CANCEL_FORM,
        Turn(customer=CUSTOMER, slots={names.SLOT_GOAL_TYPE: "save", names.SLOT_PAYMENT_AMOUNT: "5.00"}),
    )
    asked = {slot for form in domain()["forms"].values() for slot in form["required_slots"]}
    cleared = result.slots()
    assert asked | {names.SLOT_REQUESTED} <= set(cleared)
    assert all(value is None for value in cleared.values())


def test_server_serves_exactly_the_domain_actions(action_server: str) -> None:
    served = {a["name"] for a in httpx.get(f"{action_server}/actions", timeout=10).json()}
    assert served == set(domain()["actions"])
