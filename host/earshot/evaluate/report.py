"""The run's report.md: what was trained, how big it is, how well it does."""


def _pct(value):
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _metrics_table(results):
    lines = ["| model | count | accuracy | unknown | " + " | ".join(
        f"{label} P/R" for label in next(iter(results.values()))["per_class"]) + " |"]
    lines.append("|" + " --- |" * (4 + len(next(iter(results.values()))["per_class"])))
    for name, m in results.items():
        cells = [f"{_pct(c['precision'])} / {_pct(c['recall'])}" for c in m["per_class"].values()]
        lines.append(f"| {name} | {m['count']} | {_pct(m['accuracy'])} | {m['unknown']} | " + " | ".join(cells) + " |")
    return lines


def write(path, *, title, summary, model_info, results, clip_results=None, real=None, plots=()):
    lines = [f"# {title}", "", summary, "", "## Model", ""]
    lines += [f"- {k}: {v}" for k, v in model_info.items()]
    lines += ["", "## Test windows", ""] + _metrics_table(results)
    if clip_results and any(clip_results[k]["count"] != results[k]["count"] for k in results):
        lines += ["", "## Test clips (window probabilities averaged per clip)", ""] + _metrics_table(clip_results)
    if real:
        lines += ["", "## Real recordings (never seen in training)", ""]
        for row in real.get("alarms", []):
            lines.append(f"- alarm {row['file']}: {row['detected']}/{row['windows']} windows flagged "
                         f"({_pct(row['rate'])}), sounding windows {row.get('sounding_detected', 'n/a')}/"
                         f"{row.get('sounding', 'n/a')}")
        if "background" in real:
            b = real["background"]
            parts = ", ".join(f"{k} {v['false_alarms']}/{v['clips']}" for k, v in b.get("per_category", {}).items())
            lines.append(f"- non-alarm clips ({b['source']}): {b['false_alarms']}/{b['clips']} clips raise a "
                         f"false alarm ({_pct(b['rate'])}; {parts})")
    if plots:
        lines += ["", "## Plots", ""] + [f"![{name}]({name})" for name in plots]
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
