"""Custom Rasa 3.6 graph components: a MiniLM intent classifier and a sentiment analyser.

Import the components by their module path in `config.yml`, e.g.
`assistant.components.transformer_intent_classifier.TransformerIntentClassifier`.
Nothing heavy is imported here.
"""
