"""The ``retention-xl`` command: build the KPI report workbook from an order export.

    retention-xl report orders.xlsx [-o "orders KPI report.xlsx"] [--json kpis.json] …
    retention-xl demo [-o demo.xlsx] [--lang ru]
    retention-xl doctor [--lang ru]      check the setup (Python, xlwings, DLL, the functions)

Exit status: 0 report written; 1 the input or a setting cannot be used (the
message says why); 2 wrong command-line usage; 70 unexpected internal error
(one line; the traceback only with RETENTION_XL_DEBUG=1); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from contextlib import ExitStack, redirect_stderr, redirect_stdout
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Sequence, TextIO

from retention_xl import __version__
from retention_xl.errors import InputError, RetentionXLError
from retention_xl.render.labels import LANGS, Labels
from retention_xl.render.notices import notice_lines
from retention_xl.settings import ColumnChoice, ReportSettings, margin_fraction

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 70, 130
DEBUG_ENV = "RETENTION_XL_DEBUG"
PROG = "retention-xl"
#: What `report` reads (read.files.WORKBOOK_EXT and TEXT_EXT), as the help says it.
INPUT_FORMATS = "Excel workbooks .xlsx, .xlsm, .xltx, .xltm, .xlsb, .xls, .ods; text exports .csv, .tsv, .txt, .tab"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line instead of usage + message
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD (e.g. 2024-12-31)")


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if n < 1:
        raise argparse.ArgumentTypeError("the activity window must be at least 1 day")
    return n


def _amount(text: str) -> float:
    try:
        value = float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount (e.g. 25 or 12.50)") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("the acquisition cost must be a positive amount")
    return value


def _fraction(text: str) -> float:
    value = margin_fraction(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a margin between 0 and 100 % (e.g. 0.3 or 30%)")
    return value


def _add_common(p: argparse.ArgumentParser, output_help: str) -> None:
    p.add_argument("-o", "--output", metavar="OUT.xlsx", type=Path, help=output_help)
    p.add_argument("--json", metavar="FILE", type=Path, help="also write the headline figures as JSON")
    p.add_argument("--lang", choices=LANGS, default="en", type=lambda t: str(t).strip().lower(),
                   help="language of the report (default: en)")
    p.add_argument("--period-start", metavar="DATE", type=_date,
                   help="period start t0 (exclusive); default: period end − 365 days, or the day before the "
                        "first order when the data is shorter")
    p.add_argument("--period-end", metavar="DATE", type=_date,
                   help="period end t1 (inclusive); default: the latest order date")
    p.add_argument("--active-days", metavar="N", type=_positive_int, default=None,
                   help="a customer is active while their latest order is less than N days old (default: 365 "
                        "days when the data holds a year before the period, else the longest of 180, 90, 30 "
                        "days it supports)")
    p.add_argument("--industry", metavar="NAME",
                   help="compare CRR with an industry benchmark: retail, banking, telecom, IT, insurance, "
                        "professional services, media")
    p.add_argument("--anonymize", "--anonymise", action="store_true",
                   help="pseudonymous customer ids; no names, e-mails or phone numbers anywhere")
    p.add_argument("--all-customers", action="store_true",
                   help="list every customer on the Customers sheet (default: the most valuable and most at risk)")
    acq = p.add_argument_group("acquisition cost and payback (Where to act sheet)")
    acq.add_argument("--spend", metavar="FILE", type=Path,
                     help='marketing spend: a CSV or workbook with the columns month, amount and optionally '
                          'channel (default: the order workbook\'s sheet "Marketing spend", if it has one)')
    acq.add_argument("--cac", metavar="AMOUNT", type=_amount,
                     help="one acquisition cost per new customer, instead of a spend table")
    acq.add_argument("--margin", metavar="FRACTION", type=_fraction,
                     help="gross margin for the payback month, e.g. 0.3 for 30 %% (default: revenue as is)")
    p.add_argument("--currency", metavar="CODE",
                   help="currency of the money figures (ISO code: USD, EUR, RUB, CNY …); default: the currency "
                        "of the most order rows. A bare ¥ is read as CNY unless this says JPY")
    p.add_argument("--rates", metavar="FILE", type=Path,
                   help="exchange rates (CSV or workbook: currency,rate[,month]; rate = value of one unit in "
                        "the report currency) to convert other currencies; without it their amounts are left "
                        "out of the money figures")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Customer-retention KPI report workbook from an order export.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    rep = sub.add_parser("report", help="build the KPI report from an order export (Excel workbook or CSV)",
                         description="Build the KPI report workbook from an order export. The input file is "
                                     "only read, never changed.")
    rep.add_argument("input", metavar="INPUT", type=Path, help=f"the order export: {INPUT_FORMATS}")
    rep.add_argument("--sheet", metavar="NAME", help="sheet to read (default: the first one with orders)")
    rep.add_argument("--all-sheets", action="store_true",
                     help="read every sheet whose header has the same columns as the first order sheet "
                          "(one sheet per month) into one report; backup copies are read once")
    _add_common(rep, 'report workbook to write (default: "<input name> KPI report.xlsx" in the input\'s folder)')
    cols = rep.add_argument_group("columns (headers are found automatically; name them to override)")
    for flag, help_ in (("customer", "customer id"), ("date", "order date"), ("amount", "order or line amount"),
                        ("qty", "quantity (with --price-col, when there is no amount)"),
                        ("price", "unit price"), ("order", "order id"), ("returned", "returned/cancelled flag or order status")):
        cols.add_argument(f"--{flag}-col", metavar="HEADER", help=f"header of the {help_} column")
    demo = sub.add_parser("demo", help="build the report from the bundled sample orders",
                          description="Build the KPI report from the sample order export shipped with retention_xl "
                                      "(2,431 order lines of an invented shop, 2023-2024).")
    _add_common(demo, 'report workbook to write (default: "retention_xl demo KPI report.xlsx" in the current '
                      'folder)')
    doc = sub.add_parser("doctor", help="check the setup: Python, xlwings, the DLL, whether the functions answer",
                         description="Check that retention_xl, xlwings and the Excel functions are set up; "
                                     "a fix for each problem. Exit status 0 when all is well, 1 otherwise.")
    doc.add_argument("--lang", choices=LANGS, default="en", help="language of the check (default: en)")
    return parser


class Progress:
    """Step messages on stderr while a report is built; silent when stderr is not a terminal."""

    def __init__(self, stream: TextIO, enabled: bool | None = None) -> None:
        self.stream = stream
        self.enabled = stream.isatty() if enabled is None else enabled
        self.t0 = time.monotonic()
        self._width = 0

    def __call__(self, message: str) -> None:
        if not self.enabled:
            return
        line = f"  {time.monotonic() - self.t0:5.1f}s  {message}…"
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = len(line)

    def done(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


def _settings(args: argparse.Namespace) -> ReportSettings:
    industry = args.industry
    if industry:
        from retention_xl.engine.metrics import industry_key  # validates; the message names the choices
        try:
            industry_key(industry)
        except RetentionXLError as e:
            raise InputError(e.message.but(fn="--industry")) from None  # CRR_BENCHMARK's message, named as the option
    if args.period_start and args.period_end and args.period_start >= args.period_end:
        raise InputError("error.cli_period_order")
    currency = None
    if args.currency:
        from retention_xl.engine.currency import check_code
        currency = check_code(args.currency, "--currency")
    return ReportSettings(period_start=args.period_start, period_end=args.period_end,
                          active_days=args.active_days, industry=industry, lang=args.lang,
                          anonymize=args.anonymize, all_customers=args.all_customers, margin=args.margin,
                          currency=currency, all_sheets=bool(getattr(args, "all_sheets", False)))


def _summary(outcome, out: TextIO, lang: str, read=None) -> None:
    L = Labels(lang)
    rep = outcome.report
    crr = L.percent(rep.retention.value, 1)
    print(L("cli.written", path=outcome.workbook), file=out)
    code = rep.currency.currency if getattr(rep, "currency", None) is not None else None  # issue 18
    print("  " + L("cli.summary", customers=L.number(rep.customers), orders=L.number(rep.orders),
                   revenue=L.number(rep.revenue) + (f" {code}" if code else ""), crr=crr), file=out)
    print("  " + L("dash.rows", read=L.number(rep.rows_read), used=L.number(rep.rows_used),
                   skipped=L.number(rep.rows_skipped)), file=out)
    for line in notice_lines(rep, getattr(outcome, "other_sheets", ()), L, cli=True):  # issues 18, 19
        print("  " + line, file=out)
    if read is not None:  # issue 17: the platform layout read, and column choices in doubt, as on the Dashboard
        from retention_xl.render import ReportSource, input_lines

        src = ReportSource(name="", layout=getattr(read, "layout", None), picks=tuple(getattr(read, "picks", ()) or ()))
        for line in input_lines(src, L):
            print("  " + line, file=out)
    for path in (outcome.json, outcome.issues_csv):
        if path is not None:
            print(f"  + {path}", file=out)


def _spend(args: argparse.Namespace, src: Path):
    """The marketing spend: --spend FILE, --cac AMOUNT, else the input workbook's spend sheet."""
    from retention_xl.read import spend

    if args.spend is not None and args.cac is not None:
        raise InputError("error.cli_spend_and_cac")
    if args.spend is not None:
        if not Path(args.spend).is_file():
            raise InputError("error.cli_no_spend_file", file=str(args.spend))
        return spend.read_spend_file(args.spend)
    if args.cac is not None:
        return spend.flat_cac(args.cac)
    return spend.spend_sheet_of(src)


def _doctor(args: argparse.Namespace, stdout: TextIO) -> int:
    from retention_xl.excel import doctor

    checks = doctor.run_checks()
    for line in doctor.render(checks, args.lang):
        print(line, file=stdout)
    return EXIT_OK if not doctor.problems(checks) else EXIT_INPUT


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if args.command == "doctor":
        return _doctor(args, stdout)
    from retention_xl.read.orders import read_orders
    from retention_xl.pipeline import build_report, default_output

    settings = _settings(args)
    progress = Progress(stderr)
    with ExitStack() as stack:
        if args.command == "demo":
            sample = resources.files("retention_xl") / "data" / "sample_orders.csv"
            src = stack.enter_context(resources.as_file(sample))
            out = args.output or Path.cwd() / "retention_xl demo KPI report.xlsx"
            choice = ColumnChoice()
            sheet = None
        else:
            src = args.input
            if not src.exists():
                raise InputError("error.cli_no_input", file=str(src))
            if src.is_dir():
                raise InputError("error.cli_input_folder", file=str(src))
            out = args.output or default_output(src)
            choice = ColumnChoice(customer=args.customer_col, date=args.date_col, amount=args.amount_col,
                                  quantity=args.qty_col, price=args.price_col, order=args.order_col,
                                  returned=args.returned_col)
            sheet = args.sheet
        rates = None
        if args.rates is not None:
            from retention_xl.read.rates import read_rates
            rates = read_rates(args.rates)
        progress(f"reading {Path(src).name}")
        try:
            read = read_orders(src, sheet=sheet, columns=choice, yen=settings.currency,
                               all_sheets=settings.all_sheets)
        except (PermissionError, IsADirectoryError, FileNotFoundError) as e:
            raise InputError("error.cli_cannot_read", file=Path(src).name, reason=str(e.strerror or e)) from None
        spend = _spend(args, src)
        try:
            outcome = build_report(read, settings, out, args.json, progress=progress, spend=spend,
                                   rates=rates)
        finally:
            progress.done()
    _summary(outcome, stdout, settings.lang, read)
    return EXIT_OK


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            args = parser.parse_args(argv)
    except SystemExit as e:  # --help, --version, usage errors
        return int(e.code or 0) if isinstance(e.code, int) else EXIT_USAGE
    try:
        return run(args, stdout, stderr)
    except RetentionXLError as e:  # said in the report's language (--lang), English by default
        print(f"{PROG}: {_one_line(Labels(getattr(args, 'lang', None) or 'en').message(e.message))}", file=stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=stderr)
        return EXIT_INTERRUPTED
    except MemoryError:
        print(f"{PROG}: not enough memory for this file", file=stderr)
        return EXIT_BUG
    except Exception as e:  # last resort: one line, no traceback
        if os.environ.get(DEBUG_ENV):
            traceback.print_exc(file=stderr)
        print(f"{PROG}: unexpected error: {type(e).__name__}: {_one_line(str(e))}"
              f" (set {DEBUG_ENV}=1 for details)", file=stderr)
        return EXIT_BUG


def _one_line(text: str) -> str:
    return " ".join(text.split())


if __name__ == "__main__":
    sys.exit(main())
