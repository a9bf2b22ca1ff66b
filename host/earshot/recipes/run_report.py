"""A run's outputs besides the model: plots, report.md and the summary dict."""
from pathlib import Path

import numpy as np

from earshot.evaluate import clip_scores, metrics, plots, report
from earshot.features import spectrogram_q15


def _clip_results(probs, windows, labels):
    results = {}
    for name, p in probs.items():
        ids, scores = clip_scores(p, windows.clip_index)
        truth = np.array([windows.y[windows.clip_index == i][0] for i in ids])
        results[name] = metrics(truth, scores, labels)
    return results


def _timeline(out, int8, settings, real):
    """Window scores along one recording: a real alarm file if scored, else a synthetic one."""
    from earshot.data import synth
    from earshot.evaluate.stream import hop_scores, smoothed

    if real.get("alarms"):
        row = real["alarms"][0]
        ends, probs, title = row["_ends"], row["_probs"], f"real recording {row['file']} (int8, TFLM)"
    else:
        audio, bursts = synth.alarm_in_noise(12.0, bursts_at=(3.0, 8.0), snr_db=10.0, seed=7)
        ends, probs, _ = hop_scores(int8, audio, settings)
        title = f"synthetic recording, alarm bursts at {[round(a, 1) for a, _ in bursts]} s (int8, TFLM)"
    plots.timeline(out / "timeline.png", title, ends,
                   {"per hop": probs, "smoothed": smoothed(probs, settings["decision"]["smoothing_hops"])},
                   settings["decision"]["threshold"])


def _public(real):
    """The real-recording results without the per-hop arrays kept for plotting."""
    out = dict(real)
    if "alarms" in real:
        out["alarms"] = [{k: v for k, v in row.items() if not k.startswith("_")} for row in real["alarms"]]
    return out


def write(out, *, title, description, histories, results, probs, test_set, real, settings, info, model,
          int8, agreement, seconds):
    out = Path(out)
    windows = test_set[0]
    labels = settings["labels"]
    clip_results = _clip_results(probs, windows, labels)
    plots.training_curves(out / "training.png", histories)
    plots.confusion_matrices(out / "confusion.png", results)
    examples = []
    for label_index, label in enumerate(labels):
        picks = np.flatnonzero(windows.y == label_index)[:2]
        examples += [(f"{label} (test window {i})", spectrogram_q15(windows.x[i])) for i in picks]
    plots.spectrograms(out / "spectrograms.png", examples)
    _timeline(out, int8, settings, real)
    real = _public(real)
    ops = sorted({op["op"] for op in info["ops"]})
    model_info = {
        "architecture": settings["model"].get("name", model.name),
        "parameters": f"{model.count_params():,}",
        "MACs per inference": f"{settings['model']['macs']:,}",
        "model.tflite": f"{(out / 'model.tflite').stat().st_size:,} bytes "
                        f"({info['weight_bytes']:,} bytes of constants)",
        "ops": ", ".join(ops),
        "input": f"int8 {settings['input']['shape']} scale {settings['input']['scale']:.3g} "
                 f"zero point {settings['input']['zero_point']}",
        "decision": f"threshold {settings['decision']['threshold']}, smoothing "
                    f"{settings['decision']['smoothing_hops']} hops of {settings['hop_samples']} samples, "
                    f"energy gate RMS {settings['decision']['energy_gate_rms']}",
        "int8 engines agree with TFLM": agreement or "only TFLM run",
        "training time": f"{seconds:.0f} s",
    }
    report.write(out / "report.md", title=title, summary=description, model_info=model_info,
                 results=results, clip_results=clip_results, real=real,
                 plots=["training.png", "confusion.png", "spectrograms.png", "timeline.png"])
    return {"out": str(out), "seconds": seconds, "windows": results,
            "clips": clip_results, "real": real, "agreement": agreement, "ops": ops,
            "params": int(model.count_params()), "tflite_bytes": (out / "model.tflite").stat().st_size,
            "histories": histories}
