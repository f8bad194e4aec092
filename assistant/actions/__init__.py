"""Custom actions of the banking bot, served by the Rasa SDK action server.

Run with ``SANIC_HOST=127.0.0.1 .venv/bin/python -m rasa_sdk --actions assistant.actions
--port 5055`` (the SDK binds ``SANIC_HOST``, every interface by default); the SDK imports
every module of this package and registers its ``Action`` classes. Nothing here opens a
database at import time: the profile store is built on first use
(``assistant.actions.profiles.get_store``). Who the customer is comes only from the
verified customer assertion (``assistant.actions.trust``).
"""
