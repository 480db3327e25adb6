"""Russian wording of the ``kpi.*``, ``clv.*``, ``error.*`` and ``hint.*`` messages (English: retention_xl/error_texts.py)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # engine/period.py, kpi.py, rows.py: the report period and the orders frame
    "error.period_after_today": "Конец периода {end} позже сегодняшнего дня ({today}): отчёт не может охватывать дни, которых ещё не было.",
    "error.period_order": "Период отчёта должен начинаться раньше, чем заканчивается: начало {start}, конец {end}.",
    "error.period_before_data": ("Период отчёта заканчивается {end}, раньше первого заказа в данных ({first}); "
                                 "заказы идут с {first} по {last}."),
    "error.period_not_date": "Дата периода {value!r} не является датой.",
    "error.active_days_min": "Окно активности должно быть не меньше 1 дня (сейчас {days}).",
    "error.orders_columns_missing": "В таблице заказов нет столбцов: {columns}.",
    "error.orders_blank_values": "В таблице заказов есть пустые значения в {columns}; такие строки должны были быть пропущены при чтении файла.",
    "error.orders_none_usable": ("Нет пригодных строк заказов: из {read} прочитанных строк пропущено {skipped} "
                                 "(см. список проблем данных). В строке нужны ID клиента, распознаваемая дата и сумма."),
    # render/privacy.py
    "error.anonymize_key": ("не удаётся сохранить ключ анонимизации в {path} ({reason}); "
                            "задайте вместо этого переменную окружения {env} с секретным текстом"),
    # what the CLV forecast says of itself (messages.CLV_NOTES)
    "clv.check_short_history": "История ({days} дн.) слишком короткая, чтобы отложить {holdout} дн. и учиться на остальном.",
    "clv.check_no_holdout_orders": "В отложенные дни никто не покупал, поэтому ошибку не с чем сравнить.",
    "clv.check_no_customers": "Покупок нет.",
    "clv.no_purchases": "До {cutoff} включительно нет ни одной покупки.",
    "clv.not_finite": "Модель покупок дала на этих данных не конечные числа.",
    "clv.failed": "Прогноз не удалось рассчитать ({kind}: {error}).",
    "clv.withheld": ("На отложенных последних {days} дн. прогноз ошибся на {error_pct} % фактических повторных заказов "
                     "— слишком сильно, чтобы им пользоваться."),
    "clv.spend_correlated": ("Сумма заказа и число заказов связаны ({corr:+.2f}); модель сумм считает их независимыми, "
                             "поэтому прогноз CLV менее надёжен."),
    "clv.spend_fallback": "{why} В прогнозе CLV используется собственный средний чек каждого клиента.",
    # why a figure of the report is None (messages.KPI_NOTES)
    "kpi.no_customers": "В периоде ни один клиент не сделал заказ.",
    "kpi.no_orders": "В периоде нет заказов.",
    "kpi.no_priced_orders": "Ни один заказ периода не в валюте отчёта; для остальных нет курса.",
    "kpi.no_orders_or_returns": "В периоде нет ни заказов, ни возвращённых заказов.",
    "kpi.clv_no_customers": "В периоде ни один клиент не сделал заказ, поэтому нет выручки на клиента.",
    "kpi.crr_missing": "CRR за период не рассчитан, поэтому месячный отток неизвестен.",
    "kpi.no_lost_customers": ("Ни один клиент, активный на начало периода, не ушёл (CRR 100 %), "
                              "поэтому ожидаемый срок жизни не ограничен."),
    "kpi.short_history": ("В данных {days} дн. до конца периода: этого мало, чтобы измерить удержание даже "
                          "за {window} дн. с {window} дн. истории до них."),
    "kpi.no_start_customers": ("На начало измерения ({date}) не было активных клиентов: ни у кого не было заказа "
                               "за {window} дн. до этого дня, поэтому удерживать некого."),
    "kpi.thin_base": "База удержания опирается на {days} дн. истории до {date}, меньше окна в {window} дн.",
    "kpi.no_answers": "Ни у одного заказа периода нет оценки ({kind}).",
    "kpi.not_enough_history": ("Для прошлого периода ({start} – {end}, {days} дн.) мало истории: данные начинаются "
                               "{first} и покрывают {covered} его дн.; нужно не меньше {share}."),
    "kpi.previous_failed": "Прошлый период не удалось рассчитать: {error}",
    "join.list": "; ", "join.comma": ", ", "join.sentences": "", "join.spaced": " ", "join.and_no": ", ",
    # the command line
    "error.cli_industry": "--industry: {reason}",
    "error.cli_period_order": "--period-start должна быть раньше --period-end",
    "error.cli_spend_and_cac": "укажите либо --spend ФАЙЛ, либо --cac СУММА, но не оба сразу",
    "error.cli_no_spend_file": "файл расходов «{file}» не найден",
    "error.cli_no_input": "входной файл «{file}» не найден",
    "error.cli_input_folder": "«{file}» — это папка, а не файл с заказами",
    "error.cli_cannot_read": "не удаётся прочитать «{file}»: {reason}",
    "error.language": "язык {lang!r} недоступен; выберите один из: {choices}",
    # no usable row, the output files
    "error.no_data_rows": "в файле есть строка заголовка, но нет строк с данными{where}: отчёт строить не по чему",
    "error.on_sheet": " на листе «{sheet}»",
    "error.no_rows_used": (
        "ни одну из {rows:,} строк с данными{where} использовать нельзя ({reasons}{more}). Первая: строка {row}, "
        "{first}. В строке должны быть ID клиента, распознаваемая дата и сумма-число.{empty}"
    ),
    "error.reason_count": "{n:,} × {reason}",
    "error.reason_value": "{reason}: {value}",
    "error.other_kind": "; и ещё 1 вид проблем",
    "error.other_kinds": "; и ещё видов проблем: {n}",
    "error.empty_column": (
        " Столбец «{header}» ({role}, столбец {letter}) пуст, и никакой другой столбец не подходит на роль "
        "«{role}»: заполните его или укажите нужный столбец."
    ),
    "error.report_not_xlsx": "отчёт должен быть файлом .xlsx; «{file}» им не является (имя должно оканчиваться на .xlsx)",
    "error.overwrite_input": "входной файл «{file}» не будет перезаписан: выберите другое имя для результата",
    "error.output_is_folder": "«{path}» — это папка; укажите имя файла для результата",
    "error.no_output_folder": "папки «{path}» не существует",
    "error.json_same_as_workbook": "у файла JSON и книги Excel должны быть разные имена",
    "error.output_locked": (
        "не удаётся записать «{file}»: файл открыт в другой программе (закройте его в Excel) или папка доступна "
        "только для чтения"
    ),
    "error.cannot_write": "не удаётся записать «{path}»: {reason}",
    # the columns
    "error.no_buyer_column": (
        "Отчёт построить нельзя{where}: это {kind}, и в нём нет столбца с клиентом — неизвестно, кто купил, "
        "поэтому повторные покупки не посчитать. {advice}"
    ),
    "error.given_column_missing": (
        "Столбца «{name}», указанного как {role} ({option}), нет в заголовке{where}. Заголовки в файле: {headers}."
    ),
    "error.missing_columns": "Отчёт построить нельзя{where}: не хватает столбцов: {missing}. Заголовки в файле: {headers}.{hint}",
    "error.from_where": " по данным {where}",
    "error.in_where": " ({where})",
    "hint.rename_column.cli": " Переименуйте столбец или укажите его явно (--customer-col, --date-col, --amount-col).",
    "hint.rename_column.excel": (
        " Переименуйте заголовок этого столбца на листе (например, в «ID клиента», «Дата заказа» или «Сумма») "
        "и снова нажмите кнопку «Build KPI report»."
    ),
    # metrics: {what} is the argument's name as the function's help gives it
    "error.not_a_number": "{fn}: значение «{what}» должно быть числом",
    "error.not_finite": "{fn}: значение «{what}» должно быть конечным числом",
    "error.negative": "{fn}: значение «{what}» ({value}) не может быть отрицательным",
    "error.zero_divisor": "{fn}: значение «{what}» равно 0 (деление на ноль)",
    "error.part_exceeds_whole": "{fn}: «{part}» ({part_value}) больше, чем «{whole}» ({whole_value})",
    "error.too_large": "{fn}: результат слишком велик для расчёта; проверьте входные данные",
    "error.no_values": "{fn}: нет значений «{what}» (в диапазоне нет чисел)",
    "error.values_not_numbers": "{fn}: {bad} из {n} значений «{what}» — не числа",
    "error.crr_new_exceed_end": "{fn}: новых клиентов ({new}) больше, чем клиентов на конец периода ({end})",
    "error.crr_kept_exceed_start": "{fn}: удержанных клиентов (конец − новые = {kept}) больше, чем клиентов на начало периода ({start})",
    "error.industry_missing": "{fn}: укажите отрасль, одну из: {choices}",
    "error.industry_unknown": "{fn}: неизвестная отрасль «{name}»; выберите одну из: {choices}",
    # engine/clv: the Predicted CLV models
    "error.clv_unit": "{fn}: единица времени должна быть «D», «W» или «M», а не «{unit}».",
    "error.clv_not_finite": "{fn}: в {name} есть пропущенные или бесконечные значения.",
    "error.clv_method": "{fn}: метод оценки должен быть «auto», «mle» или «map», а не «{method}».",
    "error.clv_shapes": "{fn}: frequency, recency и T должны быть одномерными и одной длины.",
    "error.clv_ranges": "{fn}: нужно frequency >= 0 и 0 <= recency <= T (recency 0, если frequency 0).",
    "error.clv_months_number": "{fn}: горизонт должен быть целым числом месяцев, а не {value}.",
    "error.clv_months_range": "{fn}: горизонт должен быть целым числом месяцев от 1 до 600, а не {value}.",
    "error.clv_discount_number": "{fn}: годовая ставка дисконтирования должна быть числом, например 0,1, а не {value}.",
    "error.clv_discount_range": ("{fn}: годовая ставка дисконтирования должна быть от 0 до 10 (0,1 = 10 %), а не "
                                 "{value}."),
    "error.clv_bad_dates": "{fn}: {bad} из {n} значений ({what}) пропущены или не являются датами.",
    "error.clv_lengths": "{fn}: ID клиентов ({ids}), даты ({dates}) и суммы ({amounts}) должны быть одной длины.",
    "error.clv_bad_amounts": "{fn}: {bad} из {n} сумм пропущены или не являются числами.",
    "error.clv_missing_ids": "{fn}: у {bad} из {n} строк не указан ID клиента.",
    "error.clv_overflow": "Модель {model} не удалось рассчитать на этих данных (переполнение чисел).",
    "error.clv_no_convergence": ("Модель {model} не сошлась к ответу ({reason}); возможно, данные слишком "
                                 "короткие или нерегулярные."),
    "error.clv_few_repeat_buyer": ("Больше одного раза покупал только {n} клиент, а для модели {model} нужно не "
                                   "меньше {min}."),
    "error.clv_few_repeat_buyers": ("Больше одного раза покупали только {n} клиентов, а для модели {model} нужно "
                                    "не меньше {min}."),
    "error.clv_no_history": "Все клиенты впервые купили в последний день: истории, по которой можно учиться, нет.",
    "error.clv_no_dropout": ("Клиенты за эту историю почти не уходят, поэтому вероятность того, что клиент ушёл, "
                             "пока оценить нельзя; обычно помогает более длинная история."),
    "error.clv_regular_buyers": ("Клиенты покупают почти в одном и том же темпе, а эта модель (для магазинов, где "
                                 "покупают когда захотят) такое не описывает; для подписок нужна другая модель."),
    "error.clv_spend_uniform": "Суммы заказов слишком одинаковы, чтобы оценить модель трат.",
    "error.clv_spend_unbounded": ("Суммы заказов разбросаны слишком сильно, чтобы оценить модель трат (средняя "
                                  "была бы бесконечной)."),
    # a sentence not yet given a code: said as it is in every language
    # read/files.py: the file, its bytes and sheets
    "error.file_not_found": "Файл не найден: {path}",
    "error.path_is_folder": "{path} — это папка, а не файл. Укажите путь к файлу .xlsx или .csv.",
    "error.unknown_file_type": ("«{file}»: неизвестный тип файла «{ext}». Подходят книги Excel (.xlsx, .xlsm, "
                                ".xls, .xlsb, .ods) и текстовые выгрузки (.csv, .txt, .tsv)."),
    "error.no_extension": "(без расширения)",
    "error.access_denied": ("Не удаётся открыть «{file}»: доступ запрещён. Если файл открыт в Excel или другой "
                            "программе, закройте его (или сохраните копию) и попробуйте снова."),
    "error.cannot_read": "Не удаётся прочитать «{file}»: {reason}.",
    "error.file_empty": "Файл «{file}» пуст: в нём нет строк.",
    "error.encrypted_or_renamed": ("«{file}» — не обычная книга {ext}: она защищена паролем (зашифрована) или это "
                                   "старый двоичный файл .xls с другим расширением. Откройте её в Excel и "
                                   "сохраните как .xlsx без пароля."),
    "error.not_real_workbook": "«{file}» — не настоящая книга {ext}: внутри {content}. {fix}",
    "error.workbook_not_text": ("«{file}» — книга Excel (zip-файл), а не текстовый файл {ext}. Переименуйте его в "
                                ".xlsx."),
    "error.xls_not_text": ("«{file}» — старый двоичный файл Excel (.xls), а не текстовый файл {ext}. Переименуйте "
                           "его в .xls."),
    "error.web_page_not_text": ("В «{file}» веб-страница (HTML/XML), а не текст {ext}. Откройте файл в Excel и "
                                "сохраните как .xlsx или .csv."),
    "error.binary_not_text": "«{file}» — двоичный файл, а не текст {ext}. Выгрузите заказы в .csv или .xlsx.",
    "error.bad_zip": "Файл «{file}» повреждён: это не читаемая книга (нарушена структура zip).",
    "error.too_many_parts": "Файл «{file}» отклонён: в нём {n} частей — намного больше, чем бывает в книге.",
    "error.zip_bomb_part": ("Файл «{file}» отклонён: его часть «{part}» распаковалась бы из {packed:,} байт в "
                            "{unpacked:,} байт (в {ratio:,.0f} раз) — так выглядит zip-бомба, а не книга."),
    "error.zip_too_big": "Файл «{file}» отклонён: после распаковки он занял бы {gb:.1f} ГБ (предел — {limit:.0f} ГБ).",
    "error.sheet_damaged": "Лист «{sheet}» книги «{file}» повреждён: {reason}.",
    "error.sheet_xml_entities": ("Лист «{sheet}» книги «{file}» отклонён: ссылки на ячейки записаны необычно "
                                 "(XML-сущностями), Excel так никогда не делает. Откройте книгу в Excel и "
                                 "сохраните её заново."),
    "error.sheet_too_many_cells": ("Лист «{sheet}» книги «{file}» отклонён: его ячейки доходят до {cell} (строк: "
                                   "{rows:,} × столбцов: {cols:,} = {cells:,} ячеек, предел — {limit:,}), это "
                                   "намного больше таблицы заказов. Удалите лишние ячейки далеко внизу или справа "
                                   "от таблицы (Ctrl+End покажет последнюю) или скопируйте одну таблицу в новую "
                                   "книгу."),
    "error.on_sheet_refused": "Лист «{sheet}»: {reason}",
    "error.cells_span_too_far": ("Файл «{file}» отклонён: его ячейки занимают намного больше места, чем таблица "
                                 "заказов ({reason}). Удалите лишние ячейки далеко внизу или справа от таблицы "
                                 "или скопируйте одну таблицу в новую книгу."),
    "error.part_over_declared": ("Файл «{file}» отклонён: одна из его частей распаковывается в больший объём, чем "
                                 "заявлено, — так выглядит повреждённый файл или zip-бомба, а не книга. Выгрузите "
                                 "заказы заново."),
    "error.workbook_unreadable": "«{file}» не удалось прочитать как книгу ({reason}). Возможно, файл повреждён.",
    "error.text_not_workbook": "«{file}» — текстовый файл, а не книга.",
    "error.password": "Книга «{file}» защищена паролем. Сохраните копию без пароля и попробуйте снова.",
    "error.no_worksheets": "В книге «{file}» нет рабочих листов.",
    "error.workbook_not_text_file": "«{file}» — книга, а не текстовый файл.",
    "error.access_denied_text": ("Не удаётся открыть «{file}»: доступ запрещён. Если файл открыт в другой "
                                 "программе, закройте его и попробуйте снова."),
    "error.bad_utf16": "«{file}» начинается как текст UTF-16, но прочитать его как UTF-16 не удаётся.",
    "error.binary_file": "«{file}» — двоичный файл, а не текст.",
    "error.bom_not_utf8": ("«{file}» заявляет, что он в UTF-8 (начинается с метки порядка байтов), но содержит "
                           "байты не в UTF-8. Сохраните его заново как «CSV UTF-8»."),
    "error.unknown_encoding": ("«{file}»: кодировка текста не распознана (это не UTF-8, не Windows-1251, не "
                               "Windows-1252 и не GBK). Сохраните выгрузку как «CSV UTF-8»."),
    "error.csv_unreadable_near": "«{file}» не читается как текст с разделителями около строки {line}: {reason}",
    "error.csv_unreadable": "«{file}» не читается как текст с разделителями: {reason}",
    # where a table was read
    "error.where_file": "«{file}»",
    "error.where_sheet": "лист «{sheet}»",
    "error.where_file_sheet": "«{file}», лист «{sheet}»",
    "error.where_header_row": "{where}, заголовок в строке {row}",
    "error.where_first_row": "{where}, первая непустая строка {row}",
    "error.where_header_rows": "{where}, заголовок в строках {first}–{last}",
    # read/orders.py: sheets and ranges
    "error.range_empty": "Выделенный диапазон ({where}) пуст: в нём нет строк.",
    "error.no_such_sheet": "В книге «{file}» нет листа «{sheet}». Листы: {sheets}.",
    "error.quoted": "«{text}»",
    "error.where_empty": "{where}: пусто, строк нет.",
    "error.no_rows": "{where}: строк нет.",
    "error.no_order_sheet": "Ни на одном листе книги «{file}» нет заголовка заказов (клиент, дата, сумма). {problems}",
    "error.bracketed": "[{text}]",
    "error.where_no_rows": "{where}: нет строк для чтения.",
    # engine/metrics.py and cohorts.py
    "error.nps_outside": "{fn}: {bad} из {n} оценок вне диапазона 0–10",
    "error.nps_fractional": "{fn}: {bad} из {n} оценок — не целые числа от 0 до 10",
    "error.csat_threshold": "{fn}: порог ({cut}) должен быть от 0 до максимума шкалы ({top})",
    "error.csat_outside": "{fn}: {bad} из {n} оценок вне диапазона 0–{top}",
    "error.clv_margin": "{fn}: маржа ({value}) должна быть долей от расходов, например 0,3 для 30 %",
    "error.clv_discount": "{fn}: годовая ставка дисконтирования ({value}) должна быть долей, например 0,1 для 10 %",
    "error.cac_not_numbers": "{fn}: затраты на привлечение должны быть числами",
    "error.cac_negative": "{fn}: {bad} из {n} значений затрат на привлечение отрицательные",
    "error.no_customer_ids": "{fn}: нет ID клиентов (диапазон пуст)",
    "error.blank_customer_ids": "{fn}: ID клиентов не должны быть пустыми или NaN",
    "error.blank_dates": "{fn}: некоторые даты пусты или не распознаются",
    "error.dates_not_dates": "{fn}: даты должны быть датами или числами дат Excel",
    "error.repeat_days": "{fn}: число дней должно быть 0 или больше (сейчас {days})",
    "error.ids_dates_sizes": "{fn}: ID клиентов — {ids}, а дат — {dates}; укажите диапазоны одного размера",
    "error.repeat_no_chance": ("{fn}: ни одна первая покупка не была за {days} и более дней до последней даты "
                               "диапазона, так что ни у кого ещё не было возможности купить снова"),
    "error.no_repeat_days": "{fn}: ни один клиент не покупал в два разных дня",
    "error.cohort_period": "{fn}: период должен быть «M» (месяц), «W» (неделя) или «Q» (квартал), а не «{period}»",
    "error.cohort_sizes": "{fn}: число ID клиентов ({ids}) и дат ({dates}) должно совпадать",
    "error.cohort_no_rows": "{fn}: ни в одной строке нет одновременно ID клиента и даты",
    "error.cohort_too_wide": ("{fn}: даты идут с {first} по {last}, это {n:,} ({periods}) — больше столбцов, чем "
                              "есть в Excel; проверьте, нет ли опечатки в дате{coarser}"),
    "error.dates_unreadable": "{fn}: некоторые даты не читаются как даты ({reason})",
    # read/rates.py, read/spend.py, engine/currency.py
    "error.no_rates_file": "--rates: файл курсов «{path}» не найден",
    "error.no_sheet_named": "В книге «{file}» нет листа «{sheet}».",
    "error.rates_empty": "{where}: файл курсов пуст; в нём нужны столбцы currency и rate.",
    "error.rates_no_columns": ("{where}: в заголовке (строка {row}) нет столбца {missing}; заголовки в файле: "
                               "{headers}. Запишите столбцы currency,rate[,month]."),
    "error.none_seen": "(нет)",
    "error.rate_not_positive": ("{where}, строка {row}: курс «{rate}» для {currency} — не положительное число "
                                "(нужна стоимость одной единицы в валюте отчёта, например 0,011)."),
    "error.rate_bad_month": "{where}, строка {row}: «{month}» — не месяц; запишите его как 2024-03.",
    "error.rate_twice": "{where}, строка {row}: второй курс для {currency}{month} (первый — в строке {first}).",
    "error.in_month": " за {month}",
    "error.rates_no_rows": "{where}: в файле курсов есть заголовок, но нет курсов.",
    "error.where_row": "{where}, строка {row}",
    "error.spend_no_header": "{where}: нет заголовка со столбцами месяца и суммы (например, «month, amount, channel»).",
    "error.spend_bad_month": ("{where}, строка {row}, столбец «{header}»: {value} — не месяц (запишите 2024-01, "
                              "01.2024 или дату)."),
    "error.spend_bad_amount": "{where}, строка {row}, столбец «{header}»: {value} — не денежная сумма.",
    "error.spend_no_rows": "{where}: в таблице расходов есть заголовок, но нет строк.",
    "error.cac_not_positive": "--cac должен быть положительной денежной суммой (сейчас {amount}).",
    "error.not_currency_code": "{where}: «{code}» — не код валюты (ISO 4217, например USD, EUR, RUB, CNY).",
    # excel/ribbon.py: the button and the settings sheet
    "error.sheet_no_orders": ("На листе «{sheet}» нет заказов. Вставьте на лист выгрузку заказов со строкой "
                              "заголовка (клиент, дата заказа, сумма), щёлкните любую ячейку внутри неё и снова "
                              "нажмите кнопку «Build KPI report»."),
    "error.settings_period_order": "Лист «{sheet}»: начало периода ({start}) должно быть раньше конца периода ({end}).",
    "error.where_setting": "Лист «{sheet}», настройка «{setting}»",
    "error.settings_no_rates_sheet": "{where}: в книге нет листа «{name}» с курсами валют (столбцы currency, rate).",
    "error.setting_not_date": "{where}: {value} — не дата. Запишите её как 31.12.2024 или 2024-12-31.",
    "error.setting_not_days": "{where}: {value} — не целое число дней (например, 365).",
    "error.setting_not_language": "{where}: {value} — не язык отчёта; укажите en, ru или zh.",
    "error.setting_not_yes_no": "{where}: {value} — должно быть «да» или «нет».",
    "error.setting_not_margin": "{where}: {value} — не маржа; запишите её как 30% или 0,3.",
    # excel/cell_input.py and udfs.py: cell arguments
    "error.cell_error": "во входных данных ошибка Excel {error}",
    "error.not_excel_date": "{value} — не дата Excel",
    "error.cell_type": "не удаётся прочитать значение ячейки типа {type}",
    "error.single_cell": "{fn}: «{what}» должно быть одной ячейкой, а не диапазоном из {n}",
    "error.arg_blank": "{fn}: «{what}» не заполнено",
    "error.arg_time": "{fn}: «{what}» — время, а не число",
    "error.arg_bool": "{fn}: «{what}» — ИСТИНА/ЛОЖЬ, а не число",
    "error.arg_date": "{fn}: «{what}» — дата, а не число",
    "error.arg_not_number": "{fn}: «{what}» — не число",
    "error.arg_not_finite": "{fn}: «{what}» — не конечное число",
    "error.arg_text_not_number": "{fn}: «{what}» («{value}») — не число",
    "error.arg_not_text": "{fn}: «{what}» должно быть текстом",
    "error.range_size": "{what}: {n}",
    "error.range_sizes": "{fn}: в диапазонах должно быть одинаковое число ячеек ({sizes})",
    "error.text_dates": "даты, введённые как текст, не читаются",
    "error.text_amounts": "суммы, введённые как текст, не читаются",
    "error.in_brackets": " ({text})",
    "error.no_usable_row": "{fn}: ни в одной строке нет одновременно ID клиента и даты{why}",
    "error.no_usable_order_row": "{fn}: ни в одной строке нет одновременно ID клиента, даты и числовой суммы{why}",
    "error.interval_single_cell": "{fn}: interval должен быть одной ячейкой (ИСТИНА или ЛОЖЬ), а не диапазоном из {n}",
    "error.interval_flag": "{fn}: interval должен быть ИСТИНА или ЛОЖЬ (сейчас {value})",
    "error.whole_cases": "{fn}: «{what}» должно быть целым числом случаев, 0 или больше (сейчас {value})",
    "error.rate_change_zero": "{fn}: n{i} равно 0, сравнивать нечего",
    "error.rate_change_exceed": "{fn}: successes{i} ({x}) больше, чем n{i} ({m})",
    "error.clv_returns": "returns должен быть «customers» или «check», а не «{value}»",
    "error.rfm_as_of": "{fn}: дата расчёта ({value}) — не дата",
    # excel/ribbon.py: the button's other boxes
    "error.report_not_opened": "Отчёт сохранён как\n{path}\nно Excel не смог его открыть. Откройте его из этой папки.",
    "error.unexpected": ("Отчёт не удалось построить из-за непредвиденной ошибки ({kind}: {reason}). Ваша книга "
                         "не изменена.{log}"),
    "error.details_in_log": "\n\nТехнические подробности для тех, кто вам помогает, — в файле\n{path}",
    # read/headers.py: the headers a refusal lists
    "error.no_headers_seen": "(нет: строка заголовка пуста)",
    "error.headers_seen": "{headers}{more}",
    "error.headers_in_all": ", … (всего {n})",
    # engine/rfm.py
    "error.rfm_sizes": "{fn}: число ID клиентов ({ids}), дат ({dates}) и сумм ({amounts}) должно совпадать",
    "error.rfm_no_rows": "{fn}: ни в одной строке нет одновременно ID клиента, даты и суммы",
    "error.rfm_as_of_early": "{fn}: нет ни одного заказа в дату расчёта {as_of} или раньше (первый — {first})",
    "error.rfm_overflow": "{fn}: суммы клиента {customer} в итоге больше, чем может хранить Excel; проверьте суммы",
    "error.sheet_empty": "лист «{sheet}» пуст",
}

#: field.value -> Russian word, for the words of ours the error messages use.
WORDS: dict[str, str] = {
    "missing.customer_id": "ID клиента (или имя клиента / e-mail)",
    "missing.date": "дата заказа",
    "missing.amount_qty": "сумма (или цена, на которую умножить количество)",
    "missing.amount_price": "сумма (или количество, на которое умножить цену)",
    "missing.amount": "сумма (или количество и цена)",
    "advice.ozon": ("Выгрузка отправлений Ozon (FBO/FBS: Логистика → Заказы с моих складов → Все отправления → "
                    "Экспорт CSV) и отчёт о реализации покупателя не называют; имя и телефон покупателя есть только "
                    "у заказов схемы realFBS (rFBS), которые вы доставляете сами, — на странице каждого заказа в "
                    "личном кабинете продавца. Иначе используйте выгрузку заказов своего магазина или CRM."),
    "advice.wildberries": ("Отчёты продавца Wildberries (реализация, продажи, заказы) покупателя не называют; имя и "
                           "телефон покупателя есть только у заказов DBS (доставка силами продавца) — они видны, "
                           "когда сборочное задание переведено на сборку (сборочные задания DBS; WB API «Заказы "
                           "DBS»). Иначе используйте выгрузку заказов своего магазина или CRM."),
    "advice.pinduoduo": ("В этой выгрузке заказов нет столбца получателя или покупателя (收货人, 手机), поэтому "
                         "повторных покупателей не отличить; выгрузите заказы с именем и телефоном получателя, если "
                         "ваш кабинет это позволяет, или используйте список заказов своего магазина или CRM."),
    "advice.amazon": ("В отчёте Amazon All Orders нет покупателя: скачайте вместо него Order Report (Seller "
                      "Central → Orders → Order Reports), где есть buyer-email и buyer-name."),
    # engine/clv
    "fn.clv": "Прогноз CLV",
    "model.purchase": "покупок",
    "model.spend": "трат",
    # read/files.py: what a file holds and how to fix it
    "content.text": "обычный текст (вероятно, CSV)",
    "content.html": "веб-страница (HTML), такие выдают некоторые банки и магазины",
    "content.xml": "XML (возможно, таблица XML Excel 2003)",
    "content.pdf": "документ PDF",
    "content.utf16": "обычный текст (UTF-16)",
    "content.binary": "не таблица (нераспознанные двоичные данные)",
    "content.zip": "zip-архив",
    "content.ole": "старый двоичный файл Office",
    "content.other": "что-то другое",
    "fix.text": "Переименуйте его в .csv или откройте в Excel и сохраните как .xlsx.",
    "fix.utf16": "Переименуйте его в .txt или .csv.",
    "fix.html": "Откройте его в Excel и сохраните как .xlsx.",
    "fix.xml": "Откройте его в Excel и сохраните как .xlsx.",
    "fix.other": "Выгрузите заказы заново в .xlsx или .csv.",
    # engine/metrics.py: the arguments a metric names
    "what.annual_discount_rate": "годовая ставка дисконтирования",
    "what.average_check": "средний чек",
    "what.complaints": "жалобы",
    "what.converted": "конверсии",
    "what.customers": "клиенты",
    "what.customers_at_the_end": "клиенты на конец периода",
    "what.customers_at_the_start": "клиенты на начало периода",
    "what.leads": "лиды",
    "what.margin": "маржа",
    "what.monthly_spend": "расходы в месяц",
    "what.months": "месяцы",
    "what.new_customers": "новые клиенты",
    "what.order_amounts": "суммы заказов",
    "what.orders": "заказы",
    "what.purchases_per_customer": "покупки на клиента",
    "what.returned": "возвраты",
    "what.revenue": "выручка",
    "what.scale_maximum": "максимум шкалы",
    "what.scores": "оценки",
    "what.sold": "продажи",
    "what.threshold": "порог",
    "what.upgraded_customers": "клиенты с апсейлом",
    "what.acquisition_costs": "затраты на привлечение",
    # engine/cohorts.py
    "periods.M": "месяцев",
    "periods.W": "недель",
    "periods.Q": "кварталов",
    "coarser.M": " или возьмите «Q»",
    "coarser.W": " или возьмите «M» или «Q»",
    "coarser.Q": "",
    # read/rates.py
    "missing.currency": "currency (валюта)",
    "missing.rate": "rate (курс)",
    # excel/cell_input.py
    "what.customer_ids": "ID клиентов",
    "what.dates": "даты",
    "what.amounts": "суммы",
}
