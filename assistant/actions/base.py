"""A base class for actions that read or change the signed-in customer's profile."""

import logging
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from assistant import names
from assistant.actions import replies
from assistant.actions.conversation import customer_assertion
from assistant.actions.profiles import get_store
from assistant.actions.sign_in import ask_to_sign_in, ask_to_step_up
from assistant.actions.trust import get_checker
from bank.errors import ProfileStoreError, UnknownCustomer
from bank.store import ProfileStore

logger = logging.getLogger(__name__)


class CustomerAction(Action, ABC):
    """Runs ``act`` for the verified customer and turns failures into polite replies.

    The customer comes only from the latest message's valid customer assertion. While the
    conversation is anonymous the action asks the customer to sign in and touches nothing;
    a sensitive action (``needs_recent_login``) asks for a step-up when the login is not
    recent enough. Either way ``resume_as`` (the action itself by default, None for none)
    is remembered to run again after ``/signed_in``. An unknown customer gets
    ``replies.NO_CUSTOMER``; a store error its customer-safe message; a database failure
    ``replies.SERVICE_UNAVAILABLE`` (logged without personal data).
    """

    resume: ClassVar[bool] = True

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

    def resume_as(self) -> str | None:
        """The action (or form) to run again once the customer has signed in."""
        return self.name() if self.resume else None

    def needs_recent_login(self, tracker: Tracker) -> bool:
        """Whether this run changes something that needs a recent login (no by default)."""
        return False

    def on_step_up(self) -> list[EventType]:
        """Events to apply when a step-up is asked instead of acting (none by default)."""
        return []

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        assertion = customer_assertion(tracker, self.name())
        if assertion is None:
            return ask_to_sign_in(dispatcher, tracker, self.resume_as())
        if self.needs_recent_login(tracker) and not get_checker().is_recent(assertion):
            return self.on_step_up() + ask_to_step_up(dispatcher, tracker, self.resume_as() or self.name())
        customer = assertion.customer_id
        events: list[EventType] = []
        if tracker.get_slot(names.SLOT_CUSTOMER_ID) != customer:
            events.append(SlotSet(names.SLOT_CUSTOMER_ID, customer))  # informational only
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
