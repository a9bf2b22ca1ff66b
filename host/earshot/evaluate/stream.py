"""The board's decision loop replayed on the host: a window ends every hop, the board's
energy gate (device/earshot_app/decide.py, RMS over the window's hops) may skip it, the last `smoothing_hops` probabilities are averaged, and the target
fires at or above the threshold. Same rules as the settings' "decision" block."""
import numpy as np

from earshot.data import windows
from earshot.deploy.predict import gated_hops
from earshot.train import network_input


def hop_scores(model, audio, settings):
    """(window end times in s, target probability per hop, gated mask) for int16 audio."""
    rate, length, hop = settings["sample_rate"], settings["window_samples"], settings["hop_samples"]
    audio = np.asarray(audio, dtype=np.int16)
    cut = windows(audio, length, hop)
    f = settings["features"]
    # The board's own gate (RMS over the window's hops), taken at the board hop each window ends in.
    board_gated = gated_hops(audio, settings)
    last_hop = np.minimum((np.arange(len(cut)) * hop + length) // hop - 1, len(board_gated) - 1)
    gated = board_gated[last_hop] if len(board_gated) else np.zeros(len(cut), dtype=bool)
    probs = np.zeros(len(cut))
    live = np.flatnonzero(~gated)
    if len(live):
        x = network_input(cut[live], frame=f["frame"], hop=f["hop"], fft=f["fft"])
        target = settings["labels"].index(settings["target"])
        probs[live] = model.predict(x)[:, target]
    ends = (np.arange(len(cut)) * hop + length) / rate
    return ends, probs, gated


def smoothed(probs, smoothing_hops):
    """Mean of the latest `smoothing_hops` probabilities at each hop (fewer at the start)."""
    probs = np.asarray(probs, dtype=np.float64)
    sums = np.cumsum(np.concatenate([[0.0], probs]))
    idx = np.arange(1, len(probs) + 1)
    start = np.maximum(0, idx - smoothing_hops)
    return (sums[idx] - sums[start]) / (idx - start)


def fires(probs, settings):
    d = settings["decision"]
    return smoothed(probs, d["smoothing_hops"]) >= d["threshold"]
