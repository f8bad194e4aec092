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

# --- entities ------------------------------------------------------------------------
ENTITY_AMOUNT: Final = "amount"
ENTITY_ACCOUNT_TYPE: Final = "account_type"
ENTITY_DURATION: Final = "duration"
ENTITY_DATE: Final = "date"
ENTITY_GOAL_TYPE: Final = "goal_type"
ENTITY_RISK_LEVEL: Final = "risk_level"
ENTITY_REC_ID: Final = "rec_id"
ENTITY_FEEDBACK: Final = "feedback"
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
ACTION_LISTEN: Final = "action_listen"

# --- custom payloads the front service and its pages act on --------------------------------
PAYLOAD_SIGN_IN_REQUIRED: Final = "sign_in_required"
PAYLOAD_STEP_UP_REQUIRED: Final = "step_up_required"

# --- responses the Python code refers to ------------------------------------------------
UTTER_ASK_CONFIRM_STOP: Final = "utter_ask_confirm_stop"
