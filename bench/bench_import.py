#!/usr/bin/env python3
"""Bulk import speed: N synthetic postings (portal-import/1) into a fresh database.

Prints the time to read, import and commit, postings per second, and the time of a second
run over the same refs (every posting updated). Usage:
    .venv/bin/python bench/bench_import.py [--postings 10000] [--database-url URL]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from portal_app import portal_app  # noqa: E402

SKILLS = ["PLC编程", "CNC编程", "机械制图", "工业机器人", "Python", "机器学习", "数据分析",
          "动力电池", "BMS", "老年照护", "康复护理", "跨境电商运营", "IC版图设计", "BIM建模",
          "无人机航拍", "电气控制", "液压与气动", "SolidWorks", "Java", "嵌入式开发"]
MAJORS = ["数控技术", "机电一体化技术", "新能源汽车技术", "数据科学与大数据技术", "电子商务",
          "智慧健康养老服务与管理", "集成电路设计与集成系统", "建筑工程技术"]
DEMANDS = ["talent_demand", "training_order", "research_topic"]


def synthetic(n: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    orgs = [{"ref": f"E{i:04d}", "kind": "enterprise", "name": f"上海合成企业{i}有限公司",
             "district": "闵行区", "size": "small"} for i in range(max(1, n // 20))]
    orgs += [{"ref": f"U{i:04d}", "kind": "university", "name": f"上海合成职业技术学院{i}",
              "level": "高职"} for i in range(max(1, n // 50))]
    enterprises = [o["ref"] for o in orgs if o["kind"] == "enterprise"]
    universities = [o["ref"] for o in orgs if o["kind"] == "university"]
    postings = []
    for i in range(n):
        is_demand = i % 2 == 0
        skills = rng.sample(SKILLS, 4)
        postings.append({
            "ref": f"P{i:06d}", "org": rng.choice(enterprises if is_demand else universities),
            "type": rng.choice(DEMANDS) if is_demand else "curriculum",
            "title": f"{skills[0]}相关岗位{i}", "description": "负责" + "、".join(skills) * 3,
            "skills": skills, "major": rng.choice(MAJORS), "headcount": rng.randint(1, 50),
            **({} if is_demand else {"courses": rng.sample(SKILLS, 5),
                                     "capacity": rng.randint(20, 200)}),
        })
    return {"format": "portal-import/1", "organizations": orgs, "postings": postings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from portal.accounts.services import system_user
    from portal.db import get_session
    from portal.postings.importer import import_records, read_file

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        app = portal_app(tmp, url)
        data = json.dumps(synthetic(args.postings), ensure_ascii=False).encode()
        backend = url.split(":")[0]
        print(f"file: {len(data) / 1e6:.1f} MB, {args.postings:,} postings, database {backend}")
        for label in ("first import (all created)", "second import (all updated)"):
            with app.app_context():
                session = get_session()
                started = time.perf_counter()
                records = read_file(data, "bench.json")
                read = time.perf_counter() - started
                report = import_records(session, records, system_user(session))
                session.commit()
                total = time.perf_counter() - started
                print(f"{label}: {total:.2f} s (read {read:.2f} s), "
                      f"{report.imported / total:,.0f} postings/s, "
                      f"created {report.postings_created:,}, updated {report.postings_updated:,}, "
                      f"refused {len(report.errors)}")


if __name__ == "__main__":
    main()
