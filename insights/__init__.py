"""Money insights: what the customer's transactions say about their spending."""
