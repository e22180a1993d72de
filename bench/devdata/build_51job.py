#!/usr/bin/env python3
"""Build a real development set for matching from public job posts.

The posts: 1,603 real 51job posts (Shanghai, 2019, many industries) published in the
public repository yingtaoluo/51jobs-Text-Mining as sy2/qianchengwuyou.xlsx. It states no
licence, so neither it nor what this script makes is committed: rebuild it here.

    # with the search tool's fetch (or any clone of that repository):
    git -C <clone> show HEAD:sy2/qianchengwuyou.xlsx > /tmp/qcwy.xlsx
    .venv/bin/python bench/devdata/build_51job.py --posts /tmp/qcwy.xlsx --out /tmp/real51
    .venv/bin/python bench/devdata/build_51job.py --posts /tmp/qcwy.xlsx --out /tmp/real51p \
        --programmes <clone of Tanviw/supporting-system-for-application-of-gaokao>

The programmes: by default the shipped development set's curricula (../shared/data),
real-style programme texts under official catalogue names. With --programmes, real
undergraduate programme descriptions (培养目标, 培养要求, 毕业生应获得的知识和能力) from the
public repository Tanviw/supporting-system-for-application-of-gaokao (majorInfo/<code>.jsp,
no licence either), named by their 2012 catalogue code; a page is kept only when its text
names its own major (a few pages there carry another major's text).

A post is kept when it names majors and at least one programme is of one of them. Labels
come from the post's own words, by a plain string rule written apart from the engine (no
catalogue, no taxonomy): a programme is relevant when a major the post names is the start
of the programme's major name, or the programme's name without its ending (技术/工程/管理/学) is
in the named major. Writes real.json + real-labels.json, and masked.json with every clause
naming 专业 cut out (the labels stay), as the issue's "required-major clauses cut out"
variant.
"""
import argparse
import json
import re
import subprocess
from pathlib import Path

import openpyxl

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CLAUSE = re.compile(r"[。；;！!\n]|\s\d[、.．]|[（(]\d[)）]")
MAJOR_SEGMENT = re.compile(r"专业(?!知识|技能|能力|素养|水平|培训|的|性|度|化|技术)")
ITEM_SPLIT = re.compile(r"[、/，,及和或与\s]+")
STRIP = re.compile(r"(全日制|统招|大专|专科|本科|硕士|研究生|以上|学历|及|等|相关|类|专业|优先|"
                   r"背景|"
                   r"毕业|者|要求|[0-9一二三四五六七八九十]+|[、，,。:：])")
ENDINGS = re.compile(r"(技术|工程|管理|学|与应用)+$")


def named_majors(description: str) -> list[str]:
    """The items of the post's major clauses: 计算机、数学、统计学等相关专业 → three."""
    items = []
    for clause in CLAUSE.split(description):
        for segment in re.split(r"[，,]", clause):
            if MAJOR_SEGMENT.search(segment) and "不限" not in segment:
                head = MAJOR_SEGMENT.split(segment)[0]
                items += [STRIP.sub("", item) for item in ITEM_SPLIT.split(head)]
    return [item for item in items if 2 <= len(item) <= 12]


def relevant(named: list[str], programme: dict) -> bool:
    name = programme.get("major") or re.sub(r"[（(].*|专业.*", "", programme["title"])
    stem = ENDINGS.sub("", name)
    for item in named:
        if name.startswith(item) and not (item == "电子" and "商务" in name):
            return True
        if len(stem) >= 2 and stem in item:
            return True
    return False


# The 2012 undergraduate catalogue's names for the codes those pages use.
CODES_2012 = {
    "070101": "数学与应用数学", "070102": "信息与计算科学", "070201": "物理学",
    "070202": "应用物理学", "070301": "化学", "070302": "应用化学", "071001": "生物科学",
    "071101": "心理学", "071201": "统计学", "080101": "理论与应用力学", "080201": "机械工程",
    "080202": "机械设计制造及其自动化", "080401": "材料科学与工程", "080701": "电子信息工程",
    "080703": "通信工程", "100101K": "基础医学", "100201K": "临床医学", "100301K": "口腔医学",
    "100501K": "中医学", "100701": "药学", "101001": "医学检验技术", "101003": "医学影像技术",
    "101006": "口腔医学技术", "101101": "护理学", "120101": "管理科学",
    "120102": "信息管理与信息系统", "120105": "工程造价", "120201K": "工商管理",
    "120202": "市场营销", "120203K": "会计学", "120204": "财务管理", "120205": "国际商务",
    "120206": "人力资源管理", "120207": "审计学", "120402": "行政管理", "120601": "物流管理",
    "120801": "电子商务", "120901K": "旅游管理", "120902": "酒店管理",
    "120903": "会展经济与管理", "130202": "音乐学", "130205": "舞蹈学", "130401": "美术学",
    "130402": "绘画", "130404": "摄影", "130504": "产品设计", "130505": "服装与服饰设计",
    "130508": "数字媒体艺术",
}


def real_programmes(repository: Path) -> list[dict]:
    """The gaokao repository's programme pages as curricula of one university."""
    programmes = []
    for code, name in CODES_2012.items():
        shown = subprocess.run(["git", "-C", str(repository), "show",
                                f"HEAD:majorInfo/{code}.jsp"], capture_output=True)
        if shown.returncode:
            continue
        text = re.sub(r"<[^>]*>|<%.*?%>", " ", shown.stdout.decode("utf-8", "replace"))
        text = re.sub(r"\s+", " ", text.split("培养目标", 1)[-1]).strip()
        if ENDINGS.sub("", name)[:2] not in text:
            continue  # the page carries another major's text
        programmes.append({"ref": f"P{code}", "org": "UREAL", "type": "curriculum",
                           "title": f"{name}专业", "major": name, "description": text})
    return programmes


def masked(description: str) -> str:
    kept = [clause for clause in CLAUSE.split(description)
            if not MAJOR_SEGMENT.search(clause)]
    return "。".join(part.strip() for part in kept if part.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", required=True, help="qianchengwuyou.xlsx")
    parser.add_argument("--out", required=True)
    parser.add_argument("--programmes", type=Path,
                        help="a clone of Tanviw/supporting-system-for-application-of-gaokao")
    args = parser.parse_args()
    if args.programmes:
        programmes = real_programmes(args.programmes)
        organisations = [{"ref": "UREAL", "kind": "university", "name": "本科院校（公开专业介绍）",
                          "level": "本科"}]
    else:
        shipped = json.loads((SHARED / "matching-dev.json").read_text(encoding="utf-8"))
        programmes = [p for p in shipped["postings"] if p["type"] == "curriculum"]
        universities = {p["org"] for p in programmes}
        organisations = [o for o in shipped["organizations"] if o["ref"] in universities]
    sheet = openpyxl.load_workbook(args.posts, read_only=True).worksheets[0]
    demands, labels, firms = [], {}, {}
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        url, title, company, _perks, _pay, description, place, _type, _size, industry, _ = \
            (str(cell or "").strip() for cell in row[:11])
        named = named_majors(description)
        good = [p["ref"] for p in programmes if relevant(named, p)] if named else []
        if not good or len(good) > len(programmes) // 3:
            continue  # names no major, or names one so broad that it says little
        org = firms.setdefault(company, f"J{len(firms) + 1:04d}")
        ref = f"R{number:04d}"
        demands.append({"ref": ref, "org": org, "type": "talent_demand", "title": title,
                        "description": description,
                        "district": place.split("-")[-1] if "-" in place else "",
                        "industry": industry.split(",")[0].strip()})
        labels[ref] = good
    organisations += [{"ref": ref, "kind": "enterprise", "name": name}
                      for name, ref in firms.items()]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, posts in (("real.json", demands), ("masked.json", [
            dict(d, description=masked(d["description"])) for d in demands])):
        (out / name).write_text(json.dumps({"format": "portal-import/1",
                                            "organizations": organisations,
                                            "postings": posts + programmes},
                                           ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "real-labels.json").write_text(json.dumps(
        {"format": "portal-labels/1", "relevant": labels}, ensure_ascii=False, indent=1),
        encoding="utf-8")
    industries = {}
    for d in demands:
        industries[d["industry"]] = industries.get(d["industry"], 0) + 1
    print(f"{len(demands)} labelled posts × {len(programmes)} programmes; by industry:",
          ", ".join(f"{k or '?'} {v}" for k, v in sorted(industries.items(), key=lambda x: -x[1])))


if __name__ == "__main__":
    main()
