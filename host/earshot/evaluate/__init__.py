"""Evaluation: predictions from float, QAT and int8 models, metrics with an "unknown"
column, clip-level decisions, plots and the run report."""
from earshot.evaluate.metrics import clip_scores, confusion, metrics, with_unknown
from earshot.evaluate.predict import Int8Model, predict_float

__all__ = ["Int8Model", "clip_scores", "confusion", "metrics", "predict_float", "with_unknown"]
