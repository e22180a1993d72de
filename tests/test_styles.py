"""The stylesheet: status badges keep distinct, readable colours (issue 13, defect 3)."""
import re
from pathlib import Path

CSS = (Path(__file__).resolve().parent.parent / "static" / "css" / "portal.css").read_text(
    encoding="utf-8")
VARIABLES = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", CSS))
RULES = re.findall(r"([^{}]+)\{([^}]*)\}", CSS)


def declared(selector: str, prop: str) -> str | None:
    """The last value a rule naming exactly `selector` gives `prop` (variables resolved)."""
    value = None
    for selectors, body in RULES:
        if selector in (s.strip() for s in selectors.split(",")):
            found = re.search(rf"(?:^|;)\s*{prop}\s*:\s*([^;]+)", body)
            if found:
                value = found.group(1).strip()
    if value and value.startswith("var("):
        value = VARIABLES[value[6:-1]]
    return value


def luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


STATUS_BADGES = ["badge-posting-draft", "badge-posting-published", "badge-posting-closed",
                 "badge-posting-expired", "badge-pending", "badge-verified", "badge-rejected"]


def test_no_rule_paints_every_badge():
    assert declared(".badge", "background") is None
    assert declared(".badge", "color") is None


def test_status_badges_are_distinct_and_readable():
    backgrounds = {}
    for badge in STATUS_BADGES:
        background, colour = declared(f".{badge}", "background"), declared(f".{badge}", "color")
        assert background and colour, badge
        assert contrast(background, colour) >= 4.5, badge  # WCAG AA for small text
        backgrounds[badge] = background
    posting = [backgrounds[b] for b in STATUS_BADGES if b.startswith("badge-posting")]
    assert len(set(posting)) == len(posting)  # 草稿 / 已发布 / 已关闭 / 已过期 differ
