"""Trains and exports an `EncoderClassifier` to ONNX and quantises it to int8 for CPU inference.

The bundle folder holds everything `OnnxTextClassifier.load` needs: `model.onnx`,
`tokenizer.json`, `labels.json` and `meta.json`. Export uses torch's TorchScript-based
exporter (no `onnxscript`), then onnxruntime's BERT graph fusions and dynamic per-channel
int8 quantisation of the weights (about 23 MB instead of 91 MB; measured 3.4 ms instead of
7 ms p50 per message on one core).
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import torch

from assistant.components.encoder_training import EncoderClassifier, train_classifier
from assistant.components.onnx_text_classifier import (
    LABELS_FILE,
    META_FILE,
    MODEL_FILE,
    TOKENIZER_FILE,
)
from assistant.components.training_config import TrainingSettings

logger = logging.getLogger(__name__)
OPSET = 17


def export_bundle(model: EncoderClassifier, tokenizer: Any, labels: Sequence[str],
                  directory: Path, meta: dict[str, Any], quantize: bool = True) -> None:
    """Writes the model as (int8) ONNX with its tokenizer, labels and metadata.

    Args:
        model: The trained classifier.
        tokenizer: Its Hugging Face fast tokenizer.
        labels: Label names in the order of the model's outputs.
        directory: The bundle folder (created if needed).
        meta: Settings kept beside the model (max_length, thresholds, ...).
        quantize: Quantise the weights to int8 (per channel).
    """
    from onnxruntime.transformers import optimizer

    directory.mkdir(parents=True, exist_ok=True)
    model.eval()
    sample = tokenizer(["a short sample", "a sample"], padding=True, return_tensors="pt")
    with tempfile.TemporaryDirectory() as tmp:
        float_path = Path(tmp) / "float.onnx"
        fused_path = Path(tmp) / "fused.onnx"
        with torch.no_grad():
            torch.onnx.export(
                model, (sample["input_ids"], sample["attention_mask"]), str(float_path),
                input_names=["input_ids", "attention_mask"],
                output_names=["logits", "embedding"],
                dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                              "attention_mask": {0: "batch", 1: "sequence"},
                              "logits": {0: "batch"}, "embedding": {0: "batch"}},
                opset_version=OPSET, dynamo=False)
        config = model.encoder.config
        with _quiet_root_logger():
            fused = optimizer.optimize_model(str(float_path), model_type="bert",
                                             num_heads=config.num_attention_heads,
                                             hidden_size=config.hidden_size, opt_level=1)
            fused.save_model_to_file(str(fused_path))
            if quantize:
                _quantize(fused_path, directory / MODEL_FILE)
            else:
                fused_path.replace(directory / MODEL_FILE)
    tokenizer.backend_tokenizer.save(str(directory / TOKENIZER_FILE))
    (directory / LABELS_FILE).write_text(json.dumps(list(labels)), encoding="utf-8")
    (directory / META_FILE).write_text(json.dumps({**meta, "quantized": quantize}, indent=2),
                                       encoding="utf-8")


@contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """onnxruntime's graph optimiser and quantiser log every node at INFO: keep WARNING+."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.WARNING)
    try:
        yield
    finally:
        root.setLevel(level)


def _quantize(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), per_channel=True, weight_type=QuantType.QInt8,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


def train_bundle(encoder_dir: Path, texts: Sequence[str], labels: Sequence[str],
                 settings: TrainingSettings, directory: Path, quantize: bool = True) -> list[str]:
    """Trains a classifier on labelled texts and writes it as an ONNX bundle.

    Args:
        encoder_dir: The pre-trained encoder's folder.
        texts: Training texts.
        labels: The label of each text.
        settings: How to train.
        directory: The bundle folder to write.
        quantize: Quantise the weights to int8.

    Returns:
        The label names in the order of the model's outputs (sorted).
    """
    model, tokenizer, names = train_labelled(encoder_dir, texts, labels, settings)
    export_bundle(model, tokenizer, names, directory, {"max_length": settings.max_length},
                  quantize=quantize)
    return names


def train_labelled(encoder_dir: Path, texts: Sequence[str], labels: Sequence[str],
                   settings: TrainingSettings) -> tuple[EncoderClassifier, Any, list[str]]:
    """Trains a classifier on texts labelled by name: the model, its tokenizer and the label
    names in the order of the model's outputs (sorted)."""
    names = sorted(set(labels))
    index = {name: i for i, name in enumerate(names)}
    model, tokenizer = train_classifier(encoder_dir, texts, [index[label] for label in labels],
                                        len(names), settings)
    return model, tokenizer, names
