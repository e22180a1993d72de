"""The monitoring tables as spreadsheet rows, in the reader's language: the balance
table, and each other page's tables as titled sections (a sheet each)."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask_babel import gettext as _

from portal.matching.synonyms import concept_label
from portal.monitoring.balance import Balance
from portal.monitoring.districts import DistrictView
from portal.monitoring.emerging import Candidate, Trend
from portal.monitoring.fairness import Fairness, Share
from portal.monitoring.health import STAGE_NAMES, STAGES, Health
from portal.monitoring.models import Dimension
from portal.monitoring.periods import Period
from portal.monitoring.unmatched import Side


def balance_table(result: Balance) -> list[list[Any]]:
    """Shortages first (largest gap first), then rows in balance, then surpluses."""
    header = [str(result.dimension.label), _("Demand (people)"), _("Demand postings"),
              _("Supply (graduates a year)"), _("Supply postings"), _("Gap"),
              _("Demand ÷ supply"), _("Gap change on %(period)s", period=result.previous.label),
              _("New this period")]
    shortages, surpluses = result.shortages, result.surpluses
    ranked = {id(row) for row in (*shortages, *surpluses)}
    even = sorted((row for row in result.rows if id(row) not in ranked), key=lambda r: r.label)
    return [header, *([row.label, row.now.demand, row.now.demand_postings, row.now.supply,
                       row.now.supply_postings, row.gap,
                       round(row.ratio, 2) if row.ratio is not None else "",
                       row.gap_change, _("yes") if row.is_new else ""]
                      for row in (*shortages, *even, *surpluses))]


Section = tuple[str, list[list[Any]]]  # a titled table: its title and rows, header first


def _ratio(demand: int, supply: int) -> float | str:
    return round(demand / supply, 2) if supply else ""


def _rounded(value: float | None) -> float | str:
    return round(value, 2) if value is not None else ""


def district_sections(view: DistrictView, label: str | None) -> list[Section]:
    """Every district's demand and supply; with a chosen row, its location quotients."""
    if label:
        header = [_("District"), _("Demand (people)"), _("Demand location quotient"),
                  _("Supply (graduates a year)"), _("Supply location quotient")]
        rows = [[row.district or _("No district given"),
                 row.chosen.demand if row.chosen else 0, _rounded(row.demand_quotient),
                 row.chosen.supply if row.chosen else 0, _rounded(row.supply_quotient)]
                for row in view.rows]
        title = _("Districts: %(label)s", label=label)
    else:
        header = [_("District"), _("Demand (people)"), _("Supply (graduates a year)"),
                  _("Demand ÷ supply")]
        rows = [[row.district or _("No district given"), row.everything.demand,
                 row.everything.supply, _ratio(row.everything.demand, row.everything.supply)]
                for row in view.rows]
        title = _("Districts")
    return [(title, [header, *rows])]


def unanswered_sections(dimension: Dimension, demands: Side, curricula: Side) -> list[Section]:
    """Each side's groups (with the postings naming none), then its listed postings."""
    sections: list[Section] = []
    for title, side in ((_("Jobs nobody is trained for (有活没人干)"), demands),
                        (_("Graduates no firm asks for (有人没活干)"), curricula)):
        rows = [[group.label, group.postings, group.people] for group in side.groups]
        if side.unclassified:
            rows.append([_("Names none"), side.unclassified, ""])
        sections.append((title, [[str(dimension.label), _("Postings"),
                                  _("People or graduates")], *rows]))
    return sections


def emerging_sections(periods: list[Period], trends: list[Trend],
                      candidates: list[Candidate]) -> list[Section]:
    growing = [[_("Skill"), *(period.label for period in periods), _("Growth")],
               *([trend.label, *trend.demand, trend.growth] for trend in trends)]
    words = [[_("Word"), _("Demands"), _("Likely another name of")],
             *([c.word, c.postings, concept_label(c.suggested) if c.suggested else ""]
               for c in candidates)]
    return [(_("Fastest growing demand"), growing),
            (_("New words for the vocabulary"), words)]


def _shares(heading: str, shares: list[Share]) -> list[list[Any]]:
    return [[heading, _("Recruiting postings"), _("With discriminatory conditions"),
             _("Share (%)")],
            *([share.name or _("Not given"), share.postings, share.flagged,
               _rounded(share.percent)] for share in shares)]


def fairness_sections(result: Fairness, names: dict[str, str]) -> list[Section]:
    return [(_("By industry"), _shares(_("Industry"), result.by_industry)),
            (_("By district"), _shares(_("District"), result.by_district)),
            (_("Conditions found"), [[_("Condition"), _("Postings")],
                                 *([str(name), result.codes[code]]
                                   for code, name in names.items())]),
            (_("Share over the last periods"), _shares(_("Reporting period"),
                                 [replace(share, name=period.label)
                                  for period, share in result.trend]))]


def health_sections(result: Health) -> list[Section]:
    stages = [str(STAGE_NAMES[stage]) for stage in STAGES]
    funnel = [[_("District"), _("Partnerships"), *stages],
              *([funnel.name or _("The city"), funnel.partnerships,
                 *(funnel.counts[stage] for stage in STAGES)]
                for funnel in (result.funnel, *result.by_district))]
    kinds = [[_("Kind"), _("Proposed"), _("Approved"), _("Approved (%)"), _("Completed"),
              _("Completed (%)")],
             *([str(k.kind.label), k.proposed, k.approved, _rounded(k.approval_rate),
                k.completed, _rounded(k.completion_rate)] for k in result.by_kind)]
    return [(_("Order-based training: from seats ordered to graduates retained"), funnel),
            (_("Partnerships by kind"), kinds)]
