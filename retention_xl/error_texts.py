"""The English of every ``error.*`` and ``hint.*`` message code, grouped by where it is raised.

Russian and Chinese word the same codes in ``render/message_words_ru.py`` and
``render/message_words_zh.py``; ``tests/test_messages.py`` holds the three to the same
codes and ``{placeholders}``. Field values that are our words (a role, a layout kind)
are codes worded through ``messages.WORDS``; values from the user's data (a header, a
file name, a row number) are fields as they are.
"""

from __future__ import annotations

ERRORS: dict[str, str] = {
    # the command line (cli.py)
    "cli_industry": "--industry: {reason}",
    "cli_period_order": "--period-start must be before --period-end",
    "cli_spend_and_cac": "give either --spend FILE or --cac AMOUNT, not both",
    "cli_no_spend_file": 'cannot find the spend file "{file}"',
    "cli_no_input": 'cannot find the input file "{file}"',
    "cli_input_folder": '"{file}" is a folder, not an order file',
    "cli_cannot_read": 'cannot read "{file}": {reason}',
    "language": "language {lang!r} is not available; choose one of: {choices}",
    # pipeline.py: no usable row, the output files
    "no_data_rows": "the file has a header row but no data rows{where}: there is nothing to report on",
    "on_sheet": ' on sheet "{sheet}"',
    "no_rows_used": (
        "none of the {rows:,} data rows{where} can be used ({reasons}{more}). First one: row {row}, {first}. "
        "A row needs a customer id, a readable date and a numeric amount.{empty}"
    ),
    "reason_count": "{n:,} × {reason}",
    "reason_value": "{reason}: {value}",
    "other_kind": "; 1 other kind of problem",
    "other_kinds": "; {n} other kinds of problem",
    "empty_column": (
        ' The {role} column "{header}" (column {letter}) is empty, and no other column can serve as the '
        "{role}: fill it, or name the right column."
    ),
    "report_not_xlsx": 'the report must be an .xlsx file; "{file}" is not (use a name ending in .xlsx)',
    "overwrite_input": 'refusing to overwrite the input file "{file}": choose another output name',
    "output_is_folder": '"{path}" is a folder; give a file name for the output',
    "no_output_folder": 'the folder "{path}" does not exist',
    "json_same_as_workbook": "the JSON file and the workbook must have different names",
    "output_locked": (
        'cannot write "{file}": it is open in another program (close it in Excel) or the folder is read-only'
    ),
    "cannot_write": 'cannot write "{path}": {reason}',
    # read/headers.py: the columns
    "no_buyer_column": (
        "Cannot build the report{where}: this is a {kind}, and it has no customer column — it never says who "
        "bought, so repeat purchases cannot be counted. {advice}"
    ),
    "given_column_missing": (
        'The column "{name}" given for the {role} ({option}) is not in the header{where}. Headers seen: {headers}.'
    ),
    "missing_columns": "Cannot build the report{where}: no {missing} column found. Headers seen: {headers}.{hint}",
    "from_where": " from {where}",
    "in_where": " ({where})",
    # engine/metrics.py: {fn} is the function (CRR, CHURN ...) or the option (--industry) that was given the value
    "not_a_number": "{fn}: {what} must be a number",
    "not_finite": "{fn}: {what} must be a finite number",
    "negative": "{fn}: {what} ({value}) cannot be negative",
    "zero_divisor": "{fn}: {what} is 0 (division by zero)",
    "part_exceeds_whole": "{fn}: {part} ({part_value}) exceed {whole} ({whole_value})",
    "too_large": "{fn}: the result is too large to compute; check the inputs",
    "no_values": "{fn}: no {what} (the range has no numbers)",
    "values_not_numbers": "{fn}: {bad} of {n} {what} are not numbers",
    "crr_new_exceed_end": "{fn}: new customers ({new}) exceed customers at the end ({end})",
    "crr_kept_exceed_start": "{fn}: customers kept (end − new = {kept}) exceed customers at the start ({start})",
    "industry_missing": "{fn}: give an industry name, one of {choices}",
    "industry_unknown": '{fn}: unknown industry "{name}"; use one of {choices}',
    # engine/clv: the Predicted CLV models
    "clv_unit": '{fn}: time unit must be "D", "W" or "M", not "{unit}".',
    "clv_not_finite": "{fn}: {name} has missing or infinite values.",
    "clv_method": '{fn}: the fit method must be "auto", "mle" or "map", not "{method}".',
    "clv_shapes": "{fn}: frequency, recency and T must be 1-D and of the same length.",
    "clv_ranges": "{fn}: need frequency >= 0 and 0 <= recency <= T (recency 0 when frequency is 0).",
    "clv_months_number": "{fn}: months must be a whole number of months, not {value}.",
    "clv_months_range": "{fn}: months must be a whole number from 1 to 600, not {value}.",
    "clv_discount_number": "{fn}: the annual discount rate must be a number such as 0.1, not {value}.",
    "clv_discount_range": "{fn}: the annual discount rate must be between 0 and 10 (0.1 = 10 %), not {value}.",
    "clv_bad_dates": "{fn}: {bad} of {n} {what} are missing or not dates.",
    "clv_lengths": "{fn}: customer ids ({ids}), dates ({dates}) and amounts ({amounts}) must have the same length.",
    "clv_bad_amounts": "{fn}: {bad} of {n} amounts are missing or not numbers.",
    "clv_missing_ids": "{fn}: {bad} of {n} customer ids are missing.",
    "clv_overflow": "The {model} model could not be computed on this data (numbers overflowed).",
    "clv_no_convergence": ("The {model} model did not settle on an answer ({reason}); the data may be too short "
                           "or too irregular."),
    "clv_few_repeat_buyer": ("Only {n} customer bought more than once; at least {min} are needed to fit the "
                             "{model} model."),
    "clv_few_repeat_buyers": ("Only {n} customers bought more than once; at least {min} are needed to fit the "
                              "{model} model."),
    "clv_no_history": "All customers bought for the first time on the last day; there is no history to learn from.",
    "clv_no_dropout": ("Customers show almost no sign of dropping out in this history, so the chance that a "
                       "customer has left cannot be estimated yet; a longer history usually helps."),
    "clv_regular_buyers": ("Customers buy at almost the same pace as each other, which this model (made for shops "
                           "where customers buy whenever they like) cannot describe; subscriptions need a "
                           "different model."),
    "clv_spend_uniform": "Spend per order is too uniform to fit the spend model.",
    "clv_spend_unbounded": "Spend per order varies too wildly to fit the spend model (its average would be unbounded).",
    # read/files.py: the file, its bytes and sheets
    "file_not_found": "File not found: {path}",
    "path_is_folder": "{path} is a folder, not a file. Give the path of an .xlsx or .csv file.",
    "unknown_file_type": ('"{file}": unknown file type "{ext}". Accepted: Excel workbooks (.xlsx, .xlsm, .xls, '
                          ".xlsb, .ods) and text exports (.csv, .txt, .tsv)."),
    "no_extension": "(no extension)",
    "access_denied": ('Cannot open "{file}": access denied. If the file is open in Excel or another program, '
                      "close it (or save a copy) and try again."),
    "cannot_read": 'Cannot read "{file}": {reason}.',
    "file_empty": '"{file}" is empty: there are no rows to read.',
    "encrypted_or_renamed": ('"{file}" is not a plain {ext} workbook: it is password-protected (encrypted) or an '
                             "old binary .xls saved under a new name. Open it in Excel and save it as .xlsx "
                             "without a password."),
    "not_real_workbook": '"{file}" is not a real {ext} workbook: its content is {content}. {fix}',
    "workbook_not_text": '"{file}" is an Excel workbook (zip file), not a {ext} text file. Rename it to .xlsx.',
    "xls_not_text": '"{file}" is an old binary Excel file (.xls), not a {ext} text file. Rename it to .xls.',
    "web_page_not_text": ('"{file}" contains a web page (HTML/XML), not {ext} text. Open it in Excel and save it '
                          "as .xlsx or .csv."),
    "binary_not_text": '"{file}" is a binary file, not {ext} text. Export the orders as .csv or .xlsx.',
    "bad_zip": '"{file}" is damaged: it is not a readable workbook (bad zip structure).',
    "too_many_parts": '"{file}" is refused: it holds {n} parts, far more than a workbook has.',
    "zip_bomb_part": ('"{file}" is refused: its part "{part}" would unpack from {packed:,} bytes to {unpacked:,} '
                      "bytes (ratio {ratio:,.0f}:1), which is what a zip bomb looks like, not a workbook."),
    "zip_too_big": '"{file}" is refused: it would unpack to {gb:.1f} GB (limit {limit:.0f} GB).',
    "sheet_damaged": 'Sheet "{sheet}" of "{file}" is damaged: {reason}.',
    "sheet_xml_entities": ('Sheet "{sheet}" of "{file}" is refused: its cell references are written in an unusual '
                           "way (XML entities), which Excel never does. Open it in Excel and save it again."),
    "sheet_too_many_cells": ('Sheet "{sheet}" of "{file}" is refused: its cells reach {cell} ({rows:,} rows × '
                             "{cols:,} columns = {cells:,} cells, limit {limit:,}), far more than an order table. "
                             "Delete the stray cells far below or right of the table (Ctrl+End shows the last "
                             "one), or copy the table alone to a new workbook."),
    "on_sheet_refused": 'Sheet "{sheet}": {reason}',
    "cells_span_too_far": ('"{file}" is refused: its cells span far more than an order table ({reason}). Delete '
                           "the stray cells far below or right of the table, or copy the table alone to a new "
                           "workbook."),
    "part_over_declared": ('"{file}" is refused: a part of it unpacks to more than its declared size, which is '
                           "what a damaged file or a zip bomb looks like, not a workbook. Export the orders again."),
    "workbook_unreadable": '"{file}" could not be read as a workbook ({reason}). Is it damaged?',
    "text_not_workbook": '"{file}" is a text file, not a workbook.',
    "password": '"{file}" is password-protected. Save a copy without a password and try again.',
    "no_worksheets": '"{file}" has no worksheets.',
    "workbook_not_text_file": '"{file}" is a workbook, not a text file.',
    "access_denied_text": ('Cannot open "{file}": access denied. If it is open in another program, close it and '
                           "try again."),
    "bad_utf16": '"{file}" starts like UTF-16 text but cannot be decoded as UTF-16.',
    "binary_file": '"{file}" is a binary file, not text.',
    "bom_not_utf8": ('"{file}" says it is UTF-8 (it starts with a byte-order mark) but contains bytes that are '
                     'not UTF-8. Save it again as "CSV UTF-8".'),
    "unknown_encoding": ('"{file}": the text encoding is not recognised (neither UTF-8 nor Windows-1251, '
                         'Windows-1252 or GBK). Save the export as "CSV UTF-8".'),
    "csv_unreadable_near": '"{file}" is not readable as delimited text near line {line}: {reason}',
    "csv_unreadable": '"{file}" is not readable as delimited text: {reason}',
    # where a table was read (read/orders.py: the file or sheet, then the header row)
    "where_file": '"{file}"',
    "where_sheet": 'sheet "{sheet}"',
    "where_file_sheet": '"{file}", sheet "{sheet}"',
    "where_header_row": "{where}, header on row {row}",
    "where_first_row": "{where}, first non-blank row {row}",
    "where_header_rows": "{where}, header on rows {first}-{last}",
    # read/orders.py: sheets and ranges
    "range_empty": "The selected range on {where} is empty: there are no rows to read.",
    "no_such_sheet": '"{file}" has no sheet named "{sheet}". Sheets: {sheets}.',
    "quoted": '"{text}"',
    "where_empty": "{where} is empty: there are no rows to read.",
    "no_rows": "{where} has no rows.",
    "no_order_sheet": 'No sheet of "{file}" has an order header (customer, date, amount). {problems}',
    "bracketed": "[{text}]",
    "where_no_rows": "{where} has no rows to read.",
    # engine/metrics.py and cohorts.py
    "nps_outside": "{fn}: {bad} of {n} scores are outside 0–10",
    "nps_fractional": "{fn}: {bad} of {n} scores are not whole numbers 0–10",
    "csat_threshold": "{fn}: threshold ({cut}) must be between 0 and the scale maximum ({top})",
    "csat_outside": "{fn}: {bad} of {n} scores are outside 0–{top}",
    "clv_margin": "{fn}: margin ({value}) must be a fraction of spend, e.g. 0.3 for 30 %",
    "clv_discount": "{fn}: annual discount rate ({value}) must be a fraction, e.g. 0.1 for 10 %",
    "cac_not_numbers": "{fn}: acquisition costs must be numbers",
    "cac_negative": "{fn}: {bad} of {n} acquisition costs are negative",
    "no_customer_ids": "{fn}: no customer ids (the range is empty)",
    "blank_customer_ids": "{fn}: customer ids must not be blank or NaN",
    "blank_dates": "{fn}: some dates are blank or unreadable",
    "dates_not_dates": "{fn}: dates must be dates or Excel date numbers",
    "repeat_days": "{fn}: days must be a number of days, 0 or more (it is {days})",
    "ids_dates_sizes": "{fn}: {ids} customer ids but {dates} dates; give ranges of the same size",
    "repeat_no_chance": ("{fn}: no customer's first purchase is {days} or more days before the last date in the "
                         "range, so nobody has had the chance yet"),
    "no_repeat_days": "{fn}: no customer bought on two different days",
    "cohort_period": '{fn}: period must be "M" (month), "W" (week) or "Q" (quarter), not "{period}"',
    "cohort_sizes": "{fn}: customer ids ({ids}) and dates ({dates}) must have the same number of rows",
    "cohort_no_rows": "{fn}: no row has both a customer id and a date",
    "cohort_too_wide": ("{fn}: the dates run from {first} to {last}, {n:,} {periods}: more columns than Excel "
                        "has; check for a mistyped date{coarser}"),
    "dates_unreadable": "{fn}: some dates cannot be read as dates ({reason})",
    # read/rates.py, read/spend.py, engine/currency.py
    "no_rates_file": '--rates: cannot find the rates file "{path}"',
    "no_sheet_named": '"{file}" has no sheet named "{sheet}".',
    "rates_empty": "{where}: the rates file is empty; it needs the columns currency and rate.",
    "rates_no_columns": ("{where}: no {missing} column in the header (row {row}); headers seen: {headers}. Write "
                         "the columns currency,rate[,month]."),
    "none_seen": "(none)",
    "rate_not_positive": ('{where}, row {row}: the rate "{rate}" of {currency} is not a positive number (the '
                          "value of one unit in the report currency, e.g. 0.011)."),
    "rate_bad_month": '{where}, row {row}: the month "{month}" is not a month; write it like 2024-03.',
    "rate_twice": "{where}, row {row}: a second rate for {currency}{month} (the first is on row {first}).",
    "in_month": " in {month}",
    "rates_no_rows": "{where}: the rates file has a header but no rates.",
    "where_row": "{where}, row {row}",
    "spend_no_header": '{where}: no header with a month and an amount column (e.g. "month, amount, channel").',
    "spend_bad_month": ('{where}, row {row}, column "{header}": {value} is not a month (write 2024-01, 01.2024 or '
                        "a date)."),
    "spend_bad_amount": '{where}, row {row}, column "{header}": {value} is not an amount of money.',
    "spend_no_rows": "{where}: the spend table has a header but no rows.",
    "cac_not_positive": "--cac must be a positive amount of money (it is {amount}).",
    "not_currency_code": '{where}: "{code}" is not a currency code (ISO 4217, e.g. USD, EUR, RUB, CNY).',
    # excel/ribbon.py: the button and the settings sheet
    "sheet_no_orders": ('The sheet "{sheet}" has no orders to read. Paste an order export with a header row '
                        '(customer, order date, amount) into a sheet, click any cell inside it, and click "Build '
                        'KPI report" again.'),
    "settings_period_order": 'Sheet "{sheet}": the period start ({start}) must be before the period end ({end}).',
    "where_setting": 'Sheet "{sheet}", setting "{setting}"',
    "settings_no_rates_sheet": ('{where}: the workbook has no sheet named "{name}" with exchange rates (columns '
                                "currency, rate)."),
    "setting_not_date": "{where}: {value} is not a date. Write it like 2024-12-31 or 31.12.2024.",
    "setting_not_days": "{where}: {value} is not a whole number of days (for example 365).",
    "setting_not_language": "{where}: {value} is not a report language; use en, ru or zh.",
    "setting_not_yes_no": "{where}: {value} should be yes or no.",
    "setting_not_margin": "{where}: {value} is not a margin; write it as 30% or 0.3.",
    # excel/cell_input.py and udfs.py: cell arguments
    "cell_error": "the input holds the Excel error {error}",
    "not_excel_date": "{value} is not an Excel date",
    "cell_type": "cannot read a cell value of type {type}",
    "single_cell": "{fn}: {what} must be a single cell, not a range of {n}",
    "arg_blank": "{fn}: {what} is blank",
    "arg_time": "{fn}: {what} is a time, not a number",
    "arg_bool": "{fn}: {what} is TRUE/FALSE, not a number",
    "arg_date": "{fn}: {what} is a date, not a number",
    "arg_not_number": "{fn}: {what} is not a number",
    "arg_not_finite": "{fn}: {what} is not a finite number",
    "arg_text_not_number": '{fn}: {what} ("{value}") is not a number',
    "arg_not_text": "{fn}: {what} must be text",
    "range_size": "{what} {n}",
    "range_sizes": "{fn}: the ranges must have the same number of cells ({sizes})",
    "text_dates": "dates typed as text are not read",
    "text_amounts": "amounts typed as text are not read",
    "in_brackets": " ({text})",
    "no_usable_row": "{fn}: no row has both a customer id and a date{why}",
    "no_usable_order_row": "{fn}: no row has a customer id, a date and a numeric amount{why}",
    "interval_single_cell": "{fn}: interval must be a single cell (TRUE or FALSE), not a range of {n}",
    "interval_flag": "{fn}: interval must be TRUE or FALSE (it is {value})",
    "whole_cases": "{fn}: {what} must be a whole number of cases, 0 or more (it is {value})",
    "rate_change_zero": "{fn}: n{i} is 0, so there is no rate to compare",
    "rate_change_exceed": "{fn}: successes{i} ({x}) exceed n{i} ({m})",
    "clv_returns": 'returns must be "customers" or "check", not "{value}"',
    "rfm_as_of": "{fn}: as-of date ({value}) is not a date",
    # excel/ribbon.py: the button's other boxes
    "report_not_opened": "The report was saved as\n{path}\nbut Excel could not open it. Open it from that folder.",
    "unexpected": ("The report could not be built because of an unexpected problem ({kind}: {reason}). Your "
                   "workbook was not changed.{log}"),
    "details_in_log": "\n\nTechnical details for whoever supports you are in\n{path}",
    # read/headers.py: the headers a refusal lists
    "no_headers_seen": "(none: the header row is empty)",
    "headers_seen": "{headers}{more}",
    "headers_in_all": ", … ({n} in all)",
    # engine/rfm.py
    "rfm_sizes": ("{fn}: customer ids ({ids}), dates ({dates}) and amounts ({amounts}) must have the same number "
                  "of rows"),
    "rfm_no_rows": "{fn}: no row has a customer id, a date and an amount",
    "rfm_as_of_early": "{fn}: no order on or before the as-of date {as_of} (the first is {first})",
    "rfm_overflow": "{fn}: the amounts of customer {customer} add up to more than Excel can hold; check the amounts",
    "sheet_empty": 'sheet "{sheet}" is empty',  # read/orders.find_tables' problems
    # engine/period.py, kpi.py, rows.py: the report period and the orders frame
    "period_after_today": ("The period end {end} is after today ({today}): "
                           "a report cannot cover days that have not happened."),
    "period_order": "The report period must start before it ends: start {start}, end {end}.",
    "period_before_data": ("The report period ends on {end}, before the first order in the data ({first}); "
                           "the orders run from {first} to {last}."),
    "period_not_date": "The period date {value!r} is not a date.",
    "active_days_min": "The activity window must be at least 1 day (it is {days}).",
    "orders_columns_missing": "The orders table lacks the column(s) {columns}.",
    "orders_blank_values": ("The orders table has blank values in {columns}; "
                            "such rows should have been skipped when the file was read."),
    "orders_none_usable": ("No usable order rows: of {read} rows read, {skipped} were skipped "
                           "(see the Data issues list). A row needs a customer id, a readable date and an amount."),
    # render/privacy.py
    "anonymize_key": ("cannot keep the anonymisation key in {path} ({reason}); "
                      "set the environment variable {env} to a secret text instead"),
}

#: Shell-dependent advice: ``hint.<code>.cli`` for the command line, ``hint.<code>.excel`` for the button.
HINTS: dict[str, str] = {
    "rename_column.cli": " Rename the column or name it explicitly (--customer-col, --date-col, --amount-col).",
    "rename_column.excel": (
        ' Rename that column\'s header in your sheet (for example to "Customer ID", "Order date" or "Amount") '
        "and click Build KPI report again."
    ),
}

#: field.value -> English word, for the words of ours the error messages use (merged into messages.WORDS).
WORDS: dict[str, str] = {
    # columns an order table needs
    "missing.customer_id": "customer id (or customer name / e-mail)",
    "missing.date": "order date",
    "missing.amount_qty": "amount (or a unit price to multiply the quantity by)",
    "missing.amount_price": "amount (or a quantity to multiply the unit price by)",
    "missing.amount": "amount (or quantity and unit price)",
    # where the buyers are, for marketplace reports that never name them (read/layouts.py)
    # docs.ozon.ru report-orders: the postings CSV's analytics data gives the buyer's region and city only;
    # a realFBS order's page in the seller account names the buyer and the phone
    # (https://amp.p5s.ru/marketplaces/ozon/dbs/order-realfbs/, step 7)
    "advice.ozon": ("Ozon's postings export (FBO/FBS: Logistics -> Orders from my warehouses -> All postings -> "
                    "Export CSV) and its realisation report never name the buyer; only orders of the realFBS (rFBS) "
                    "scheme, which you deliver yourself, show the buyer's name and phone, on each order's page in "
                    "the seller account. Otherwise use your own shop's or CRM's order export."),
    # dev.wildberries.ru/openapi/orders-dbs: the buyer's name and phone become available once a DBS
    # assembly task is moved to assembly
    "advice.wildberries": ("Wildberries seller reports (realisation, sales, orders) never name the buyer; only DBS "
                           "orders (delivery by the seller) carry the buyer's name and phone, shown once an assembly "
                           "task is moved to assembly (DBS assembly tasks; WB API 'DBS orders'). Otherwise use your "
                           "own shop's or CRM's order export."),
    # no public source says where a Pinduoduo export with the receiver is found; the hint says only what is known
    "advice.pinduoduo": ("This order export has no receiver or buyer column (收货人, 手机), so repeat buyers cannot be "
                         "told apart; export the orders with the receiver's name and phone where your account offers "
                         "them, or use your own shop's or CRM's order list."),
    "advice.amazon": ("Amazon's All Orders report has no buyer: download the Order Report instead (Seller Central "
                      "-> Orders -> Order Reports), which has buyer-email and buyer-name."),
    # engine/clv
    "fn.clv": "Predicted CLV",
    "model.purchase": "purchase",
    "model.spend": "spend",
    # read/files.py: what a file holds and how to fix it
    "content.text": "plain text (probably CSV)",
    "content.html": "a web page (HTML), as some banks and shops produce",
    "content.xml": "XML (perhaps an Excel 2003 XML spreadsheet)",
    "content.pdf": "a PDF document",
    "content.utf16": "plain text (UTF-16)",
    "content.binary": "not a spreadsheet (unrecognised binary data)",
    "content.zip": "a zip archive",
    "content.ole": "an old binary Office file",
    "content.other": "something else",
    "fix.text": "Rename it to .csv, or open it in Excel and save as .xlsx.",
    "fix.utf16": "Rename it to .txt or .csv.",
    "fix.html": "Open it in Excel and save it as .xlsx.",
    "fix.xml": "Open it in Excel and save it as .xlsx.",
    "fix.other": "Export the orders again as .xlsx or .csv.",
    # engine/metrics.py: the arguments a metric names
    "what.annual_discount_rate": "annual discount rate",
    "what.average_check": "average check",
    "what.complaints": "complaints",
    "what.converted": "converted",
    "what.customers": "customers",
    "what.customers_at_the_end": "customers at the end",
    "what.customers_at_the_start": "customers at the start",
    "what.leads": "leads",
    "what.margin": "margin",
    "what.monthly_spend": "monthly spend",
    "what.months": "months",
    "what.new_customers": "new customers",
    "what.order_amounts": "order amounts",
    "what.orders": "orders",
    "what.purchases_per_customer": "purchases per customer",
    "what.returned": "returned",
    "what.revenue": "revenue",
    "what.scale_maximum": "scale maximum",
    "what.scores": "scores",
    "what.sold": "sold",
    "what.threshold": "threshold",
    "what.upgraded_customers": "upgraded customers",
    "what.acquisition_costs": "acquisition costs",
    # engine/cohorts.py
    "periods.M": "months",
    "periods.W": "weeks",
    "periods.Q": "quarters",
    "coarser.M": ', or use "Q"',
    "coarser.W": ', or use "M" or "Q"',
    "coarser.Q": "",
    # read/rates.py
    "missing.currency": "currency",
    "missing.rate": "rate",
    # excel/cell_input.py
    "what.customer_ids": "customer ids",
    "what.dates": "dates",
    "what.amounts": "amounts",
}
