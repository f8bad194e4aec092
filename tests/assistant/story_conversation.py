"""The end-to-end test stories, one after another, as the events of one long conversation.

Imported by the Rasa-side scripts of the tests (it runs inside Rasa's environment).
"""

from __future__ import annotations

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

TEST_STORIES = "assistant/tests/test_stories.yml"


def story_conversation(domain: Domain, path: str = TEST_STORIES) -> list[Event]:
    """Every story's events in order, each story after the bot listens; the customer's
    messages keep their text, intent and entities."""
    events: list[Event] = [ActionExecuted("action_listen")]
    for step in YAMLStoryReader(domain).read_from_file(path):
        for event in step.events:
            events.append(UserUttered(event.text, event.intent, event.entities)
                          if isinstance(event, UserUttered) else event)
        if not isinstance(events[-1], ActionExecuted) or events[-1].action_name != "action_listen":
            events.append(ActionExecuted("action_listen"))
    return events
