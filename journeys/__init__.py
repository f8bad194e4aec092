"""Customer journeys: Rasa events turned into journeys, their metrics, friction and experiments.

``consumer.JourneyConsumer`` ingests Rasa tracker events (from the SQL tracker store or the
RabbitMQ event broker) idempotently; ``metrics`` and ``friction`` read the store;
``experiments`` assigns customers to arms and evaluates them.
"""
