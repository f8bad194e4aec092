"""Our named-entity tagger: persons, organisations, places, titles and whole postal addresses.

A structured perceptron over hand-made features (word shape, neighbours, word lists of
names and places, English word frequency), decoded with Viterbi over BIO labels; about a
millisecond per message in pure Python and NumPy. Modules:

* :mod:`~privacy.ner.tokens`, :mod:`~privacy.ner.features`, :mod:`~privacy.ner.gazetteer`:
  what the tagger sees;
* :mod:`~privacy.ner.tagger`: the model (Viterbi decoding, loading and saving);
* :mod:`~privacy.ner.recognizer`: the Presidio recognizer around it;
* :mod:`~privacy.ner.templates`, :mod:`~privacy.ner.synth`: synthetic training sentences;
* :mod:`~privacy.ner.training`, :mod:`~privacy.ner.train`: training
  (``nice -n 15 .venv/bin/python -m privacy.ner.train``, a few minutes; needs the ``dev``
  extras ``faker`` and ``wordfreq``; the same seed gives the same model file).

Its quality is measured by ``bench/pii.py`` on presidio-research's format; the training
data is generated from our own templates only, never from an evaluation set.
"""
