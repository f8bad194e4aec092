"""Starts and stops the local stack (action server, Rasa, API) as real processes."""
