"""Training: base training, transfer learning, resumable checkpoints, progress.

  network_input(windows) -> float32 (n, columns, bins, 1)   q15 spectrogram / 32768
  fit(model, x, y, val, ...) -> history dict                 early stopping + LR schedule
  replace_head(model, classes) -> model                      same body, new head
  transfer(model, x, y, val, classes, ...) -> (model, history)   head at high LR, then fine-tune
"""
from earshot.train.fitting import adapt_normalization, fit, loss_for
from earshot.train.inputs import network_input
from earshot.train.transfer import replace_head, transfer

__all__ = ["adapt_normalization", "fit", "loss_for", "network_input", "replace_head", "transfer"]
