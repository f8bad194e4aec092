"""Our named-entity tagger: a small averaged perceptron, fast enough for every message."""
