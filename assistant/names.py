"""Intent, entity, slot, form and action names shared by the bot's Python code.

The YAML files (domain, stories, NLU data) spell the same names; every Python module
imports them from here so that a rename happens in one place.
"""

from typing import Final

# --- intents -------------------------------------------------------------------------
INTENT_AFFIRM: Final = "affirm"
INTENT_DENY: Final = "deny"
INTENT_INFORM: Final = "inform"
INTENT_STOP: Final = "stop"
INTENT_TRANSFER_MONEY: Final = "transfer_money"
INTENT_SET_GOAL: Final = "set_goal"
INTENT_NLU_FALLBACK: Final = "nlu_fallback"
INTENT_REQUEST_HUMAN: Final = "request_human"
INTENT_RECOMMENDATION_FEEDBACK: Final = "recommendation_feedback"
# Sent by the front service (never typed, no NLU examples) once the customer has signed in.
INTENT_SIGNED_IN: Final = "signed_in"
INTENT_PAY_PAYEE: Final = "pay_payee"
INTENT_SET_UP_STANDING_ORDER: Final = "set_up_standing_order"
INTENT_CANCEL_STANDING_ORDER: Final = "cancel_standing_order"
INTENT_SET_BUDGET: Final = "set_budget"
INTENT_REMOVE_BUDGET: Final = "remove_budget"
# Questions about what happened to a payment, a transfer, a top-up or a card
# (answered from the profile store: assistant/actions/*, assistant/data/rules_account_status.yml).
INTENT_CARD_ARRIVAL: Final = "card_arrival"
INTENT_CARD_DECLINED: Final = "card_declined"
INTENT_DECLINED_CASH_WITHDRAWAL: Final = "declined_cash_withdrawal"
INTENT_DECLINED_TRANSFER: Final = "declined_transfer"
INTENT_PENDING_CARD_PAYMENT: Final = "pending_card_payment"
INTENT_PENDING_CASH_WITHDRAWAL: Final = "pending_cash_withdrawal"
INTENT_PENDING_TRANSFER: Final = "pending_transfer"
INTENT_PENDING_TOP_UP: Final = "pending_top_up"
INTENT_BALANCE_NOT_UPDATED_AFTER_BANK_TRANSFER: Final = "balance_not_updated_after_bank_transfer"
INTENT_BALANCE_NOT_UPDATED_AFTER_DEPOSIT: Final = "balance_not_updated_after_cheque_or_cash_deposit"
INTENT_CANCEL_TRANSFER: Final = "cancel_transfer"
INTENT_TRANSACTION_CHARGED_TWICE: Final = "transaction_charged_twice"
INTENT_CARD_PAYMENT_WRONG_EXCHANGE_RATE: Final = "card_payment_wrong_exchange_rate"
INTENT_WRONG_EXCHANGE_RATE_FOR_CASH_WITHDRAWAL: Final = "wrong_exchange_rate_for_cash_withdrawal"
INTENT_TOP_UP_FAILED: Final = "top_up_failed"
INTENT_TOP_UP_REVERTED: Final = "top_up_reverted"
# Searching transactions ("how much did I spend at Tesco last month") and the next page of results.
INTENT_SEARCH_TRANSACTIONS: Final = "search_transactions"
INTENT_SHOW_MORE_TRANSACTIONS: Final = "show_more_transactions"

# --- entities ------------------------------------------------------------------------
ENTITY_AMOUNT: Final = "amount"
ENTITY_ACCOUNT_TYPE: Final = "account_type"
ENTITY_DURATION: Final = "duration"
ENTITY_DATE: Final = "date"
ENTITY_GOAL_TYPE: Final = "goal_type"
ENTITY_RISK_LEVEL: Final = "risk_level"
ENTITY_REC_ID: Final = "rec_id"
ENTITY_FEEDBACK: Final = "feedback"
ENTITY_PAYEE_ID: Final = "payee_id"  # set by our payee buttons only
ENTITY_CHOICE: Final = "choice"  # set by our option buttons only ("now", "minimum", "full")
ENTITY_STANDING_ORDER_ID: Final = "standing_order_id"  # set by our standing-order buttons only
ROLE_SOURCE: Final = "source"
ROLE_DESTINATION: Final = "destination"

# --- slots ---------------------------------------------------------------------------
SLOT_CUSTOMER_ID: Final = "customer_id"  # informational: never read for access
SLOT_PENDING_ACTION: Final = "pending_action"  # what resumes once the customer signs in
SLOT_CHANNEL: Final = "channel"
SLOT_HANDOFF_REQUESTED: Final = "handoff_requested"
SLOT_REQUESTED: Final = "requested_slot"
SLOT_SESSION_STARTED_METADATA: Final = "session_started_metadata"
SLOT_SHOWN_RECOMMENDATIONS: Final = "shown_recommendations"
SLOT_TRANSFER_TO_CANCEL: Final = "transfer_to_cancel"  # the transfer offered for cancelling
SLOT_SEARCH_QUERY: Final = "search_query"  # the latest transaction search, for "show more"
SLOT_SEARCH_PAGE: Final = "search_page"  # the page of it last shown

SLOT_PAYEE_ID: Final = "payee_id"
SLOT_PAYMENT_AMOUNT: Final = "payment_amount"
SLOT_PAYMENT_REFERENCE: Final = "payment_reference"
SLOT_PAYMENT_WHEN: Final = "payment_when"
SLOT_PAYMENT_CONFIRMED: Final = "payment_confirmed"
SLOT_PAYMENT_FREQUENCY: Final = "payment_frequency"  # once, weekly or monthly (a standing order)
PAYMENT_SLOTS: Final = (SLOT_PAYEE_ID, SLOT_PAYMENT_AMOUNT, SLOT_PAYMENT_FREQUENCY, SLOT_PAYMENT_REFERENCE,
                        SLOT_PAYMENT_WHEN, SLOT_PAYMENT_CONFIRMED)
SLOT_STANDING_ORDER_TO_CANCEL: Final = "standing_order_to_cancel"  # offered for cancelling
SLOT_BUDGET_CATEGORY: Final = "budget_category"  # the category a budget amount is asked for
SLOT_REPAYMENT_CHOICE: Final = "repayment_choice"
SLOT_REPAYMENT_CONFIRMED: Final = "repayment_confirmed"
REPAYMENT_SLOTS: Final = (SLOT_REPAYMENT_CHOICE, SLOT_REPAYMENT_CONFIRMED)

SLOT_TRANSFER_AMOUNT: Final = "transfer_amount"
SLOT_SOURCE_ACCOUNT: Final = "source_account"
SLOT_DESTINATION_ACCOUNT: Final = "destination_account"
SLOT_TRANSFER_CONFIRMED: Final = "transfer_confirmed"
TRANSFER_SLOTS: Final = (
    SLOT_TRANSFER_AMOUNT,
    SLOT_SOURCE_ACCOUNT,
    SLOT_DESTINATION_ACCOUNT,
    SLOT_TRANSFER_CONFIRMED,
)

SLOT_GOAL_TYPE: Final = "goal_type"
SLOT_GOAL_TARGET_AMOUNT: Final = "goal_target_amount"
SLOT_GOAL_HORIZON_MONTHS: Final = "goal_horizon_months"
SLOT_RISK_TOLERANCE: Final = "risk_tolerance"
SLOT_MONTHLY_BUDGET: Final = "monthly_budget"
GOAL_SLOTS: Final = (
    SLOT_GOAL_TYPE,
    SLOT_GOAL_TARGET_AMOUNT,
    SLOT_GOAL_HORIZON_MONTHS,
    SLOT_RISK_TOLERANCE,
    SLOT_MONTHLY_BUDGET,
)

# --- forms ---------------------------------------------------------------------------
FORM_TRANSFER: Final = "transfer_form"
FORM_PAYMENT: Final = "payment_form"
FORM_CARD_REPAYMENT: Final = "card_repayment_form"
FORM_GOAL: Final = "goal_form"

# --- custom actions ------------------------------------------------------------------
ACTION_SESSION_START: Final = "action_session_start"
ACTION_CHECK_BALANCE: Final = "action_check_balance"
ACTION_ACCOUNT_DETAILS: Final = "action_account_details"
ACTION_RECENT_TRANSACTIONS: Final = "action_recent_transactions"
ACTION_FREEZE_CARD: Final = "action_freeze_card"
ACTION_VALIDATE_TRANSFER_FORM: Final = "validate_transfer_form"
ACTION_ASK_TRANSFER_AMOUNT: Final = "action_ask_transfer_amount"
ACTION_ASK_SOURCE_ACCOUNT: Final = "action_ask_source_account"
ACTION_ASK_DESTINATION_ACCOUNT: Final = "action_ask_destination_account"
ACTION_ASK_TRANSFER_CONFIRMED: Final = "action_ask_transfer_confirmed"
ACTION_EXECUTE_TRANSFER: Final = "action_execute_transfer"
ACTION_VALIDATE_GOAL_FORM: Final = "validate_goal_form"
ACTION_ASK_GOAL_TYPE: Final = "action_ask_goal_type"
ACTION_ASK_GOAL_TARGET_AMOUNT: Final = "action_ask_goal_target_amount"
ACTION_ASK_GOAL_HORIZON_MONTHS: Final = "action_ask_goal_horizon_months"
ACTION_ASK_RISK_TOLERANCE: Final = "action_ask_risk_tolerance"
ACTION_ASK_MONTHLY_BUDGET: Final = "action_ask_monthly_budget"
ACTION_SAVE_GOAL: Final = "action_save_goal"
ACTION_RECOMMEND_PRODUCTS: Final = "action_recommend_products"
ACTION_RECOMMENDATION_FEEDBACK: Final = "action_recommendation_feedback"
ACTION_REQUEST_HUMAN: Final = "action_request_human"
ACTION_CANCEL_FORM: Final = "action_cancel_form"
ACTION_RESUME_PENDING: Final = "action_resume_pending"
ACTION_CARD_DELIVERY_STATUS: Final = "action_card_delivery_status"
ACTION_DECLINED_PAYMENTS: Final = "action_declined_payments"
ACTION_PENDING_PAYMENTS: Final = "action_pending_payments"
ACTION_CANCEL_TRANSFER: Final = "action_cancel_transfer"
ACTION_DUPLICATE_CHARGES: Final = "action_duplicate_charges"
ACTION_EXCHANGE_DETAILS: Final = "action_exchange_details"
ACTION_TOP_UPS: Final = "action_top_ups"
ACTION_SEARCH_TRANSACTIONS: Final = "action_search_transactions"
ACTION_LIST_PAYEES: Final = "action_list_payees"
ACTION_ADD_PAYEE: Final = "action_add_payee"
ACTION_VALIDATE_PAYMENT_FORM: Final = "validate_payment_form"
ACTION_ASK_PAYEE_ID: Final = "action_ask_payee_id"
ACTION_ASK_PAYMENT_AMOUNT: Final = "action_ask_payment_amount"
ACTION_ASK_PAYMENT_REFERENCE: Final = "action_ask_payment_reference"
ACTION_ASK_PAYMENT_WHEN: Final = "action_ask_payment_when"
ACTION_ASK_PAYMENT_FREQUENCY: Final = "action_ask_payment_frequency"
ACTION_LIST_STANDING_ORDERS: Final = "action_list_standing_orders"
ACTION_CANCEL_STANDING_ORDER: Final = "action_cancel_standing_order"
ACTION_SPENDING_BREAKDOWN: Final = "action_spending_breakdown"
ACTION_SET_BUDGET: Final = "action_set_budget"
ACTION_REMOVE_BUDGET: Final = "action_remove_budget"
ACTION_BUDGET_STATUS: Final = "action_budget_status"
ACTION_GOAL_PROGRESS: Final = "action_goal_progress"
ACTION_CORRECT_CATEGORY: Final = "action_correct_category"
ACTION_ASK_PAYMENT_CONFIRMED: Final = "action_ask_payment_confirmed"
ACTION_EXECUTE_PAYMENT: Final = "action_execute_payment"
ACTION_VALIDATE_CARD_REPAYMENT_FORM: Final = "validate_card_repayment_form"
ACTION_ASK_REPAYMENT_CHOICE: Final = "action_ask_repayment_choice"
ACTION_ASK_REPAYMENT_CONFIRMED: Final = "action_ask_repayment_confirmed"
ACTION_EXECUTE_CARD_REPAYMENT: Final = "action_execute_card_repayment"
ACTION_ANSWER: Final = "action_answer"
ACTION_CLARIFY: Final = "action_clarify"
ACTION_LISTEN: Final = "action_listen"

# --- custom payloads the front service and its pages act on --------------------------------
PAYLOAD_SIGN_IN_REQUIRED: Final = "sign_in_required"
PAYLOAD_STEP_UP_REQUIRED: Final = "step_up_required"
PAYLOAD_TRANSACTIONS: Final = "transactions"  # a table of transactions (web chat: chat.js)
PAYLOAD_PAYEES: Final = "payees"  # the customer's payees by id (web chat labels them from the API)
PAYLOAD_ADD_PAYEE: Final = "add_payee"  # the web chat's form for a new payee (the API adds it)
PAYLOAD_PAYMENT_WARNING: Final = "payment_warning"  # a scam warning before a payment
PAYLOAD_SPENDING_CHART: Final = "spending_chart"  # spending by category (web chat: spending_chart.js)

# --- responses the Python code refers to ------------------------------------------------
UTTER_ASK_CONFIRM_STOP: Final = "utter_ask_confirm_stop"
UTTER_REPHRASE: Final = "utter_rephrase"
