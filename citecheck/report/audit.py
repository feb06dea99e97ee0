"""What an audit found: the state of the archive, what changed, where rot concentrates.

Reads the audit store only; formats are text, JSON and a self-contained HTML page with charts drawn
by matplotlib (SVG, inline).
"""

from __future__ import annotations

import html
import io
import json
from datetime import UTC, datetime
from typing import Any

from ..audit.store import AuditStore

ROT = ("missing", "unreachable")  # confirmed
TROUBLE = ("missing", "unreachable", "failing")


def _iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds") if ts is not None else None


def audit_data(store: AuditStore, since: float | None = None) -> dict[str, Any]:
    """Everything the reports show, as plain data."""
    runs = store.runs()
    finished = [r for r in runs if r[2] is not None]
    last = finished[-1] if finished else (runs[-1] if runs else None)
    start = since if since is not None else (last[1] if last else 0.0)
    status = dict(store.query("SELECT status, COUNT(*) FROM sources GROUP BY status"))
    changes: dict[str, list[dict[str, Any]]] = {"new rot": [], "started failing": [], "recovered": [], "moved": [], "mismatched": []}
    rows = store.query(
        "SELECT s.url, t.old, t.new, t.at, s.failing_since, s.last_reason, s.archive_url, s.fix FROM transitions t "
        "JOIN sources s ON s.id = t.source_id WHERE t.at >= ? ORDER BY t.at, s.url",
        (start,),
    )
    for url, old, new, at, failing_since, reason, archive_url, fix in rows:
        item = {"url": url, "from": old, "to": new, "at": _iso(at), "failing_since": _iso(failing_since), "reason": reason, "archive": archive_url, "fix": fix}
        if new in ROT:
            changes["new rot"].append(item)
        elif new == "failing" and old in ("new", "ok", "moved"):
            changes["started failing"].append(item)
        elif new in ("ok", "moved", "mismatched") and old in TROUBLE:
            changes["recovered"].append(item)
        if new == "moved" and old != "moved":
            changes["moved"].append(item)
        if new == "mismatched":
            changes["mismatched"].append(item)
    worst = store.query(
        "SELECT a.location, COUNT(*) AS total, SUM(s.status IN ('missing','unreachable')) AS rot, SUM(s.status = 'failing') AS failing "
        "FROM citations c JOIN articles a ON a.id = c.article_id JOIN sources s ON s.id = c.source_id "
        "GROUP BY a.id HAVING rot + failing > 0 ORDER BY rot DESC, failing DESC, total DESC, a.location LIMIT 20"
    )
    domains = store.query(
        "SELECT host, COUNT(*) AS total, SUM(status IN ('missing','unreachable')) AS rot, SUM(status = 'failing') AS failing "
        "FROM sources GROUP BY host HAVING rot + failing > 0 ORDER BY rot DESC, failing DESC, host LIMIT 25"
    )
    years = store.query(
        "SELECT c.year, COUNT(*) AS total, SUM(s.status IN ('missing','unreachable')) AS rot FROM citations c JOIN sources s ON s.id = c.source_id "
        "WHERE c.year IS NOT NULL GROUP BY c.year ORDER BY c.year"
    )
    failing = store.query("SELECT url, failing_since, fail_count, last_reason FROM sources WHERE status = 'failing' ORDER BY failing_since, url LIMIT 200")
    return {
        "since": _iso(start),
        "runs": len(runs),
        "last_run": {"started": _iso(last[1]), "finished": _iso(last[2])} if last else None,
        "articles": store.query("SELECT COUNT(*) FROM articles")[0][0],
        "sources": sum(status.values()),
        "status": status,
        "checks": store.query("SELECT COUNT(*) FROM checks")[0][0],
        "changes": changes,
        "failing": [{"url": u, "failing_since": _iso(s), "failures": n, "reason": r} for u, s, n, r in failing],
        "worst_articles": [{"article": a, "sources": t, "rot": r, "failing": f} for a, t, r, f in worst],
        "rot_by_domain": [{"host": h, "sources": t, "rot": r, "failing": f} for h, t, r, f in domains],
        "rot_by_year": [{"year": y, "citations": t, "rot": r, "share": round(r / t, 3) if t else 0.0} for y, t, r in years],
    }


def audit_json(data: dict[str, Any]) -> str:
    return json.dumps({"$schema": "https://citecheck.dev/schema/audit-1.json", **data}, ensure_ascii=False, indent=2) + "\n"


def audit_text(data: dict[str, Any]) -> str:
    status = ", ".join(f"{n} {s}" for s, n in sorted(data["status"].items()))
    lines = [
        f"{data['articles']} articles, {data['sources']} sources ({status}); {data['checks']} checks over {data['runs']} runs",
        f"changes since {data['since']}:",
    ]
    for kind, items in data["changes"].items():
        lines.append(f"  {kind}: {len(items)}")
        for item in items[:50]:
            extra = f" (failing since {item['failing_since']})" if item["failing_since"] and kind == "new rot" else ""
            fix = f" -> {item['archive'] or item['fix']}" if (item["archive"] or item["fix"]) else ""
            lines.append(f"    {item['url']}{extra}{fix}")
    if data["failing"]:
        lines.append("failing, not yet confirmed:")
        lines += [f"  {f['url']}: failing since {f['failing_since']} ({f['failures']} failures): {f['reason']}" for f in data["failing"][:50]]
    if data["worst_articles"]:
        lines.append("worst articles:")
        lines += [f"  {w['article']}: {w['rot']} dead, {w['failing']} failing of {w['sources']}" for w in data["worst_articles"]]
    if data["rot_by_domain"]:
        lines.append("rot by domain:")
        lines += [f"  {d['host']}: {d['rot']} dead, {d['failing']} failing of {d['sources']}" for d in data["rot_by_domain"]]
    if data["rot_by_year"]:
        lines.append("rot by year cited:")
        lines += [f"  {y['year']}: {y['rot']} of {y['citations']} dead ({y['share']:.0%})" for y in data["rot_by_year"]]
    return "\n".join(lines) + "\n"


def _chart(title: str, labels: list[str], values: list[float], xlabel: str, percent: bool = False) -> str:
    # here, not at the top: matplotlib loads (~0.5 s) only when an audit report draws its charts
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import PercentFormatter

    fig, ax = plt.subplots(figsize=(7, 0.35 * max(len(labels), 3) + 1), layout="constrained")
    try:
        ax.barh(labels[::-1], values[::-1], color="#cf222e")
        ax.set_title(title, loc="left")
        ax.set_xlabel(xlabel)
        if percent:
            ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
    finally:
        plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def audit_html(data: dict[str, Any]) -> str:
    e = html.escape
    charts = []
    if data["rot_by_year"]:
        years = data["rot_by_year"]
        charts.append(_chart("Share of dead sources by year cited", [str(y["year"]) for y in years], [y["share"] for y in years], "dead", percent=True))
    if data["rot_by_domain"]:
        doms = data["rot_by_domain"][:15]
        charts.append(_chart("Dead sources by domain", [d["host"] for d in doms], [d["rot"] for d in doms], "dead sources"))
    changes = "".join(
        f"<h3>{e(kind)} ({len(items)})</h3><ul>"
        + "".join(f"<li>{e(i['url'])} <small>{e(i['from'])} → {e(i['to'])}, {e(i['at'] or '')}</small></li>" for i in items[:200])
        + "</ul>"
        for kind, items in data["changes"].items()
    )
    worst = "".join(f"<tr><td>{e(w['article'])}</td><td>{w['rot']}</td><td>{w['failing']}</td><td>{w['sources']}</td></tr>" for w in data["worst_articles"])
    status = ", ".join(f"{n} {e(s)}" for s, n in sorted(data["status"].items()))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>citecheck audit</title>
<style>body{{font:15px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2328}} table{{border-collapse:collapse}} td,th{{border-bottom:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}} svg{{max-width:100%;height:auto}}</style>
</head><body>
<h1>citecheck audit</h1>
<p>{data["articles"]} articles, {data["sources"]} sources ({status}); {data["checks"]} checks over {data["runs"]} runs. Changes since {e(data["since"] or "")}.</p>
{"".join(f"<figure>{c}</figure>" for c in charts)}
<h2>What changed</h2>{changes}
<h2>Worst articles</h2><table><tr><th>article</th><th>dead</th><th>failing</th><th>sources</th></tr>{worst}</table>
</body></html>
"""


AUDIT_FORMATS = {"text": audit_text, "json": audit_json, "html": audit_html}
