"""Runs an exported text classifier bundle with ONNX Runtime (no torch at inference).

A bundle is a folder written by `onnx_export.export_bundle`: `model.onnx` (outputs
`logits` and `embedding`), `tokenizer.json`, `labels.json` and `meta.json`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.components.exceptions import ModelFilesError

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
LABELS_FILE = "labels.json"
META_FILE = "meta.json"
BATCH_SIZE = 32


@dataclass(frozen=True)
class Prediction:
    """Class probabilities and unit-length sentence embeddings for a batch of texts."""

    probabilities: np.ndarray
    embeddings: np.ndarray


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    scaled = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


class OnnxTextClassifier:
    """An ONNX Runtime session with its tokenizer and label names."""

    def __init__(self, session: Any, tokenizer: Any, labels: list[str],
                 meta: dict[str, Any]) -> None:
        """Wraps a loaded session; use `load` to read a bundle."""
        self.session = session
        self.tokenizer = tokenizer
        self.labels = labels
        self.meta = meta

    @classmethod
    def load(cls, directory: Path, threads: int = 1) -> OnnxTextClassifier:
        """Loads a bundle folder.

        Args:
            directory: The folder written by `export_bundle`.
            threads: ONNX Runtime intra-op threads (1 measured fastest per message).

        Raises:
            ModelFilesError: If a file of the bundle is missing.
        """
        import onnxruntime
        from tokenizers import Tokenizer

        missing = [name for name in (MODEL_FILE, TOKENIZER_FILE, LABELS_FILE, META_FILE)
                   if not (directory / name).exists()]
        if missing:
            raise ModelFilesError(f"model bundle {directory} lacks {', '.join(missing)}; "
                                  "retrain with `rasa train`")
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        labels = json.loads((directory / LABELS_FILE).read_text(encoding="utf-8"))
        tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        tokenizer.enable_truncation(max_length=int(meta.get("max_length", 128)))
        tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        session = onnxruntime.InferenceSession(str(directory / MODEL_FILE), options,
                                               providers=["CPUExecutionProvider"])
        return cls(session, tokenizer, labels, meta)

    def predict(self, texts: Sequence[str]) -> Prediction:
        """Class probabilities and unit-length sentence embeddings for each text.

        Texts are batched by length so that little padding is computed.
        """
        n = len(texts)
        probabilities = np.zeros((n, len(self.labels)), dtype=np.float32)
        embeddings = np.zeros((n, 0), dtype=np.float32)
        if n == 0:
            return Prediction(probabilities, embeddings)
        encodings = self.tokenizer.encode_batch([text or "" for text in texts])
        order = sorted(range(n), key=lambda i: len(encodings[i].ids))
        for start in range(0, n, BATCH_SIZE):
            rows = order[start:start + BATCH_SIZE]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for row, i in enumerate(rows):
                length = len(encodings[i].ids)
                ids[row, :length] = encodings[i].ids
                mask[row, :length] = 1
            logits, pooled = self.session.run(["logits", "embedding"],
                                              {"input_ids": ids, "attention_mask": mask})
            if embeddings.shape[1] == 0:
                embeddings = np.zeros((n, pooled.shape[1]), dtype=np.float32)
            probabilities[rows] = softmax(logits)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            embeddings[rows] = pooled / np.maximum(norms, 1e-9)
        return Prediction(probabilities, embeddings)
