"""Trains a MiniLM sentence encoder with a linear classification head (PyTorch, CPU).

Two modes, chosen by the size of the data:
- fine-tuning: the whole encoder and the head are trained together (AdamW, linear warm-up
  and decay, label smoothing);
- frozen encoder: with very few examples the encoder is kept as it is and only the head is
  trained on its mean-pooled sentence embeddings (fast and hard to over-fit).

The trained `EncoderClassifier` returns both the class logits and the pooled sentence
embedding, so the ONNX export serves classification and the out-of-scope check at once.
This module imports torch: the Rasa components import it only when they train.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from assistant.components.exceptions import TrainingDataError
from assistant.components.training_config import TrainingSettings

logger = logging.getLogger(__name__)


def seed_everything(seed: int) -> None:
    """Seeds every random generator training touches and asks torch for determinism."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


class EncoderClassifier(torch.nn.Module):
    """Encoder, masked mean pooling, dropout and a linear head.

    `forward` returns the logits and the pooled (not normalised) sentence embedding.
    """

    def __init__(self, encoder: torch.nn.Module, n_labels: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(encoder.config.hidden_size, n_labels)

    def forward(self, input_ids: torch.Tensor,
                attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return self.head(self.dropout(pooled)), pooled


def build_classifier(encoder_dir: Path, n_labels: int) -> EncoderClassifier:
    """A pre-trained encoder from `encoder_dir` with a fresh head of `n_labels` outputs."""
    from transformers import AutoModel

    return EncoderClassifier(AutoModel.from_pretrained(str(encoder_dir)), n_labels)


def train_classifier(encoder_dir: Path, texts: Sequence[str], label_ids: Sequence[int],
                     n_labels: int, settings: TrainingSettings) -> tuple[EncoderClassifier, Any]:
    """Trains an encoder classifier on labelled texts.

    Args:
        encoder_dir: A Hugging Face model folder (e.g. all-MiniLM-L6-v2).
        texts: Training texts.
        label_ids: The label index of each text.
        n_labels: How many labels there are.
        settings: How to train.

    Returns:
        The trained model (in eval mode) and its tokenizer.

    Raises:
        TrainingDataError: With no examples or fewer than two labels.
    """
    from transformers import AutoTokenizer

    if len(texts) == 0 or len(set(label_ids)) < 2:
        raise TrainingDataError(
            "need examples of at least two labels to train a classifier; add training data")
    torch.set_num_threads(settings.threads)
    seed_everything(settings.seed)
    tokenizer = AutoTokenizer.from_pretrained(str(encoder_dir))
    model = build_classifier(encoder_dir, n_labels)
    labels = torch.tensor(list(label_ids), dtype=torch.long)
    if len(texts) < settings.frozen_below:
        logger.info("%d examples: training the head on the frozen encoder", len(texts))
        _train_head_only(model, tokenizer, list(texts), labels, settings)
    else:
        _fine_tune(model, tokenizer, list(texts), labels, settings)
    model.eval()
    return model, tokenizer


def _batches(n: int, batch_size: int, generator: np.random.Generator) -> list[np.ndarray]:
    order = generator.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def _fine_tune(model: EncoderClassifier, tokenizer: Any, texts: list[str], labels: torch.Tensor,
               settings: TrainingSettings) -> None:
    from tqdm import tqdm

    steps_per_epoch = math.ceil(len(texts) / settings.batch_size)
    epochs = max(settings.epochs, math.ceil(settings.min_steps / steps_per_epoch))
    total_steps = epochs * steps_per_epoch
    warmup = max(1, total_steps // 10)
    optimizer = torch.optim.AdamW([
        {"params": model.encoder.parameters(), "lr": settings.encoder_lr},
        {"params": model.head.parameters(), "lr": settings.head_lr},
    ], weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup,
                                    max(0.0, (total_steps - step) / (total_steps - warmup))))
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=settings.label_smoothing)
    shuffler = np.random.default_rng(settings.seed)
    model.train()
    logger.info("fine-tuning on %d examples: %d epochs, %d steps", len(texts), epochs, total_steps)
    for epoch in range(epochs):
        progress = tqdm(_batches(len(texts), settings.batch_size, shuffler),
                        desc=f"fine-tuning epoch {epoch + 1}/{epochs}", unit="batch",
                        leave=True, mininterval=5.0)
        running = 0.0
        for step, batch in enumerate(progress, start=1):
            encoded = tokenizer([texts[i] for i in batch], padding=True, truncation=True,
                                max_length=settings.max_length, return_tensors="pt")
            logits, _ = model(encoded["input_ids"], encoded["attention_mask"])
            loss = loss_fn(logits, labels[torch.as_tensor(batch)])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            running += float(loss)
            progress.set_postfix(loss=f"{running / step:.3f}", refresh=False)
        progress.close()


def _train_head_only(model: EncoderClassifier, tokenizer: Any, texts: list[str],
                     labels: torch.Tensor, settings: TrainingSettings) -> None:
    for parameter in model.encoder.parameters():
        parameter.requires_grad_(False)
    model.eval()
    with torch.no_grad():
        encoded = tokenizer(texts, padding=True, truncation=True,
                            max_length=settings.max_length, return_tensors="pt")
        _, pooled = model(encoded["input_ids"], encoded["attention_mask"])
    optimizer = torch.optim.AdamW(model.head.parameters(), lr=1e-2, weight_decay=0.01)
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=settings.label_smoothing)
    model.head.train()
    for _ in range(300):
        loss = loss_fn(model.head(pooled), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    for parameter in model.encoder.parameters():
        parameter.requires_grad_(True)
