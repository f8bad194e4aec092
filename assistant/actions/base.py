"""A base class for actions that read or change the signed-in customer's profile."""

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from assistant import names
from assistant.actions import replies
from assistant.actions.conversation import customer_id
from assistant.actions.profiles import get_store
from bank.errors import ProfileStoreError, UnknownCustomer
from bank.store import ProfileStore

logger = logging.getLogger(__name__)


class CustomerAction(Action, ABC):
    """Runs ``act`` for the signed-in customer and turns failures into polite replies.

    Subclasses implement ``name`` and ``act``. A missing or unknown customer gets
    ``replies.NO_CUSTOMER``; a store error its customer-safe message; a database
    failure ``replies.SERVICE_UNAVAILABLE`` (logged without personal data).
    """

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        """Do the work for ``customer`` and return the events to apply."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        customer = customer_id(tracker)
        if customer is None:
            dispatcher.utter_message(text=replies.NO_CUSTOMER)
            return []
        events: list[EventType] = []
        if tracker.get_slot(names.SLOT_CUSTOMER_ID) != customer:
            events.append(SlotSet(names.SLOT_CUSTOMER_ID, customer))
        try:
            return events + self.act(dispatcher, tracker, get_store(), customer)
        except UnknownCustomer:
            dispatcher.utter_message(text=replies.NO_CUSTOMER)
        except ProfileStoreError as error:
            dispatcher.utter_message(text=str(error))
        except SQLAlchemyError as error:
            logger.error("profile store unavailable in %s: %s", self.name(), type(error).__name__)
            dispatcher.utter_message(text=replies.SERVICE_UNAVAILABLE)
        return events + self.on_failure()

    def on_failure(self) -> list[EventType]:
        """Events to apply when ``act`` failed (none by default)."""
        return []
