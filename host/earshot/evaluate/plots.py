"""The run's figures, drawn with matplotlib's Agg backend (no display needed)."""
import numpy as np


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def training_curves(path, histories):
    """histories: {stage: {metric: [per epoch]}}; loss and accuracy side by side."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    for ax, metric in zip(axes, ("loss", "accuracy")):
        offset = 0
        for stage, history in histories.items():
            for key in (metric, f"val_{metric}"):
                values = history.get(key, [])
                if values:
                    ax.plot(range(offset + 1, offset + len(values) + 1), values,
                            label=f"{stage} {key}", linestyle="--" if key.startswith("val") else "-")
            offset += len(history.get(metric, []))
        ax.set_xlabel("epoch")
        ax.set_title(metric)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def confusion_matrices(path, results):
    """results: {name: metrics dict}; one matrix per model, with the unknown column."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(results), figsize=(4.2 * len(results), 3.8), squeeze=False)
    for ax, (name, m) in zip(axes[0], results.items()):
        matrix = np.array(m["confusion"])
        ax.imshow(matrix, cmap="Blues")
        for (r, c), v in np.ndenumerate(matrix):
            ax.text(c, r, str(v), ha="center", va="center", fontsize=8)
        ax.set_xticks(range(matrix.shape[1]), m["confusion_columns"], rotation=45, ha="right", fontsize=7)
        ax.set_yticks(range(matrix.shape[0]), m["confusion_columns"][:-1], fontsize=7)
        ax.set_title(f"{name}: accuracy {m['accuracy']:.3f}", fontsize=9)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def spectrograms(path, examples):
    """examples: [(title, (columns, bins) q15 array)]."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(examples), figsize=(3.2 * len(examples), 3), squeeze=False)
    for ax, (title, spec) in zip(axes[0], examples):
        ax.imshow(np.log1p(np.asarray(spec, dtype=np.float64)).T, origin="lower", aspect="auto", cmap="magma")
        ax.set_title(title, fontsize=8)
        ax.set_xlabel("column (8 ms)")
        ax.set_ylabel("bin (62.5 Hz)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def timeline(path, title, seconds, scores, threshold):
    """Window scores along a recording; seconds = each window's end time."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 2.8))
    for name, values in scores.items():
        ax.plot(seconds, values, label=name)
    ax.axhline(threshold, color="red", linestyle=":", label=f"threshold {threshold}")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("time (s, window end)")
    ax.set_ylabel("target probability")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
