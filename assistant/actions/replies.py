"""Texts the custom actions send (static answers live in assistant/domain.yml)."""

NO_CUSTOMER = (
    "I can't see which customer you are, so I can't look at your accounts right now. "
    "Please sign in again and retry."
)
SERVICE_UNAVAILABLE = "Sorry, I can't reach our account systems right now. Please try again in a few minutes."

AMOUNT_PROBLEMS = {
    "missing": "Sorry, I didn't catch an amount. Please type it like £250 or 1,200.50.",
    "unclear": "Sorry, I couldn't read that amount. Please type it like £250 or 1,200.50.",
    "not_positive": "The amount needs to be more than zero.",
    "too_many_decimals": "Amounts can have at most two decimal places, like £12.34.",
    "too_large": "That amount is larger than I can handle here.",
}
DURATION_PROBLEMS = {
    "missing": 'Sorry, I didn\'t catch a time frame. Try something like "18 months" or "5 years".',
    "out_of_range": "Please choose a time frame between 1 month and 50 years.",
}
RISK_PROBLEM = "Please choose low, medium or high risk."
GOAL_TYPE_PROBLEM = "I can help you save, borrow, invest or protect. Which is it?"

DID_YOU_MEAN = (
    "Did you mean one of these? If it's more than one, pick one first and ask me about the "
    "other next, or tell me in other words."
)
ENGLISH_ONLY = (
    "Sorry, I can only understand English for now. In English, I can help with your accounts, "
    "cards, payments, savings goals and questions about our products, or pass you to a colleague."
)
ALSO_ASKED = 'It sounds like you also asked about "{label}": tap below when you\'re ready for that.'
OTHER_BANK = (
    "I can only help with accounts and cards you hold with us, so for {bank} please contact them "
    "directly. Here, I can help with your accounts, cards, payments and financial goals."
)
