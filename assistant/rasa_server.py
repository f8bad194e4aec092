"""Rasa's command line (``python -m assistant.rasa_server run ...``), with the action server's
replies validated by a compiled schema.

Rasa checks every action server reply with ``jsonschema.validate``, which first checks the
schema itself against its metaschema, on every call: in a profile of our turns that cost
more than the HTTP call to the action server (docs/performance.md). Here the schema is
checked once and its validator reused; a reply that does not match is refused as before.
Runs inside Rasa's environment; the stack and docker-compose.yml start Rasa this way.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@cache
def reply_validator() -> Any:
    """The validator of an action server's reply (Rasa's schema, checked once)."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the compiled validator: ``True``, or
    ``jsonschema.ValidationError`` with Rasa's explanation added."""
    error = jsonschema.exceptions.best_match(reply_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def main() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
