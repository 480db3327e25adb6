"""One declaration per Excel function: the argument conversions are annotations.

xlwings' own idea (``Annotated[x, {"doc": ...}]`` type hints, converters) turned
into a small decorator so each Excel name is written once::

    @excel_function(cellwise=True)
    def CRR(
        customers_end: Number("customers at the end", "Customers at the end of the period (E)."),
        ...
    ):
        \"\"\"Customer retention rate ...\"\"\"
        return metrics.crr(customers_end, ...)

:func:`excel_function` reads the annotations and registers the function through
xlwings' real decorators (``xw.func`` / ``xw.arg``), so ``xlwings.udfs`` and its
VBA generator see the same names, docs and options as hand-written
``@xw.arg`` lines. The annotations themselves are hidden from xlwings (it would
read a type hint as a converter). The wrapper:

* converts every argument as declared, inside one guard that turns a bad cell
  into a message starting with the function name (or the cell's Excel error),
  so no traceback reaches a cell;
* with ``cellwise=True``, accepts ranges (``ndim=2``) and returns the same
  shape, one result or message per cell (see :func:`each_cell`);
* when the body has a ``date1904`` parameter, exposes a hidden ``caller``
  argument (xlwings fills it with the calling Range; the VBA wrapper passes
  ``Nothing`` and shows no argument) and passes the calling workbook's date
  system to the body (:func:`workbook_date1904`).
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import xlwings as xw

from retention_xl.errors import RetentionXLError
from retention_xl.messages import Message
from retention_xl.excel import cell_input as cells_in

#: Insert Function groups our functions under this category.
CATEGORY = "retention_xl"

#: Longest message written to a cell; longer ones are cut with "…".
MAX_MESSAGE = 250


# --- messages -----------------------------------------------------------------------


def message(name: str, text: str) -> str:
    """`text` as a cell message that starts with the function name, at most MAX_MESSAGE long.

    A message that already speaks for this function (its ``fn`` field) is not prefixed again.
    """
    if not (isinstance(text, Message) and text.fields.get("fn") == name):
        text = f"{name}: {text}"
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def failure(name: str, err: Exception) -> str:
    """What a cell shows for an exception: the Excel error of an error cell, else a message."""
    if isinstance(err, cells_in.CellError):
        return err.error
    if isinstance(err, RetentionXLError):
        return message(name, err.message)
    return message(name, f"could not compute this ({type(err).__name__}: {err})")


def run(name: str, compute: Callable[[], Any]) -> Any:
    """Call `compute`; turn any failure into what the cell should show."""
    try:
        return compute()
    except Exception as err:  # noqa: BLE001 - last resort: a message, never a traceback
        return failure(name, err)


# --- argument declarations --------------------------------------------------------------


@dataclass(frozen=True)
class Arg:
    """An argument passed to the body as xlwings delivers it."""

    doc: str
    #: a range (list of rows, ``ndim=2``) rather than a single cell
    range: bool = False

    def convert(self, fn: str, value: Any, default: Any) -> Any:  # noqa: ARG002
        return value


@dataclass(frozen=True)
class Cells(Arg):
    """A range of cells, passed to the body as a list of rows."""

    range: bool = True


@dataclass(frozen=True)
class Numbers(Arg):
    """A range read like Excel's AVERAGE (:func:`cell_input.numbers`): a float array."""

    range: bool = True

    def convert(self, fn: str, value: Any, default: Any) -> Any:
        return cells_in.numbers(value)


@dataclass(frozen=True)
class Number:
    """One number (:func:`cell_input.scalar`); `what` names it in messages.

    A blank cell is the signature's default when the argument has a numeric one,
    else the message "<what> is blank".
    """

    what: str
    doc: str
    range: bool = False

    def convert(self, fn: str, value: Any, default: Any) -> float:
        blank = float(default) if isinstance(default, (int, float)) and not isinstance(default, bool) else None
        return cells_in.scalar(fn, self.what, value, blank)


@dataclass(frozen=True)
class Text:
    """One text cell (:func:`cell_input.text`); a blank is the signature's text default."""

    what: str
    doc: str
    range: bool = False

    def convert(self, fn: str, value: Any, default: Any) -> str:
        return cells_in.text(fn, self.what, value, default if isinstance(default, str) and default else None)


Converter = Arg | Number | Text


# --- the workbook's date system -------------------------------------------------------------

def workbook_date1904(caller: Any) -> bool:
    """True when the workbook of `caller` (xlwings' calling Range) uses the 1904 date system.

    One home for reading it (cell_input.workbook_date1904, read once per workbook and
    cached, the button uses it too); no caller — a call from Python — means the 1900
    system, Excel's default.
    """
    if caller is None:
        return False
    try:
        book = caller.sheet.book
    except Exception:  # noqa: BLE001 - not a workbook range: Excel's default
        return False
    return cells_in.workbook_date1904(book)


# --- cells over ranges ----------------------------------------------------------------------------


def _shape(value: Any) -> tuple[int, ...] | None:
    """Shape of a range argument; None for a single cell (scalar, [x] or [[x]])."""
    if isinstance(value, np.ndarray):
        shape = value.shape
    elif isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (list, tuple)):
            width = len(value[0])
            try:
                same = set(map(len, value)) == {width}
            except TypeError:  # a cell among the rows
                same = False
            if not same:
                raise _Jagged
            shape = (len(value), width)
        else:
            shape = (len(value),)
    else:
        return None
    return None if math.prod(shape) == 1 else shape


class _Jagged(Exception):
    """A list of rows of different lengths (no Excel range looks like that)."""


def _shown(shape: tuple[int, ...] | None) -> str:
    if shape is None:
        return "1 cell"
    return "×".join(map(str, shape)) if len(shape) == 2 else f"{shape[0]} cells"


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Failed:
    """A cell whose conversion failed: holds what the result cell shows."""

    __slots__ = ("shown",)

    def __init__(self, shown: str) -> None:
        self.shown = shown


def _convert_column(name: str, conv: Converter, flat: list[Any], default: Any) -> list[Any]:
    """Every cell of one argument converted, a _Failed in place of a bad cell."""
    if len(flat) == 1:
        try:
            return [conv.convert(name, flat[0], default)]
        except Exception as err:  # noqa: BLE001
            return [_Failed(failure(name, err))]
    plain_numbers = isinstance(conv, Number)  # a finite float cell is its own value
    isfinite = math.isfinite
    out = list(flat)
    for k, v in enumerate(flat):
        if plain_numbers and type(v) is float and isfinite(v):
            continue
        try:
            out[k] = conv.convert(name, v, default)
        except Exception as err:  # noqa: BLE001
            out[k] = _Failed(failure(name, err))
    return out


def each_cell(
    name: str,
    body: Callable[..., Any],
    args: list[tuple[Converter, Any, Any]],
) -> Any:
    """`body` once per cell of equal-shaped ranges; single cells broadcast.

    `args` holds (converter, value, signature default) per argument. All single
    cells: one result, exactly as a plain call. Otherwise the result has the
    ranges' shape (a list of rows for 2-D ranges, a flat list for 1-D ones);
    each cell is the body's result, the message or Excel error of its own
    inputs, or blank (None) when all its range inputs are blank. Ranges of
    different shapes give one message.
    """
    try:
        shapes = [_shape(v) for _, v, _ in args]
    except _Jagged:
        return message(name, "a range argument has rows of different lengths")
    ranged = [i for i, s in enumerate(shapes) if s is not None]
    if not ranged or any(0 in shapes[i] for i in ranged):  # an empty range: the single-cell message
        return _spilled(run(name, lambda: body(*[c.convert(name, v, d) for c, v, d in args])))
    shape = shapes[ranged[0]]
    if any(shapes[i] != shape for i in ranged):
        described = ", ".join(  # the options (interval …) are no figures: left out of the sentence
            f"{getattr(c, 'what', 'argument')} {_shown(s)}" for (c, _, _), s in zip(args, shapes)
            if s is not None or hasattr(c, "what")
        )
        return message(name, f"the ranges must have the same shape ({described})")
    n = math.prod(shape)
    raw = [cells_in.cells(v) for _, v, _ in args]
    columns: list[list[Any]] = []
    for (conv, _, default), flat, s in zip(args, raw, shapes):
        if s is None:  # a single cell: converted once, the same for every row
            columns.append(_convert_column(name, conv, flat[:1], default) * n)
        else:
            columns.append(_convert_column(name, conv, flat, default))
    blank = np.ones(n, dtype=bool)
    for i in ranged:
        if set(map(type, raw[i])) <= {float}:  # numbers only: no blank cell
            blank[:] = False
            break
        blank &= np.fromiter(map(_is_blank, raw[i]), dtype=bool, count=n)
    blank_rows = blank.tolist()
    # What a cell shows when one of its inputs could not be read: the first argument's failure wins.
    shown: list[str | None] = [None] * n
    for col in columns:
        if any(type(v) is _Failed for v in col):
            for k, v in enumerate(col):
                if shown[k] is None and type(v) is _Failed:
                    shown[k] = v.shown
    results: list[Any] = []
    append = results.append
    for k, row in enumerate(zip(*columns)):
        if blank_rows[k]:
            append(None)
        elif shown[k] is not None:
            append(shown[k])
        else:
            try:
                append(body(*row))
            except Exception as err:  # noqa: BLE001
                append(failure(name, err))
    if any(isinstance(r, SpillRow) for r in results):
        return _rows_of(name, results, shape)
    if len(shape) == 2:
        width = shape[1]
        return [results[r * width : (r + 1) * width] for r in range(shape[0])]
    return results


class SpillRow(list):
    """A body's result that is one row of cells (a value and its 95 % interval low and high):
    one call spills it to the right of its cell; over a column of inputs each row spills its own."""


def _spilled(result: Any) -> Any:
    return [list(result)] if isinstance(result, SpillRow) else result


def _rows_of(name: str, results: list[Any], shape: tuple[int, ...]) -> Any:
    """Results of a range call where some cells are rows (SpillRow): one output row per input cell."""
    if len(shape) == 2 and shape[1] != 1 and shape[0] != 1:
        return message(name, "with the interval, give the inputs as one column (or one row) of cells")
    width = max(len(r) for r in results if isinstance(r, SpillRow))
    return [list(r) if isinstance(r, SpillRow) else [r] + [None] * (width - 1) for r in results]


# --- the decorator ------------------------------------------------------------------------------------


def excel_function(
    f: Callable[..., Any] | None = None, *, cellwise: bool = False, call_in_wizard: bool = True
) -> Any:
    """Register `f` as the Excel function of the same name (see the module docstring)."""

    def register(body: Callable[..., Any]) -> Callable[..., Any]:
        name = body.__name__
        sig = inspect.signature(body)
        hints = inspect.get_annotations(body, eval_str=True)
        params = [p for p in sig.parameters.values() if p.name != "date1904"]
        reads_dates = "date1904" in sig.parameters
        convs: list[Converter] = []
        for p in params:
            conv = hints.get(p.name)
            if not isinstance(conv, (Arg, Number, Text)):
                raise TypeError(f"{name}: argument {p.name} needs a declaration such as Number(...)")
            convs.append(conv)
        defaults = [None if p.default is inspect.Parameter.empty else p.default for p in params]

        def call(*values: Any, **named: Any) -> Any:
            if named:  # a call from Python by argument name
                bound = call.__signature__.bind(*values, **named)
                bound.apply_defaults()
                values = tuple(bound.arguments.values())
            given = list(values[: len(params)])
            given += defaults[len(given) :]
            extra: dict[str, Any] = {}
            if reads_dates:
                caller = values[len(params)] if len(values) > len(params) else None
                extra["date1904"] = workbook_date1904(caller)
            if cellwise:
                return each_cell(
                    name,
                    (lambda *row: body(*row, **extra)) if extra else body,
                    [(c, v, d) for c, v, d in zip(convs, given, defaults)],
                )
            return _spilled(run(
                name,
                lambda: body(*[c.convert(name, v, d) for c, v, d in zip(convs, given, defaults)], **extra),
            ))

        functools.update_wrapper(call, body)
        del call.__wrapped__  # xlwings must read the signature below, not the body's
        call.__annotations__ = {}  # xlwings would take a type hint as a converter
        shown = [p.replace(annotation=inspect.Parameter.empty) for p in params]
        if reads_dates:
            # xlwings gives an argument named "caller" the calling Range and leaves it out of the VBA
            shown.append(inspect.Parameter("caller", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None))
        call.__signature__ = sig.replace(parameters=shown, return_annotation=inspect.Signature.empty)

        # Innermost first, as stacked @xw.arg lines under @xw.func apply.
        wrapped: Any = call
        for p, conv in reversed(list(zip(params, convs))):
            options: dict[str, Any] = {"err_to_str": True}
            if conv.range or cellwise:
                options["ndim"] = 2
            wrapped = xw.arg(p.name, doc=conv.doc, **options)(wrapped)
        func_options: dict[str, Any] = {"category": CATEGORY}
        if not call_in_wizard:
            func_options["call_in_wizard"] = False
        return xw.func(**func_options)(wrapped)

    return register(f) if f is not None else register
