"""The balance table as spreadsheet rows, in the reader's language."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from portal.monitoring.balance import Balance


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
