"""Builds tests/fixtures/app/alarm_cnn.tflite: the interp fire-alarm CNN fixture with
full schema-1 earshot settings embedded (the board app refuses models without them).
No TensorFlow: it only rewrites the metadata of tests/fixtures/interp/fire_alarm.tflite.

    .venv/bin/python tools/make_app_fixture.py
"""
from pathlib import Path

from earshot import settings

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "fixtures" / "interp" / "fire_alarm.tflite"
OUT = ROOT / "tests" / "fixtures" / "app" / "alarm_cnn.tflite"


def main():
    model = SOURCE.read_bytes()
    doc = settings.for_model(model, activation="softmax", labels=["background", "alarm"], target="alarm",
                             threshold=0.5, smoothing_hops=3, unknown_below=0.0, energy_gate_rms=20,
                             model={"name": "fire_alarm fixture (untrained weights)"})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(settings.embed(model, doc))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
