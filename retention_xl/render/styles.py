"""Cell formats of the report: one palette, one font per language, cached formats.

XlsxWriter formats are workbook objects; :class:`Styles` creates each distinct
combination once (``styles.get(bold=True, num_format="0.0%")``).
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.workbook import Workbook

from retention_xl.common.currency import money_format

# Palette: dark blue accents, soft greys, and the traffic-light pairs Excel users
# know from "Good / Neutral / Bad" cell styles (fill, font).
ACCENT = "#1F4E79"
ACCENT_LIGHT = "#DDEBF7"
INK = "#262626"
MUTED = "#595959"
FAINT = "#7F7F7F"
RULE = "#BFBFBF"
HEADER_FILL = "#1F4E79"
BAND = "#F2F2F2"
STATUS_COLOURS = {
    "good": ("#C6EFCE", "#006100"),
    "warn": ("#FFEB9C", "#7F5F00"),
    "bad": ("#FFC7CE", "#9C0006"),
    "info": ("#EDEDED", "#404040"),
    "none": ("#EDEDED", "#7F7F7F"),
}
CHART_COLOURS = ["#2E75B6", "#ED7D31", "#A5A5A5", "#70AD47", "#FFC000"]

# A font that has the language's letters on every Windows and Mac with Office.
FONTS = {"en": "Calibri", "ru": "Calibri", "zh": "Microsoft YaHei"}

class MoneyFormat(str):
    """A number format of money figures: Styles adds the report currency's symbol to it (issue 18)."""


COUNT = "#,##0"
MONEY = MoneyFormat("#,##0")
MONEY2 = MoneyFormat("#,##0.00")
PERCENT = "0.0%"
PERCENT0 = "0%"
DECIMAL2 = "0.00"
SCORE = "+0;-0;0"


class Styles:
    def __init__(self, workbook: Workbook, lang: str, date_format: str, month_format: str,
                 currency: str | None = None) -> None:
        self.workbook = workbook
        self.currency = currency  # ISO code whose symbol money formats carry; None: no symbol
        self.font = FONTS.get(lang, "Calibri")
        self.date_format = date_format
        self.month_format = month_format
        self._cache: dict[tuple[tuple[str, Any], ...], Any] = {}

    def get(self, **props: Any) -> Any:
        full = {"font_name": self.font, "font_size": 10, "valign": "vcenter", "font_color": INK}
        full.update(props)
        fmt_ = full.get("num_format")
        if self.currency and isinstance(fmt_, MoneyFormat):
            full["num_format"] = money_format(str(fmt_), self.currency)
        key = tuple(sorted(full.items()))
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self.workbook.add_format(full)
            self._cache[key] = fmt
        return fmt

    # frequently used
    def title(self) -> Any:
        return self.get(font_size=18, bold=True, font_color=ACCENT)

    def subtitle(self) -> Any:
        return self.get(font_size=10, font_color=MUTED)

    def note(self, **props: Any) -> Any:
        return self.get(font_size=9, font_color=MUTED, text_wrap=True, valign="top", **props)

    def section(self) -> Any:
        return self.get(font_size=12, bold=True, font_color=ACCENT, bottom=2, bottom_color=ACCENT)

    def header(self, **props: Any) -> Any:
        base = dict(bold=True, font_color="#FFFFFF", bg_color=HEADER_FILL, text_wrap=True,
                    align="center", border=1, border_color=RULE)
        base.update(props)
        return self.get(**base)

    def cell(self, num_format: str | None = None, **props: Any) -> Any:
        base: dict[str, Any] = dict(border=1, border_color="#D9D9D9")
        if num_format:
            base["num_format"] = num_format
        base.update(props)
        return self.get(**base)

    def text_cell(self, **props: Any) -> Any:
        # "@" keeps a value typed over it later as text, too
        return self.cell("@", **props)

    def total(self, num_format: str | None = None, **props: Any) -> Any:
        return self.cell(num_format, bold=True, top=2, top_color=ACCENT, bg_color=BAND, **props)

    def date(self, **props: Any) -> Any:
        return self.cell(self.date_format, align="center", **props)

    def month(self, **props: Any) -> Any:
        return self.cell(self.month_format, align="left", **props)
