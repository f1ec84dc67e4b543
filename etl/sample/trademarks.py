"""trademarks_<YYYY>.xlsx: trademark enforcement cases, kept in XLSX like the market-regulation
bureau's sheets.

Why a module: this kind is small and written cell by cell into a real Excel sheet (dates as Excel
dates, money as numbers, 是/否 flags), with fines and police transfers drawn from the seized value.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np

from etl.sample.calendar import next_workday
from etl.sample.core import (
    END_DN,
    K_TRADEMARKS,
    LOCATIONS,
    PARTNER_P,
    PARTNERS,
    YEARS,
    Progress,
    choice,
    day_weights,
    id_width,
    names_zh,
    scaled_count,
    stream,
    year_days,
)
from etl.sample.fakers import BRANDS
from etl.sample.writers import XlsxSheet
from etl.sources.trademarks import KIND

# Rows per year at scale 1. 2026 only runs to September, so its base is nine months' volume.
BASE_TRADEMARKS = {2022: 171, 2023: 189, 2024: 203, 2025: 216, 2026: 158}
XLSX_MAX_ROWS = 1_048_576  # one Excel sheet, header included

_AGENCIES = ("district_amr", "town_amr", "district_ipc", "police")
_AGENCY_P = (0.52, 0.33, 0.08, 0.07)
_BRAND_CATS = ("international", "domestic", "local")
_BRAND_CAT_P = (0.45, 0.35, 0.20)
_INFRINGEMENTS = ("counterfeit", "similar_mark", "unauthorized_sale", "packaging")
_INFRINGEMENT_P = (0.45, 0.20, 0.28, 0.07)
# Raids hit the wholesale markets (M*) more than the industrial parks (P*).
_TM_LOCATION_P = (0.07, 0.02, 0.03, 0.02, 0.01, 0.08, 0.01, 0.26, 0.08, 0.06, 0.15, 0.14, 0.07)
_TM_UNIT_PRICE = np.array([600.0, 150.0, 90.0])  # median yuan per item by brand category
_TM_CREATED = datetime(2026, 10, 1, 9, 0, 0)  # fixed workbook timestamp: deterministic bytes


def _trademark_rows(rng: np.random.Generator, opened: np.ndarray) -> dict[str, np.ndarray]:
    """Attributes of one year's enforcement cases, opened on `opened` (sorted)."""
    n = len(opened)
    handling = np.clip(rng.lognormal(np.log(55), 0.6, n), 10, 300).astype(np.int64)
    cat = choice(rng, n, _BRAND_CAT_P)
    units = np.clip(np.round(rng.lognormal(np.log(60), 1.3, n)), 1, 50_000).astype(np.int64)
    value = np.round(units * _TM_UNIT_PRICE[cat] * rng.lognormal(0, 0.5, n), 2)
    # Suspected crimes (large values) go to the police, which ends the administrative fine.
    p_police = np.select([value >= 150_000, value >= 50_000], [0.45, 0.15], 0.03)
    police = rng.random(n) < p_police
    # 罚没金额 = a fine in round hundreds plus confiscated illegal gains to the cent, skewed.
    penalty = np.round(value * rng.lognormal(np.log(0.6), 0.6, n), -2)
    gains = np.where(rng.random(n) < 0.7, np.round(value * rng.uniform(0.02, 0.3, n), 2), 0.0)
    fine = np.where(police | (rng.random(n) < 0.04), 0.0, np.minimum(500_000.0, penalty + gains))
    return {
        "closed": next_workday(opened + handling),
        "agency": choice(rng, n, _AGENCY_P),
        "cat": cat,
        "brand": rng.integers(0, 1000, n),
        "infringement": choice(rng, n, _INFRINGEMENT_P),
        "location": choice(rng, n, _TM_LOCATION_P),
        "units": units,
        "value": value,
        "fine": np.round(fine, 2),
        "police": police,
        "partner": np.where(rng.random(n) < 0.10, choice(rng, n, PARTNER_P), -1),
    }


def check_fits_a_sheet(scale: float) -> None:
    """Raises ValueError if a year's trademark cases at `scale` would overflow one Excel sheet."""
    if max(scaled_count(b, scale) for b in BASE_TRADEMARKS.values()) >= XLSX_MAX_ROWS:
        raise ValueError(f"scale {scale} puts more trademark cases in a year than one sheet holds")


def write_trademarks(out: Path, seed: int, scale: float, progress: Progress) -> list[Path]:
    """trademarks_<YYYY>.xlsx: one sheet, Chinese headers and names, real Excel dates, 是/否.

    xlsxwriter's constant-memory mode streams rows to disk; the workbook's created date is fixed,
    so the same data gives the same bytes. The per-cell loop is fine: this kind is small.
    """
    counts = {y: scaled_count(BASE_TRADEMARKS[y], scale) for y in YEARS}
    width = id_width(4, list(counts.values()))
    headers = [c.zh for c in KIND.columns]
    agency_zh = names_zh("agency", _AGENCIES)
    cat_zh = names_zh("brand_category", _BRAND_CATS)
    infringement_zh = names_zh("infringement_type", _INFRINGEMENTS)
    location_zh = names_zh("location", LOCATIONS)
    partner_zh = names_zh("region", PARTNERS)
    paths = []
    for year in YEARS:
        rng = stream(seed, K_TRADEMARKS, year, 0)
        ydays = year_days(year)
        opened = np.repeat(ydays, rng.multinomial(counts[year], day_weights(ydays, 0.1)))
        a = _trademark_rows(rng, opened)
        path = out / f"trademarks_{year}.xlsx"
        sheet = XlsxSheet(path, KIND.zh, headers, created=_TM_CREATED)
        ws = sheet.ws
        for i in range(len(opened)):
            r = i + 1
            brands = BRANDS[_BRAND_CATS[a["cat"][i]]]
            ws.write_string(r, 0, f"SB{year}-{i + 1:0{width}d}")
            sheet.write_day(r, 1, int(opened[i]))
            if a["closed"][i] <= END_DN:
                sheet.write_day(r, 2, int(a["closed"][i]))
            ws.write_string(r, 3, agency_zh[a["agency"][i]])
            ws.write_string(r, 4, brands[a["brand"][i] % len(brands)])
            ws.write_string(r, 5, cat_zh[a["cat"][i]])
            ws.write_string(r, 6, infringement_zh[a["infringement"][i]])
            ws.write_string(r, 7, location_zh[a["location"][i]])
            ws.write_number(r, 8, int(a["units"][i]), sheet.int_fmt)
            ws.write_number(r, 9, float(a["value"][i]), sheet.money_fmt)
            ws.write_number(r, 10, float(a["fine"][i]), sheet.money_fmt)
            ws.write_string(r, 11, "是" if a["police"][i] else "否")
            if a["partner"][i] >= 0:
                ws.write_string(r, 12, partner_zh[a["partner"][i]])
        sheet.close()
        progress(path.name, len(opened))
        paths.append(path)
    return paths
