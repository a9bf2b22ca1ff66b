"""Recipes: complete, reproducible training runs. fire_alarm is the flagship."""
