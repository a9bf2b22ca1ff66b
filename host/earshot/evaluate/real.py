"""Scoring a model on real recordings that nobody here synthesized (../shared/data).

fire_alarm/*.wav: long alarm recordings, replayed through the board's decision loop;
reported as the share of hops on which the alarm is raised, overall and over the hops
whose newest 1 s holds alarm tone (the beeps pause between groups).
glass_break/: 1 s clips with no alarm in them; any clip that raises the alarm is a false
alarm (reported per category: background, glass_break).
"""
from pathlib import Path

import numpy as np

from earshot.data import load_esc50, read_wav
from earshot.evaluate.stream import fires, hop_scores
from earshot.train import network_input


def _alarm_tone(audio, ends, rate, length, block=512):
    """Per hop: does the window ending there hold 2.8-3.6 kHz tone well above its floor?
    Decided per block of `block` samples (vectorized), then any block in the window."""
    count = len(audio) // block
    blocks = audio[:count * block].reshape(count, block).astype(np.float64) * np.hanning(block)
    spectrum = np.abs(np.fft.rfft(blocks, axis=1))
    freqs = np.fft.rfftfreq(block, 1 / rate)
    band = spectrum[:, (freqs >= 2800) & (freqs <= 3600)].max(axis=1)
    rest = np.median(spectrum[:, (freqs >= 300) & ((freqs < 2500) | (freqs > 4000))], axis=1)
    tone = band > 20 * rest + 1e-9
    out = []
    for end in ends:
        stop = int(round(end * rate)) // block
        out.append(tone[max(0, stop - length // block):stop].any())
    return np.array(out, dtype=bool)


def alarm_files(model, folder, settings):
    rows = []
    for path in sorted(Path(folder).glob("*.wav")):
        audio = read_wav(path, settings["sample_rate"])
        ends, probs, _ = hop_scores(model, audio, settings)
        raised = fires(probs, settings)
        tone = _alarm_tone(audio, ends, settings["sample_rate"], settings["window_samples"])
        rows.append({"file": path.name, "windows": int(len(raised)), "detected": int(raised.sum()),
                     "rate": float(raised.mean()), "sounding": int(tone.sum()),
                     "sounding_detected": int((raised & tone).sum()),
                     "sounding_rate": float(raised[tone].mean()) if tone.any() else None,
                     "file_detected": bool(raised.any()), "_ends": ends, "_probs": probs})
    return rows


def background_clips(model, folder, settings):
    """False alarms on 1 s non-alarm clips: a clip's one window at or above the threshold."""
    clips = load_esc50(folder)
    length = settings["window_samples"]
    audio = np.stack([np.pad(c.audio[:length], (0, max(0, length - len(c.audio)))) for c in clips])
    f = settings["features"]
    target = settings["labels"].index(settings["target"])
    probs = model.predict(network_input(audio, f["frame"], f["hop"], f["fft"]))[:, target]
    alarm = probs >= settings["decision"]["threshold"]
    per_category = {}
    for clip, hit in zip(clips, alarm):
        entry = per_category.setdefault(clip.label, {"clips": 0, "false_alarms": 0})
        entry["clips"] += 1
        entry["false_alarms"] += int(hit)
    return {"source": str(folder), "clips": len(clips), "false_alarms": int(alarm.sum()),
            "rate": float(alarm.mean()), "per_category": per_category}


def evaluate(model, shared_data, settings):
    """Both checks, for whichever folders exist; {} when there is no shared data."""
    root = Path(shared_data)
    result = {}
    if (root / "fire_alarm").is_dir():
        result["alarms"] = alarm_files(model, root / "fire_alarm", settings)
    if (root / "glass_break").is_dir():
        result["background"] = background_clips(model, root / "glass_break", settings)
    return result
