"""Customer journeys: Rasa events turned into journeys, their metrics, friction and experiments.

``consumer.JourneyConsumer`` ingests Rasa tracker events (from the SQL tracker store or the
RabbitMQ event broker) idempotently; ``summary`` rebuilds each journey from its steps (with
``payments``: the payment forms' runs started, warned, stopped and completed); ``metrics`` and
``friction`` read the store; ``experiments`` assigns customers to arms and evaluates them.
"""
