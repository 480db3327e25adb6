"""Messages are data (issue 11): one registry of codes, worded once per language, rendered by the shells."""

from __future__ import annotations

import io
import pickle
import re
import string
from datetime import datetime

import pytest

from retention_xl import cli, messages
from retention_xl.engine import metrics
from retention_xl.errors import InputError, MetricError, RetentionXLError
from retention_xl.messages import ENGLISH, Join, Message, Note
from retention_xl.render import labels as LB

_CYRILLIC_OR_CJK = re.compile(r"[А-Яа-яЁё\u4e00-\u9fff]")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_is_worded_in_every_language_with_the_same_fields():
    assert {c.split(".")[0] for c in ENGLISH} == {"read", "skip", "kpi", "clv", "error", "hint"}
    for lang in LB.LANGS:
        for code, english in ENGLISH.items():
            said = LB.template(lang, code)
            assert _fields(said) == _fields(english), (lang, code)
            if lang != "en":
                assert said != english or not re.search("[a-z]{4} [a-z]{4}", english), (lang, code)


def test_the_russian_and_chinese_tables_word_exactly_the_registrys_codes():
    codes = {c for c in ENGLISH if c.startswith(("kpi.", "clv.", "error.", "hint."))}
    for lang in ("ru", "zh"):
        assert {k for k in LB._MESSAGE_WORDS[lang] if not k.startswith("join.")} == codes, lang
        assert set(LB.NOTE_WORDS[lang]) == set(messages.WORDS), lang


def test_every_language_joins_a_list_its_own_way():
    for lang in ("ru", "zh"):
        assert {k for k in LB._MESSAGE_WORDS[lang] if k.startswith("join.")} == {f"join.{j}" for j in messages.JOINS}


def test_every_hint_has_a_cli_and_an_excel_wording():
    hints = {c.rsplit(".", 1)[0] for c in ENGLISH if c.startswith("hint.")}
    assert hints and all(f"{h}.{shell}" in ENGLISH for h in hints for shell in messages.SHELLS)


def test_a_message_is_its_english_sentence_and_keeps_code_and_fields():
    m = Message("error.cli_no_input", file="orders.csv")
    assert m == 'cannot find the input file "orders.csv"'
    assert (m.code, m.fields) == ("error.cli_no_input", {"file": "orders.csv"})
    assert LB.Labels("ru").message(m) == "входной файл «orders.csv» не найден"
    assert LB.Labels("zh").message(m) == "找不到输入文件“orders.csv”"


def test_a_reading_note_is_a_message_of_kind_read_and_keeps_about_and_pickling():
    note = Note("decimal_comma").about("Сумма")
    assert isinstance(note, Message) and note.code == "read.decimal_comma" and note.column == "Сумма"
    back = pickle.loads(pickle.dumps(note))
    assert type(back) is Note and back == note and back.column == "Сумма"
    assert LB.Labels("ru").note(back) == "«Сумма»: в суммах десятичная запятая"


def test_an_error_carries_its_message_through_pickling():
    err = InputError("error.missing_columns", where=Message("error.from_where", where='"a.csv"'),
                     missing=Join(("customer_id", "date"), "and_no"), headers='"Amount"', hint="rename_column")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is InputError and str(back) == str(err)
    assert back.message.code == "error.missing_columns" and back.message.fields["where"].code == "error.from_where"
    assert LB.Labels("zh").message(back.message) == LB.Labels("zh").message(err.message)
    assert str(err).startswith('Cannot build the report from "a.csv": no customer id (or customer name / e-mail) '
                               "and no order date column found.")


def test_a_clv_fit_error_keeps_its_reason_code_through_pickling():
    from retention_xl.engine.clv._common import ClvFitError

    err = ClvFitError("few_repeat_buyers", n=3, min=20, model="spend")
    back = pickle.loads(pickle.dumps(err))
    assert back.code == "few_repeat_buyers" and str(back) == str(err)
    assert str(err) == "Only 3 customers bought more than once; at least 20 are needed to fit the spend model."


def test_the_command_line_and_excel_word_the_same_hint_each_their_own_way():
    err = InputError("error.missing_columns", where="", missing=Join(("date",), "and_no"), headers='"X"',
                     hint="rename_column")
    assert str(err).endswith("Rename the column or name it explicitly (--customer-col, --date-col, --amount-col).")
    excel = LB.Labels("en").message(err.message, shell="excel")
    assert excel.endswith('and click Build KPI report again.') and "--customer-col" not in excel
    ru = LB.Labels("ru").message(err.message, shell="excel")
    assert "нажмите кнопку «Build KPI report»" in ru and "--" not in ru


def test_churn_names_churn_in_every_message_it_shares_with_crr():
    with pytest.raises(MetricError, match=r"^CHURN: new customers \(12\) exceed customers at the end \(10\)$"):
        metrics.churn(10, 12, 100)
    with pytest.raises(MetricError, match=r"^CHURN: customers at the start is 0 \(division by zero\)$"):
        metrics.churn(10, 2, 0)
    with pytest.raises(MetricError, match=r"^CRR: new customers"):
        metrics.crr(10, 12, 100)


def _cli(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, stdout=out, stderr=err)
    return code, err.getvalue()


def test_an_unknown_industry_on_the_command_line_names_the_option(tmp_path):
    code, err = _cli(["report", str(tmp_path / "nothing.csv"), "--industry", "space tourism"])
    assert code != 0
    assert err.startswith('retention-xl: --industry: unknown industry "space tourism"; use one of ')
    assert "CRR_BENCHMARK" not in err
    code, ru = _cli(["report", str(tmp_path / "nothing.csv"), "--industry", "space tourism", "--lang", "ru"])
    assert ru.startswith("retention-xl: --industry: неизвестная отрасль «space tourism»; выберите одну из: ")


@pytest.mark.parametrize("lang, said", [
    ("en", 'retention-xl: cannot find the input file "{p}"'),
    ("ru", "retention-xl: входной файл «{p}» не найден"),
    ("zh", "retention-xl: 找不到输入文件“{p}”"),
])
def test_the_command_line_says_its_errors_in_the_language_of_lang(tmp_path, lang, said):
    missing = tmp_path / "orders.csv"
    code, err = _cli(["report", str(missing), "--lang", lang])
    assert code != 0 and err.strip() == said.format(p=missing)


def _no_english_but(said: str, *allowed: str) -> bool:
    for word in allowed:
        said = said.replace(word, "")
    return not re.search(r"[A-Za-z]{2,}", said)


def test_a_refused_file_in_russian_has_no_english_but_the_files_own_words(tmp_path):
    p = tmp_path / "заказы.xlsx"
    p.write_text("Клиент;Сумма\nA;10\n", encoding="utf-8")  # a CSV saved under a workbook's name
    code, err = _cli(["report", str(p), "--lang", "ru"])
    assert code != 0
    body = err.removeprefix("retention-xl: ").strip()
    assert body == ("«заказы.xlsx» — не настоящая книга .xlsx: внутри обычный текст (вероятно, CSV). "
                    "Переименуйте его в .csv или откройте в Excel и сохраните как .xlsx.")
    assert _no_english_but(body, "xlsx", "csv", "CSV", "Excel")
    code, err = _cli(["report", str(p), "--lang", "zh"])
    assert "不是真正的 .xlsx 工作簿：其内容是纯文本（可能是 CSV）" in err


def test_missing_columns_in_russian_and_chinese_name_our_words_in_that_language():
    from retention_xl.read.headers import map_columns
    from retention_xl.settings import ColumnChoice

    with pytest.raises(InputError) as err:
        map_columns(["Клиент", "Сумма"], ColumnChoice(), where="")
    ru = LB.Labels("ru").message(err.value.message)
    assert ru.startswith("Отчёт построить нельзя: не хватает столбцов: дата заказа.")
    assert _no_english_but(ru, "--customer-col", "--date-col", "--amount-col")
    zh = LB.Labels("zh").message(err.value.message, shell="excel")
    assert zh.startswith("无法生成报告：未找到以下列：订单日期。") and "--" not in zh


def test_the_ribbons_message_box_speaks_the_settings_sheets_language(tmp_path):
    from test_ribbon import FakeApp, FakeBook, FakeSheet

    from retention_xl.excel import ribbon

    orders = [["Order date", "Amount"], [datetime(2024, 1, 5), 40.0], [datetime(2024, 2, 5), 25.0]]
    settings = [["Setting", "Value"], ["Language", "Русский"]]
    app = FakeApp(status_bar="Ready")
    book = FakeBook("shop.xlsx", str(tmp_path / "shop.xlsx"),
                    [FakeSheet.from_rows("Orders", orders), FakeSheet.from_rows("Retention settings", settings)],
                    selection=(2, 2), app=app)
    assert ribbon.build_kpi_report(book, open_report=False) is None
    (alert,) = app.alerts
    prompt = alert["prompt"]
    assert prompt.startswith("Отчёт построить нельзя") and "ID клиента (или имя клиента / e-mail)" in prompt
    assert "Заголовки в файле: «Order date», «Amount»." in prompt
    assert "нажмите кнопку «Build KPI report»" in prompt and "--customer-col" not in prompt
    assert "Traceback" not in prompt


def test_english_words_that_are_our_codes_are_worded_by_language():
    assert messages.WORDS["missing.customer_id"].startswith("customer id")
    for lang in ("ru", "zh"):
        words = LB.NOTE_WORDS[lang]
        for key in ("missing.customer_id", "advice.ozon", "fn.clv", "model.spend"):
            assert _CYRILLIC_OR_CJK.search(words[key]), (lang, key)


def test_an_error_is_a_registered_code_never_a_sentence():
    with pytest.raises(TypeError, match="message code"):
        RetentionXLError("something plain")
    assert str(RetentionXLError("error.sheet_empty", sheet="May")) == 'sheet "May" is empty'


def test_every_raise_of_a_retention_error_names_a_registered_code():
    """Statically: a raise site whose first argument is a literal names a code of messages.ENGLISH."""
    import ast
    from pathlib import Path

    import retention_xl
    from retention_xl import errors as errors_mod

    kinds = {n for n, v in vars(errors_mod).items() if isinstance(v, type) and issubclass(v, RetentionXLError)}
    package = Path(retention_xl.__file__).parent
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in package.rglob("*.py")}
    for tree in trees.values():
        kinds |= {c.name for c in ast.walk(tree) if isinstance(c, ast.ClassDef)
                  and any(getattr(b, "id", getattr(b, "attr", "")) in kinds for b in c.bases)}
    bad, seen = [], 0
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in kinds \
                    and node.args:
                first = node.args[0]
                # ClvFitError("few_repeat_buyers") is the message error.clv_few_repeat_buyers
                prefix = "error.clv_" if getattr(node.func, "id", getattr(node.func, "attr", "")) == "ClvFitError" else ""
                if isinstance(first, ast.JoinedStr) or (isinstance(first, ast.Constant) and isinstance(first.value, str)
                                                        and prefix + first.value not in messages.ENGLISH):
                    bad.append(f"{path.relative_to(package)}:{node.lineno}")
                seen += 1
    assert seen > 150 and bad == []


def test_no_usable_row_counts_the_skip_codes_and_says_them_in_the_reports_language(tmp_path):
    p = tmp_path / "orders.csv"
    p.write_text("Customer,Order date,Amount\nA,31.02.2024,10\nB,,20\nC,2024-01-05,abc\nD,,5\n", encoding="utf-8")
    code, en = _cli(["report", str(p)])
    assert code != 0
    assert "none of the 4 data rows can be used (2 × no date; 1 × date not readable; 1 × amount not a number)" in en
    assert "First one: row 2, date not readable: '31.02.2024'." in en
    code, ru = _cli(["report", str(p), "--lang", "ru"])
    assert ("ни одну из 4 строк с данными использовать нельзя (2 × не указана дата; 1 × дата не распознана; "
            "1 × сумма — не число). Первая: строка 2, дата не распознана: '31.02.2024'.") in ru
    code, zh = _cli(["report", str(p), "--lang", "zh"])
    assert "4 行数据都无法使用（2 × 缺少日期；1 × 日期无法识别；1 × 金额不是数字）" in zh


def test_numbers_in_a_russian_message_are_written_the_russian_way():
    m = Message("error.zip_too_big", file="a.xlsx", gb=2.5, limit=1.0)
    assert m == '"a.xlsx" is refused: it would unpack to 2.5 GB (limit 1 GB).'
    assert LB.Labels("ru").message(m) == "Файл «a.xlsx» отклонён: после распаковки он занял бы 2,5 ГБ (предел — 1 ГБ)."
    m = Message("error.too_many_parts", file="b.xlsx", n=123456)
    assert "123456" in m and "123456" in LB.Labels("ru").message(m)  # {n} without a separator stays as it is
    rows = Message("error.reason_count", n=12345, reason=Message("skip.no_date"))
    assert rows == "12,345 × no date" and LB.Labels("ru").message(rows) == "12\u00a0345 × не указана дата"
    assert LB.Labels("zh").message(rows) == "12,345 × 缺少日期"


@pytest.mark.parametrize("lang, where", [
    ("ru", "Отчёт построить нельзя по данным «orders.csv», первая непустая строка 1: "),
    ("zh", "无法生成报告（“orders.csv”，第一个非空行为第 1 行）："),
], ids=["ru", "zh"])
def test_where_a_refused_table_was_read_is_said_in_the_language_too(tmp_path, lang, where):
    p = tmp_path / "orders.csv"
    p.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    code, err = _cli(["report", str(p), "--lang", lang])
    body = err.removeprefix("retention-xl: ").strip()
    assert code != 0 and body.startswith(where), body
    assert _no_english_but(body, "orders.csv", "--customer-col", "--date-col", "--amount-col", "ID", "e-mail")


def test_a_sheet_and_its_header_row_are_said_in_russian(tmp_path):
    import openpyxl

    p = tmp_path / "shop.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Заказы"
    ws.append(["Итоги за год"])
    ws.append(["Товар", "Цена"])
    ws.append(["Чай", 10])
    wb.save(p)
    code, err = _cli(["report", str(p), "--lang", "ru"])
    assert code != 0 and "«shop.xlsx», лист «Заказы», " in err, err
    assert "sheet" not in err and "row" not in err


def _kpi_build(lines, **settings):
    from test_kpi import build, orders_frame
    return build(orders_frame(lines), **settings)


def test_a_kpi_note_is_a_message_said_in_russian_and_chinese_without_english():
    # 12 days of data: no retention window fits, so CRR (and the historical CLV) have a reason instead
    r = _kpi_build([("A", "2024-03-01", 10), ("B", "2024-03-12", 20)])
    crr = r.notes["crr"]
    assert crr.code == "kpi.short_history" and crr.fields == {"days": 12, "window": 30}
    assert crr.startswith("The data holds 12 days up to the period end")
    ru, zh = LB.Labels("ru").message(crr), LB.Labels("zh").message(crr)
    assert ru.startswith("В данных 12 дн. до конца периода") and not re.search("[A-Za-z]{3}", ru)
    assert "12 天" in zh and not re.search("[A-Za-z]{3}", zh)
    assert r.to_json()["notes"]["crr"] == str(crr)  # the JSON keeps the English sentence
    assert r.notes["historical_clv"].code == "kpi.crr_missing"


def test_a_metric_that_refuses_its_inputs_gives_its_own_message_as_the_note():
    r = _kpi_build([("A", "2024-01-05", 10), ("A", "2024-02-05", -50), ("B", "2024-03-05", 5)])
    aov = r.notes["aov"]
    assert r.aov is None and aov.code == "error.negative" and aov == "AOV: revenue (-35) cannot be negative"
    assert LB.Labels("ru").message(aov) == "AOV: значение «выручка» (-35) не может быть отрицательным"


def test_a_pickled_report_keeps_its_message_notes():
    r = _kpi_build([("A", "2024-03-01", 10), ("B", "2024-03-12", 20)])
    back = pickle.loads(pickle.dumps(r))
    assert back.notes.keys() == r.notes.keys()
    for key, note in r.notes.items():
        assert isinstance(back.notes[key], Message) and back.notes[key].code == note.code
        assert back.notes[key].fields == note.fields and back.notes[key] == note
    assert back.to_json()["notes"] == r.to_json()["notes"]


@pytest.mark.parametrize("lang, words", [("ru", "больше одного раза покупали только 2 клиентов"),
                                         ("zh", "只有 2 位客户购买超过一次")])
def test_a_clv_reason_is_said_in_the_reports_language(lang, words):
    from retention_xl.render.dashboard import clv_reason
    from test_kpi import SHOP
    r = _kpi_build(SHOP)
    reason = r.predicted_clv.reason
    assert r.predicted_clv.reason_code == "clv_few_repeat_buyers" and reason.code == "error.clv_few_repeat_buyers"
    assert words in clv_reason(LB.Labels(lang), r.predicted_clv)
    said = LB.Labels(lang).message(reason)  # the engine's full sentence, worded in the language too
    assert "2" in said and "20" in said and not re.search("[A-Za-z]{4}", said)


def test_the_previous_periods_reason_is_one_message():
    r = _kpi_build([("A", "2024-03-01", 10), ("B", "2024-06-12", 20)])
    prev = r.previous
    assert prev is not None and prev.report is None and prev.reason.code == "kpi.not_enough_history"
    assert prev.reason.fields["covered"] == prev.covered_days
    assert r.to_json()["notes"]["previous"] == str(prev.reason)
    assert str(prev.reason).startswith(f"Not enough history for the previous period ({prev.start.isoformat()} to")
    assert not re.search("[A-Za-z]{4}", LB.Labels("ru").message(prev.reason))


def test_the_engines_period_errors_are_coded_and_said_in_russian():
    from datetime import date
    with pytest.raises(InputError) as caught:
        _kpi_build([("A", "2024-03-01", 10), ("B", "2024-03-12", 20)], period_end=date(2024, 3, 20),
                   today=date(2024, 3, 15))
    m = caught.value.message
    assert m.code == "error.period_after_today"
    assert str(caught.value) == ("The period end 2024-03-20 is after today (2024-03-15): "
                                 "a report cannot cover days that have not happened.")
    assert LB.Labels("ru").message(m).startswith("Конец периода 2024-03-20 позже сегодняшнего дня (2024-03-15)")


def test_an_anonymisation_key_that_cannot_be_kept_is_a_coded_error(tmp_path, monkeypatch):
    from retention_xl.render import privacy
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.delenv(privacy.KEY_ENV, raising=False)
    monkeypatch.setenv(privacy.HOME_ENV, str(blocker / "sub"))  # a folder under a file cannot be made
    with pytest.raises(RetentionXLError) as caught:
        privacy.anonymization_key()
    m = caught.value.message
    assert m.code == "error.anonymize_key" and m.fields["env"] == privacy.KEY_ENV
    assert str(caught.value).startswith(f"cannot keep the anonymisation key in {blocker / 'sub' / 'anonymize.key'}")
    assert "RETENTION_XL_ANON_KEY" in LB.Labels("zh").message(m) and "匿名化密钥" in LB.Labels("zh").message(m)


def test_a_forecast_check_that_cannot_be_made_says_why_as_a_message():
    import pandas as pd
    from retention_xl.engine import clv
    dates = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-10", "2024-01-20"]))
    check = clv.forecast_check(pd.Series(["A", "B", "A"]), dates, pd.Series([1.0, 2.0, 3.0]))
    assert check.reason.code == "clv.check_short_history" and check.reason_code == "short_history"
    assert check.reason == "The history (19 days) is too short to hold back 60 days and still learn from the rest."
    assert check.to_json()["reason"] == str(check.reason)
    assert LB.Labels("ru").message(check.reason).startswith("История (19 дн.) слишком короткая")
