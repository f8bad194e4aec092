"""Errors of the profile store.

Messages are safe to show to the customer: they never contain names, ids or amounts.
``code`` is a stable machine-readable name (for HTTP mapping and bot responses).
"""


class ProfileStoreError(Exception):
    """Base class of every error raised by ``bank``."""

    code = "profile_store_error"
    default_message = "Something went wrong with your request."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class UnknownCustomer(ProfileStoreError):
    code = "unknown_customer"
    default_message = "We couldn't find your customer profile."


class UnknownAccount(ProfileStoreError):
    code = "unknown_account"
    default_message = "We couldn't find that account among yours."


class UnknownCard(ProfileStoreError):
    code = "unknown_card"
    default_message = "We couldn't find that card among yours."


class AmbiguousCard(ProfileStoreError):
    code = "ambiguous_card"
    default_message = "You have more than one active card; please say which one."


class NoActiveCard(ProfileStoreError):
    code = "no_active_card"
    default_message = "There is no active card to change."


class InsufficientFunds(ProfileStoreError):
    code = "insufficient_funds"
    default_message = "There isn't enough money available in that account."


class InvalidAmount(ProfileStoreError):
    code = "invalid_amount"
    default_message = "The amount must be more than zero with at most two decimal places."


class SameAccount(ProfileStoreError):
    code = "same_account"
    default_message = "The accounts to transfer from and to must be different."


class InvalidReference(ProfileStoreError):
    code = "invalid_reference"
    default_message = "A payment reference can have at most 18 letters, digits or spaces."


class InvalidGoal(ProfileStoreError):
    code = "invalid_goal"
    default_message = "That goal isn't valid; please check its type, horizon and risk level."


class UnknownTransfer(ProfileStoreError):
    code = "unknown_transfer"
    default_message = "We couldn't find that transfer among yours."


class TransferAlreadyCancelled(ProfileStoreError):
    code = "transfer_already_cancelled"
    default_message = "That transfer has already been cancelled, so no money will leave your account."


class TransferNotCancellable(ProfileStoreError):
    code = "transfer_not_cancellable"
    default_message = (
        "That transfer can no longer be cancelled: it has been sent or its time to cancel has passed."
    )


class InvalidSortCode(ProfileStoreError):
    code = "invalid_sort_code"
    default_message = "A sort code is 6 digits, like 12-34-56."


class InvalidAccountNumber(ProfileStoreError):
    code = "invalid_account_number"
    default_message = "A UK account number is 8 digits."


class InvalidPayeeName(ProfileStoreError):
    code = "invalid_payee_name"
    default_message = (
        "A name can have up to 70 letters, digits, spaces and the characters ' - . , & ( ) /, "
        "and no emoji."
    )


class PaymentToSelf(ProfileStoreError):
    code = "payment_to_self"
    default_message = (
        "That is one of your own accounts: a payment to oneself is a transfer between your accounts."
    )


class UnknownPayee(ProfileStoreError):
    code = "unknown_payee"
    default_message = "We couldn't find that payee among yours."


class DuplicatePayee(ProfileStoreError):
    code = "duplicate_payee"
    default_message = "You already have a payee with that sort code and account number."


class PaymentLimitExceeded(ProfileStoreError):
    code = "payment_limit_exceeded"
    default_message = "That is more than we allow in a single payment."


class NewPayeeLimitExceeded(ProfileStoreError):
    code = "new_payee_limit_exceeded"
    default_message = "That is more than we allow in the first payment to a new payee."


class DailyLimitExceeded(ProfileStoreError):
    code = "daily_limit_exceeded"
    default_message = "That payment would take you over your daily limit for payments."


class InvalidPaymentDate(ProfileStoreError):
    code = "invalid_payment_date"
    default_message = "A payment date must be today or a day within the next year."


class IdempotencyConflict(ProfileStoreError):
    code = "idempotency_conflict"
    default_message = "That request key was already used for a different payment."


class InvalidIdempotencyKey(ProfileStoreError):
    code = "invalid_idempotency_key"
    default_message = "A request key is 1 to 64 letters, digits, dashes or underscores."


class UnknownPayment(ProfileStoreError):
    code = "unknown_payment"
    default_message = "We couldn't find that payment among yours."


class PaymentNotCancellable(ProfileStoreError):
    code = "payment_not_cancellable"
    default_message = "Only a scheduled payment or one held for review can be cancelled."


class PaymentNotInReview(ProfileStoreError):
    code = "payment_not_in_review"
    default_message = "That payment is not held for review."


class UnknownStandingOrder(ProfileStoreError):
    code = "unknown_standing_order"
    default_message = "We couldn't find that standing order among yours."


class StandingOrderAlreadyCancelled(ProfileStoreError):
    code = "standing_order_already_cancelled"
    default_message = "That standing order has already been cancelled."


class NotACreditCard(ProfileStoreError):
    code = "not_a_credit_card"
    default_message = "That account is not a credit card."


class NoCardStatement(ProfileStoreError):
    code = "no_card_statement"
    default_message = "That credit card has no statement yet: please name an amount to repay."


class NothingToRepay(ProfileStoreError):
    code = "nothing_to_repay"
    default_message = "There is nothing left to repay for that choice."


class RepaymentTooLarge(ProfileStoreError):
    code = "repayment_too_large"
    default_message = "That is more than you owe on the credit card."


class InvalidRepaymentChoice(ProfileStoreError):
    code = "invalid_repayment_choice"
    default_message = "Choose the minimum payment, the full statement balance, or an amount."


class InvalidBudget(ProfileStoreError):
    code = "invalid_budget"
    default_message = "A monthly budget has to be more than £0 and no more than £100,000."


class NotABudgetCategory(ProfileStoreError):
    code = "not_a_budget_category"
    default_message = "Budgets are for spending categories, not for income."


class UnknownBudget(ProfileStoreError):
    code = "unknown_budget"
    default_message = "There's no budget for that category."


class UnknownTransaction(ProfileStoreError):
    code = "unknown_transaction"
    default_message = "There's no such transaction on your accounts."


class NotACategory(ProfileStoreError):
    code = "not_a_category"
    default_message = "That isn't one of our spending categories."
