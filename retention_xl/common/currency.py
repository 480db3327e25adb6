"""Currencies: ISO 4217 codes, the signs and words people write for them, their display symbols.

One home for the reader (a sign or code in an amount, a currency column), the rates
file and the report's number formats (issue 18).

The yen sign is shared by two currencies: ``¥`` / ``￥`` alone is read as Chinese yuan
(CNY) - most users who write it are in China - unless the data or the chosen report
currency says Japanese yen (JPY); ``円`` is always JPY and ``元`` always CNY.
"""

from __future__ import annotations

import re
import unicodedata

#: Active ISO 4217 codes (2024 list, minus funds and precious metals).
ISO_CODES: frozenset[str] = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP
STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF
XPF YER ZAR ZMW ZWL
""".split())

#: The sign alone means this currency until the data says otherwise.
YEN_SIGN = "¥"
YEN_DEFAULT = "CNY"

#: Signs and words (case-folded, NFKC) -> ISO code. ``¥`` is resolved by :func:`resolve_yen`.
_WORDS: dict[str, str] = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "доллар": "USD",
    "долларов": "USD", "долл": "USD", "美元": "USD", "c$": "CAD", "a$": "AUD", "hk$": "HKD",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "евро": "EUR", "欧元": "EUR",
    "£": "GBP", "gbp": "GBP", "英镑": "GBP",
    "₽": "RUB", "rub": "RUB", "rur": "RUB", "руб": "RUB", "руб.": "RUB", "рубль": "RUB", "рублей": "RUB",
    "рубля": "RUB", "р": "RUB", "р.": "RUB", "卢布": "RUB",
    "cn¥": "CNY", "rmb": "CNY", "cny": "CNY", "元": "CNY", "人民币": "CNY", "юань": "CNY", "юаней": "CNY",
    "jpy": "JPY", "円": "JPY", "日元": "JPY", "иена": "JPY", "иен": "JPY",
    "¥": YEN_SIGN, "￥": YEN_SIGN,
    "₴": "UAH", "грн": "UAH", "грн.": "UAH", "₸": "KZT", "тг": "KZT", "тг.": "KZT", "тенге": "KZT",
    "₩": "KRW", "₹": "INR", "br": "BYN", "бел. руб.": "BYN",
}

#: What the report shows beside money figures (Excel number formats).
SYMBOLS: dict[str, str] = {
    "USD": "$", "EUR": "€", "GBP": "£", "RUB": "₽", "CNY": "¥", "JPY": "¥", "UAH": "₴", "KZT": "₸",
    "KRW": "₩", "INR": "₹",
}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold().replace("ё", "е")


def currency_code(text: object) -> str | None:
    """The ISO code a currency cell or sign means ("руб." -> "RUB", "usd" -> "USD"); None when not one.

    A bare yen sign gives :data:`YEN_SIGN` (see :func:`resolve_yen`).
    """
    if text is None or not isinstance(text, str):
        return None
    t = _fold(text)
    if not t:
        return None
    if t in _WORDS:
        return _WORDS[t]
    if text.strip() in _WORDS:  # ￥ folds to ¥ under NFKC; keep both
        return _WORDS[text.strip()]
    up = re.sub(r"[\s.]", "", t).upper()
    if up in ISO_CODES:
        return up
    return None


def resolve_yen(codes: set[str], preferred: str | None = None) -> str:
    """What a bare ¥ means: JPY when asked for (``preferred``) or when the data names JPY and not CNY."""
    if preferred in ("JPY", "CNY"):
        return preferred
    if "JPY" in codes and "CNY" not in codes:
        return "JPY"
    return YEN_DEFAULT


def money_format(base: str, code: str | None) -> str:
    """An Excel number format with the currency's symbol: '#,##0.00 "₽"', '[$$-409]#,##0.00'.

    Without a code the format is returned as it is (no symbol when the data names no currency).
    """
    if not code:
        return base
    sym = SYMBOLS.get(code)
    if code == "USD":
        return f"[$$-409]{base}"
    if code in ("GBP", "EUR") and sym:
        return f'"{sym}"{base}' if code == "GBP" else f'{base} "{sym}"'
    if code in ("CNY", "JPY"):
        return f'"{sym}"{base}'
    if sym:
        return f'{base} "{sym}"'
    return f'{base} "{code}"'
