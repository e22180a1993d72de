#!/usr/bin/env python3
"""Agreement PDFs: for each cooperation kind, the first render in a fresh process (cold)
and later ones (warm), layout alone, the ratio of the whole render to layout, peak memory,
pages, pages per second and file size. Each kind runs in its own process, so "cold"
includes loading fonts the way a new worker does.

Usage: .venv/bin/python bench/bench_pdf.py [--repeat 5] [--locale zh] [--system-fonts]
(--system-fonts: without the document font, as a portal renders before
`flask agreements build-font` has run.)
Targets (issue 6): warm <= 0.3 s, cold <= 1 s, peak memory <= 200 MB, PDF <= 300 KB,
whole render / layout <= 1.5x.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from portal_app import portal_app  # noqa: E402

TARGETS = {"warm": 0.3, "cold": 1.0, "peak_mb": 200, "size_kb": 300, "ratio": 1.5}


def prepare(tmp: str, system_fonts: bool) -> None:
    """The demo's partnerships, with an agreement of each kind (approving issues it): the
    demo's joint research, returned for changes, is revised, accepted and approved. The
    document font is built first (it is cached per machine, like the portal's)."""
    from sqlalchemy import select

    from portal.accounts.auth import find_user_by_email
    from portal.agreements import document_font
    from portal.cooperation.models import CooperationKind, Proposal, ProposalStatus
    from portal.cooperation.services import act
    from portal.db import get_session
    from portal.demo import seed_demo

    app = portal_app(tmp, TASKS_IMMEDIATE=True)
    if not system_fonts:
        document_font.build(document_font.font_dir(app))
    with app.app_context():
        session = get_session()
        coordinator = find_user_by_email(session, seed_demo(session)[0].email)
        session.commit()
        research = session.scalar(select(Proposal).where(
            Proposal.kind == CooperationKind.JOINT_RESEARCH,
            Proposal.status == ProposalStatus.RETURNED))
        act(session, research, research.proposer.members[0], "revise", terms={
            **research.terms, "milestones": "第 3 个月样机验收，第 6 个月产线试用验收"})
        act(session, research, research.partner.members[0], "accept")
        act(session, research, coordinator, "approve")
        session.commit()


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> float:
    """The resident size now, with the kernel's peak (VmHWM) reset to it, so the peak
    read later is rendering's, not start-up's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass  # not Linux: the peak then includes start-up
    return _status_mb("VmRSS")


def measure(tmp: str, kind: str, repeat: int, locale: str) -> dict:
    """Run in a fresh process: nothing rendered yet, fonts not loaded."""
    from sqlalchemy import select

    from portal.agreements import document_font
    from portal.agreements.document import agreement_context, agreement_pdf, agreement_template
    from portal.agreements.models import Agreement
    from portal.agreements.pdf import document_html, layout
    from portal.cooperation.models import CooperationKind, Proposal
    from portal.db import get_session

    app = portal_app(tmp, migrate=False, TASKS_IMMEDIATE=True)
    with app.app_context():
        agreement = get_session().scalar(select(Agreement).join(Proposal).where(
            Proposal.kind == CooperationKind(kind)))
        before_mb = reset_peak()
        started = time.perf_counter()
        pdf = agreement_pdf(agreement, locale)
        cold = time.perf_counter() - started
        warm, htmls, layouts = [], [], []
        for _ in range(repeat):
            started = time.perf_counter()
            pdf = agreement_pdf(agreement, locale)
            warm.append(time.perf_counter() - started)
            started = time.perf_counter()
            fonts = document_font.built_fonts()
            html = document_html(agreement_template(agreement), agreement_context(agreement),
                                 locale, fonts)
            htmls.append(time.perf_counter() - started)
            started = time.perf_counter()
            pages = len(layout(html, fonts).pages)
            layouts.append(time.perf_counter() - started)
    peak_mb = _status_mb("VmHWM")
    return {"kind": kind, "cold": cold, "warm": statistics.median(warm),
            "html": statistics.median(htmls), "layout": statistics.median(layouts),
            "pages": pages, "size": len(pdf), "peak_mb": peak_mb,
            "render_mb": peak_mb - before_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--locale", default="zh", choices=["zh", "en"])
    parser.add_argument("--system-fonts", action="store_true",
                        help="render without the document font")
    parser.add_argument("--child", nargs=2, metavar=("DIR", "KIND"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child, args.repeat, args.locale)))
        return

    from portal.agreements.fonts import chinese_font_families, has_fast_subsetter
    from portal.cooperation.models import CooperationKind

    print(f"fonts: {', '.join(chinese_font_families() or ('?',))}; "
          f"document font: {'no (--system-fonts)' if args.system_fonts else 'yes'}; "
          f"HarfBuzz subsetter: {'yes' if has_fast_subsetter() else 'NO (slow path)'}; "
          f"locale {args.locale}, {args.repeat} warm runs (median)")
    with tempfile.TemporaryDirectory() as tmp:
        prepare(tmp, args.system_fonts)
        rows = []
        for kind in CooperationKind:
            out = subprocess.run([sys.executable, __file__, "--child", tmp, kind.value,
                                  "--repeat", str(args.repeat), "--locale", args.locale],
                                 capture_output=True, text=True, check=True, cwd=ROOT)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'kind':<16} {'cold s':>7} {'warm s':>7} {'html s':>7} {'layout s':>8} "
          f"{'render/layout':>13} {'pages':>5} {'pages/s':>7} {'KB':>5} {'peak MB':>7} "
          f"{'rendering MB':>12}")
    for row in rows:
        ratio = row["warm"] / row["layout"]
        print(f"{row['kind']:<16} {row['cold']:7.3f} {row['warm']:7.3f} {row['html']:7.3f} "
              f"{row['layout']:8.3f} {ratio:12.2f}x {row['pages']:5d} "
              f"{row['pages'] / row['warm']:7.1f} {row['size'] / 1024:5.0f} "
              f"{row['peak_mb']:7.0f} {row['render_mb']:12.0f}")
    print("peak MB: the worker process while rendering (the portal loaded); rendering MB: "
          "what rendering added to the process")
    worst = {"cold": max(r["cold"] for r in rows), "warm": max(r["warm"] for r in rows),
             "peak_mb": max(r["render_mb"] for r in rows),
             "size_kb": max(r["size"] for r in rows) / 1024,
             "ratio": max(r["warm"] / r["layout"] for r in rows)}
    print("worst vs target: " + ", ".join(
        f"{name} {worst[name]:.2f} / {limit} ({'ok' if worst[name] <= limit else 'OVER'})"
        for name, limit in TARGETS.items()))


if __name__ == "__main__":
    main()
