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
