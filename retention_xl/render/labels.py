"""Every visible text of the KPI report, in English, Russian and Chinese.

The workbook writer, the Methodology sheet and the CLI summary take their words
from here and nowhere else, so a language is complete when this module is.
``tests/test_writer.py`` checks that the three languages have the same keys and
the same ``{placeholders}``.

Numbers inside sentences are formatted with :func:`fmt_number` /
:func:`fmt_percent` (decimal comma and a no-break space before ``%`` in Russian);
numbers in cells keep Excel number formats, which follow the reader's locale.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from retention_xl import messages as _notes
from retention_xl.errors import InputError

LANGS: tuple[str, ...] = ("en", "ru", "zh")

_NBSP = "\u00a0"

# Keys are grouped by where the text appears. Values may hold str.format fields.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        # sheet names (≤ 31 characters, no []:*?/\)
        "sheet.dashboard": "Dashboard",
        "sheet.cohorts": "Cohorts",
        "sheet.segments": "Segments",
        "sheet.customers": "Customers",
        "sheet.issues": "Data issues",
        "sheet.methodology": "Methodology",
        # dashboard header
        "dash.title": "Customer retention KPI report",
        "dash.source": "Source",
        "dash.sheet": "sheet",
        "dash.period": "Period",
        "dash.period_value": "{start} – {end} ({days} days)",
        "dash.generated": "Generated",
        "dash.rows": "Rows read {read} · used {used} · skipped {skipped}",
        "dash.rows_issues": "skipped rows are listed on “{sheet}”",
        "dash.headline": "Headline figures",
        "dash.retention": "Customer retention over the period",
        "dash.monthly": "Monthly trend (all months in the data)",
        "dash.anonymized": "Anonymised report: customer ids are pseudonyms",
        "anon.email_removed": "[e-mail removed]",
        "anon.removed": "[removed]",
        # tiles
        "tile.crr": "Customer retention rate (CRR)",
        "tile.churn": "Churn rate",
        "tile.repeat": "Repeat purchase rate",
        "tile.return_rate": "Return rate",
        "tile.customers": "Customers",
        "tile.orders": "Orders",
        "tile.revenue": "Net revenue",
        "tile.aov": "Average order value (AOV)",
        "tile.frequency": "Purchase frequency (per month)",
        "tile.clv": "Historical CLV",
        "tile.nps": "Net Promoter Score (NPS)",
        "tile.csat": "Customer satisfaction (CSAT)",
        # tile target / context lines
        "target.crr": "Target 85–90 % · below 60 % needs attention",
        "target.crr_benchmark": "Target 85–90 % · {industry}: {value}",
        "target.churn": "Target 10–15 % or less",
        "target.repeat": "Healthy range 20–40 %",
        "target.return": "Good below 5 % · high from 7 %",
        "target.nps": "Above 50 is excellent · {n} answers",
        "target.csat": "answers 4–5 of 5 · {n} answers",
        "detail.customers": "with an order in the period",
        "detail.orders": "{returned} returned orders",
        "detail.revenue": "{per_month} per month on average",
        "detail.aov": "net revenue ÷ orders",
        "detail.frequency": "orders ÷ customers ÷ months",
        "detail.clv": "{per_month} a month × {months} months",
        "detail.clv_none": "not available: {reason}",
        # status words (always shown next to the colour)
        "status.excellent": "Excellent",
        "status.on_target": "On target",
        "status.healthy": "Healthy",
        "status.below": "Below target",
        "status.attention": "Needs attention",
        "status.high": "High",
        "status.info": "For reference",
        "status.no_data": "No data",
        "status.above_target": "Above target",
        "status.above_industry": "Above industry average",
        "status.below_industry": "Below industry average",
        "status.improve": "Room to improve",
        # retention block
        "ret.start": "Active at the start (S)",
        "ret.end": "Active at the end (E)",
        "ret.new": "Gained during the period (N)",
        "ret.brand_new": "   of which new customers",
        "ret.won_back": "   of which won back",
        "ret.retained": "Retained (E − N)",
        "ret.crr": "CRR = (E − N) ÷ S",
        "ret.churn": "Churn = 1 − CRR",
        "ret.benchmark": "Industry benchmark: {industry}",
        "ret.none": "no customers were active at the start",
        # monthly table / charts
        "col.month": "Month",
        "col.orders": "Orders",
        "col.customers": "Customers",
        "col.new_customers": "New customers",
        "col.returning_customers": "Returning customers",
        "col.active_customers": "Active customers",
        "col.revenue": "Net revenue",
        "col.aov": "AOV",
        "col.returned_orders": "Returned orders",
        "total": "Total",
        "chart.revenue_orders": "Net revenue and orders by month",
        "chart.customers": "Customers by month: new and returning",
        "chart.segments": "Customers by RFM segment",
        "axis.revenue": "Net revenue",
        "axis.orders": "Orders",
        "axis.customers": "Customers",
        # cohorts
        "cohorts.title": "Cohort retention",
        "cohorts.note": "Customers are grouped by the month of their first order. Each cell shows the share of the cohort that ordered in the k-th month after it (month 0 is the first month, so 100 %). Green is high retention, red is low.",
        "cohorts.empty": "No cohorts: the data has no orders.",
        "col.cohort": "First-order month",
        "col.cohort_size": "Customers",
        "col.month_k": "Month {k}",
        # segments
        "segments.title": "RFM segments",
        "segments.note": "Recency (days since the last order), frequency (orders) and monetary value (net revenue) are scored 1–5 by quintile; the R and F scores give the segment; M is shown but does not change it.",
        "segments.empty": "No segments: the data has no customers.",
        "col.segment": "Segment",
        "col.share": "Share of customers",
        "col.revenue_share": "Share of revenue",
        "col.avg_recency": "Avg. days since last order",
        "col.avg_frequency": "Avg. orders",
        "col.avg_monetary": "Avg. net revenue",
        "col.action": "Suggested action",
        # customers
        "customers.title": "Customers for follow-up",
        "customers.selection": "A selection of {shown} of {total} customers: the most valuable ones and the most valuable of those at risk of leaving (column “{why}”). To list every customer, run “retention-xl report … --all-customers” or tick “All customers” in Excel.",
        "customers.all": "All {total} customers, most valuable first.",
        "customers.anonymized": "Customer ids are pseudonyms (C-…); names, e-mails and phone numbers were removed.",
        "col.customer_id": "Customer ID",
        "col.customer_name": "Name",
        "col.email": "E-mail",
        "col.phone": "Phone",
        "col.first_order": "First order",
        "col.last_order": "Last order",
        "col.recency_days": "Days since last order",
        "col.frequency": "Orders",
        "col.monetary": "Net revenue",
        "col.r_score": "R",
        "col.f_score": "F",
        "col.m_score": "M",
        "col.rfm_score": "RFM score",
        "col.p_alive": "Chance still a customer",
        "col.expected_purchases": "Expected orders, next {months} months",
        "col.predicted_clv": "Predicted CLV, next {months} months",
        "col.why": "Why listed",
        "col.channel": "Channel",
        "col.active": "Active at period end",
        "yes": "Yes",
        "no": "No",
        "dash.outside_period": "Grey months are outside the report period. The “All months” row adds up every month shown, grey ones included, so it can be larger than the headline figures of the period.",
        "dash.total_all": "All months",
        "why.top": "Most valuable",
        "why.risk": "At risk",
        # data issues
        "issues.title": "Data issues",
        "issues.summary": "{skipped} of {read} rows were skipped. Each one is listed below with the reason and its values, so nothing disappears silently.",
        "issues.none": "No rows were skipped: all {read} rows were used.",
        "issues.by_reason": "Skipped rows by reason",
        "issues.rows": "Skipped rows",
        "issues.truncated": "Only the first {shown} of {total} skipped rows are listed here. All of them are in the file “{csv}” saved next to this report.",
        "issues.raw_hidden": "Values are not shown in an anonymised report.",
        "col.reason": "Reason",
        "col.count": "Rows",
        "col.row": "Row",
        "col.raw": "Values in the row",
        # methodology
        "meth.title": "Methodology",
        "meth.intro": "How every figure in this report was calculated, with the settings used. All figures come from the order file named below; the file itself was not changed.",
        "meth.parameters": "Settings and data",
        "meth.parameter": "Setting",
        "meth.value": "Value",
        "meth.source": "Source file",
        "meth.sheet": "Sheet",
        "meth.period": "Period",
        "meth.period_value": "after {start} up to and including {end} ({days} days)",
        "meth.window": "Activity window",
        "meth.window_value": "{days} days: a customer is active on a date when their latest order up to that date is less than {days} days earlier (an order on the date itself counts, one exactly {days} days earlier no longer does)",
        "meth.industry": "Industry benchmark",
        "meth.industry_none": "not chosen",
        "meth.rows_read": "Rows read",
        "meth.rows_used": "Rows used",
        "meth.rows_skipped": "Rows skipped",
        "meth.generated": "Generated",
        "meth.version": "Made with",
        "meth.anonymization": "Anonymisation",
        "meth.anonymization_value": "Customer ids are replaced by keyed pseudonyms (HMAC-SHA256, key kept on the computer that made the report): the same customer gets the same pseudonym in every report made with that key, and the ids cannot be worked out from the pseudonyms. Names, e-mails and phone numbers are removed everywhere.",
        "meth.columns": "Columns used",
        "meth.field": "Field",
        "meth.header": "Column in the file",
        "meth.formulas": "How each figure is calculated",
        "meth.metric": "Figure",
        "meth.definition": "Definition",
        "meth.targets": "Targets and benchmarks",
        "meth.notes": "Notes from reading the file",
        "def.revenue": "Sum of the amounts of the used rows dated in the period, leaving out rows flagged as returned or cancelled; negative amounts are refunds and are subtracted.",
        "def.orders": "Distinct order ids in the period with a positive net amount and no returned flag. Without an order-id column each row is an order.",
        "def.customers": "Distinct customers with at least one such order in the period.",
        "def.crr": "CRR = (E − N) ÷ S. S: customers active at the start of the period ({start}); E: customers active at its end ({end}); N: customers active at the end who were not active at the start (new, or won back: had an order on or before the start). It is the share of the starting customers who are still active at the end.",
        "def.churn": "Churn = 1 − CRR: the share of the starting customers who are no longer active at the end.",
        "def.repeat": "Share of the period's customers with two or more orders in the period.",
        "def.aov": "Average order value = net revenue ÷ orders.",
        "def.frequency": "Orders ÷ customers ÷ months, with months = {days} days ÷ 30.44.",
        "def.return_rate": "Returned orders ÷ (orders + returned orders). An order is returned when one of its rows is flagged returned/cancelled or its net amount is negative.",
        "def.clv": "Average monthly net revenue per customer × expected lifetime in months. Monthly net revenue per customer = net revenue ÷ customers with an order in the period (the Customers figure) ÷ months ({days} days ÷ 30.44). Lifetime = 1 ÷ monthly churn, with monthly churn = 1 − CRR^(30.44 ÷ {days}): the period's CRR as a monthly rate.",
        "def.clv_inputs": "In this report: {revenue} ÷ {customers} ÷ {months} = {spend} a month; monthly churn = 1 − {crr}^(30.44 ÷ {days}) = {churn}; lifetime = 1 ÷ {churn} = {lifetime} months; CLV = {value}.",
        "def.nps": "Share of promoters (scores 9–10) minus share of detractors (0–6) among 0–10 answers in the period, one answer per order; from −100 to +100.",
        "def.csat": "Share of satisfied answers (4 or 5 on the 1–5 scale) among the answers in the period, one answer per order. The score column is read as CSAT when its header names CSAT, satisfaction or a rating, or, under another header, when every answer is between 1 and 5; otherwise it is read as NPS (0–10).",
        "def.cohorts": "Customers grouped by the calendar month of their first counted order (all orders up to {end}, before the period too); cell (cohort, k) = share of the cohort with a counted order in the k-th month after the first.",
        "def.rfm": "Each customer with a counted order up to {end}, as of {end}: recency = days since the last order, frequency = orders, monetary = net revenue (all orders up to {end}). Each is scored 1–5 by quintile of the customer's rank (Excel's PERCENTRANK.INC in fifths; tied customers share a score; 3 for everyone when all are equal). The R and F scores give the segment; M is shown but does not change it.",
        "def.dates": "Dates are compared as calendar days (time of day ignored). An order's date is the earliest date among its rows, its customer that of its first row; money is dated by each row's own date.",
        "target.text_crr": "CRR: aim for 85–90 %; below 60 % needs attention; around 15 % is alarmingly low. Churn is judged the same way (green up to 15 %, red above 40 %).",
        "target.text_benchmarks": "Typical CRR by industry (HubSpot): retail 63 %, banking 75 %, telecom 78 %, IT 81 %, insurance 83 %, professional services 84 %, media 84 %.",
        "target.text_repeat": "Repeat purchase rate: 20–40 % is the healthy range in e-commerce.",
        "target.text_nps": "NPS: above 50 is excellent.",
        "target.text_return": "Return rate: below 5 % is good; 7 % and more is high (the same level as a high complaint rate).",
        "target.text_colours": "Status colours: green = on target, amber = below target, red = needs attention, grey = figure for reference. The word next to each colour says the same.",
        # roles (column mapping)
        "role.customer": "Customer ID",
        "role.date": "Order date",
        "role.amount": "Amount",
        "role.quantity": "Quantity",
        "role.price": "Unit price",
        "role.order": "Order ID",
        "role.returned": "Returned / cancelled",
        "role.channel": "Channel",
        "role.product": "Product",
        "role.score": "NPS / CSAT score",
        "role.customer_name": "Customer name",
        "role.email": "E-mail",
        "role.phone": "Phone",
        # number formats (no currency: amounts are in the file's currency)
        "fmt.date": "yyyy-mm-dd",
        "fmt.month": "mmm yyyy",
        # CLI summary
        "cli.written": "Report written to {path}",
        "cli.summary": "{customers} customers, {orders} orders, net revenue {revenue}, CRR {crr}",
        "note.no_start_customers": "no customer was active at the start of the period",
        "note.no_orders": "the period has no orders",
        "note.no_customers": "the period has no customers",
        "note.no_lost_customers": "no starting customer was lost, so the lifetime is unbounded",
        "note.crr_missing": "CRR of the period is not available",
        "note.negative_value": "refunds exceed sales",
        "na": "n/a",
        "days": "{n} days",
        "months": "{n} months",
        # predicted CLV and churn risk (BG/NBD + Gamma-Gamma)
        "tile.predicted_revenue": "Predicted revenue from existing customers, next {months} months",
        "detail.predicted_revenue": "from all {customers} customers so far · {high} at high churn risk",
        "detail.predicted_none": "not predicted: {reason}",
        "col.churn_risk": "Churn risk",
        "risk.low": "Low",
        "risk.medium": "Medium",
        "risk.high": "High",
        "meth.clv": "Predicted CLV and churn risk",
        "meth.clv_purchases": "Purchase model (BG/NBD)",
        "meth.clv_spend": "Spend model (Gamma-Gamma)",
        "meth.clv_purchase_params": "Fitted purchase parameters",
        "meth.clv_spend_params": "Fitted spend parameters",
        "meth.clv_data": "Data the models learnt from",
        "meth.clv_horizon": "Horizon",
        "meth.clv_discount": "Discount rate",
        "meth.clv_revenue": "Predicted revenue from existing customers",
        "meth.clv_value": "Predicted CLV",
        "meth.clv_risk": "Churn risk",
        "meth.clv_atrisk": "“At risk” on the Customers sheet",
        "meth.clv_none": "Not calculated",
        "def.clv_purchases": "Each customer buys at their own steady rate while they are still a customer, and after any purchase may drop out for good, with their own chance of doing so. From each customer's number of repeat purchases, the date of the last one and how long they have been a customer, the model gives the chance that they are still a customer and the number of orders to expect (Fader, Hardie & Lee, 2005).",
        "def.clv_spend": "Spend per order varies around each customer's own average. A customer with few orders is pulled towards the average of all customers; one with many orders keeps close to their own average (Fader, Hardie & Lee, 2005).",
        "def.clv_purchase_params": "r = {r} and α = {alpha} weeks: purchase rates differ between customers (gamma distribution); on average a customer who is still buying orders r ÷ α = {rate} times a week. a = {a} and b = {b}: the chance of dropping out after a purchase differs between customers (beta distribution), on average a ÷ (a + b) = {drop}. Time unit: weeks.",
        "def.clv_spend_params": "p = {p}, q = {q}, γ = {gamma}: spend per order; the average order over all customers is p × γ ÷ (q − 1) = {spend}.",
        "def.clv_spend_params_none": "Not fitted; each customer's own average order value is used instead.",
        "def.clv_data": "{customers} customers with a counted order up to {as_of}; {repeat} of them bought more than once. Counted orders only (returned and cancelled orders left out), each with its net amount; orders of one customer on the same day count as one purchase.",
        "def.clv_horizon": "The next {months} months (of 30.44 days) after {as_of}.",
        "def.clv_discount": "{rate} a year, applied month by month ({monthly} a month): money expected later counts for less today.",
        "def.clv_revenue": "Sum over today's customers of expected orders in the next {months} months × expected spend per order; not discounted, new customers not included: {value}.",
        "def.clv_value": "Per customer: month by month, expected orders × expected spend per order, discounted to {as_of}, summed over the next {months} months. Total over all customers: {total}.",
        "def.clv_risk": "From the chance that a customer is still a customer: low at 70 % or more, medium from 30 % to 70 %, high below 30 %. A customer who bought only once always counts as still a customer in this model, so for them the chance of buying again within the next {months} months is used instead. Now: {low} low, {medium} medium, {high} high.",
        "def.clv_atrisk": "Listed as at risk: customers in an RFM segment that needs winning back (At risk, Can't lose them, About to sleep, Need attention, Hibernating) and, where the model is fitted, repeat customers whose churn risk is medium or high and who are not yet Lost; the most valuable of them first.",
        "def.clv_none": "Not calculated: {reason}. Predicted revenue, predicted CLV and churn risk are therefore not shown; the other figures of the report do not depend on them.",
        "clv.reason.clv_no_purchases": "there are no orders up to the end of the period",
        "clv.reason.clv_few_repeat_buyers": "only {n} customers bought more than once; the model needs at least {min}",
        "clv.reason.clv_no_dropout": "customers show almost no sign of leaving yet, so the chance of leaving cannot be estimated; a longer history usually helps",
        "clv.reason.clv_regular_buyers": "customers buy at almost the same regular pace (like subscriptions), which this model cannot describe",
        "clv.reason.clv_no_history": "every customer bought for the first time on the last day",
        "clv.reason.clv_no_fit": "the model could not be fitted on this data",
        "clv.reason.clv_settings": "the horizon or discount rate setting cannot be used",
        "clv.reason.clv_failed": "the prediction could not be computed",
        "clv.note.clv_spend_correlated": "Spend per order and number of orders are correlated ({corr}); the spend model assumes they are not, so predicted CLV is less reliable.",
        "clv.note.clv_spend_fallback": "Spend per order could not be modelled; predicted CLV uses each customer's own average order value.",
    },
    "ru": {
        "sheet.dashboard": "Сводка",
        "sheet.cohorts": "Когорты",
        "sheet.segments": "Сегменты",
        "sheet.customers": "Клиенты",
        "sheet.issues": "Проблемы данных",
        "sheet.methodology": "Методика",
        "dash.title": "Отчёт по удержанию клиентов",
        "dash.source": "Источник",
        "dash.sheet": "лист",
        "dash.period": "Период",
        "dash.period_value": "{start} – {end} ({days} дн.)",
        "dash.generated": "Сформирован",
        "dash.rows": "Строк прочитано {read} · использовано {used} · пропущено {skipped}",
        "dash.rows_issues": "пропущенные строки — на листе «{sheet}»",
        "dash.headline": "Ключевые показатели",
        "dash.retention": "Удержание клиентов за период",
        "dash.monthly": "Динамика по месяцам (все месяцы в данных)",
        "dash.anonymized": "Обезличенный отчёт: вместо ID клиентов — псевдонимы",
        "anon.email_removed": "[e-mail удалён]",
        "anon.removed": "[удалено]",
        "tile.crr": "Коэффициент удержания (CRR)",
        "tile.churn": "Коэффициент оттока",
        "tile.repeat": "Доля повторных покупок",
        "tile.return_rate": "Доля возвратов",
        "tile.customers": "Клиенты",
        "tile.orders": "Заказы",
        "tile.revenue": "Чистая выручка",
        "tile.aov": "Средний чек (AOV)",
        "tile.frequency": "Частота покупок (в месяц)",
        "tile.clv": "Исторический CLV",
        "tile.nps": "Индекс лояльности (NPS)",
        "tile.csat": "Удовлетворённость (CSAT)",
        "target.crr": "Цель 85–90 % · ниже 60 % — внимание",
        "target.crr_benchmark": "Цель 85–90 % · {industry}: {value}",
        "target.churn": "Цель — не выше 10–15 %",
        "target.repeat": "Норма 20–40 %",
        "target.return": "Хорошо до 5 % · много от 7 %",
        "target.nps": "Выше 50 — отлично · ответов: {n}",
        "target.csat": "оценки 4–5 из 5 · ответов: {n}",
        "detail.customers": "с заказом в периоде",
        "detail.orders": "возвращено заказов: {returned}",
        "detail.revenue": "в среднем {per_month} в месяц",
        "detail.aov": "чистая выручка ÷ заказы",
        "detail.frequency": "заказы ÷ клиенты ÷ месяцы",
        "detail.clv": "{per_month} в месяц × {months} мес.",
        "detail.clv_none": "не рассчитан: {reason}",
        "status.excellent": "Отлично",
        "status.on_target": "В норме",
        "status.healthy": "В норме",
        "status.below": "Ниже цели",
        "status.attention": "Требует внимания",
        "status.high": "Много",
        "status.info": "Справочно",
        "status.no_data": "Нет данных",
        "status.above_target": "Выше цели",
        "status.above_industry": "Выше среднего по отрасли",
        "status.below_industry": "Ниже среднего по отрасли",
        "status.improve": "Есть куда расти",
        "ret.start": "Активны на начало (S)",
        "ret.end": "Активны на конец (E)",
        "ret.new": "Привлечены за период (N)",
        "ret.brand_new": "   из них новые клиенты",
        "ret.won_back": "   из них вернувшиеся",
        "ret.retained": "Удержаны (E − N)",
        "ret.crr": "CRR = (E − N) ÷ S",
        "ret.churn": "Отток = 1 − CRR",
        "ret.benchmark": "Отраслевой ориентир: {industry}",
        "ret.none": "на начало периода активных клиентов не было",
        "col.month": "Месяц",
        "col.orders": "Заказы",
        "col.customers": "Клиенты",
        "col.new_customers": "Новые клиенты",
        "col.returning_customers": "Повторные клиенты",
        "col.active_customers": "Активные клиенты",
        "col.revenue": "Чистая выручка",
        "col.aov": "Средний чек",
        "col.returned_orders": "Возвраты",
        "total": "Итого",
        "chart.revenue_orders": "Выручка и заказы по месяцам",
        "chart.customers": "Клиенты по месяцам: новые и повторные",
        "chart.segments": "Клиенты по RFM-сегментам",
        "axis.revenue": "Чистая выручка",
        "axis.orders": "Заказы",
        "axis.customers": "Клиенты",
        "cohorts.title": "Когортный анализ удержания",
        "cohorts.note": "Клиенты сгруппированы по месяцу первого заказа. В ячейке — доля когорты, сделавшая заказ в k-й месяц после первого (месяц 0 — первый месяц, поэтому 100 %). Зелёный — высокое удержание, красный — низкое.",
        "cohorts.empty": "Когорт нет: в данных нет заказов.",
        "col.cohort": "Месяц первого заказа",
        "col.cohort_size": "Клиенты",
        "col.month_k": "Месяц {k}",
        "segments.title": "RFM-сегменты",
        "segments.note": "Давность (дней с последнего заказа), частота (число заказов) и денежная ценность (чистая выручка) оцениваются от 1 до 5 по квинтилям; сегмент задают оценки R и F, оценка M показана, но на сегмент не влияет.",
        "segments.empty": "Сегментов нет: в данных нет клиентов.",
        "col.segment": "Сегмент",
        "col.share": "Доля клиентов",
        "col.revenue_share": "Доля выручки",
        "col.avg_recency": "Ср. дней с последнего заказа",
        "col.avg_frequency": "Ср. число заказов",
        "col.avg_monetary": "Ср. чистая выручка",
        "col.action": "Что делать",
        "customers.title": "Клиенты для работы",
        "customers.selection": "Выборка: {shown} из {total} клиентов — самые ценные и самые ценные из тех, кто может уйти (столбец «{why}»). Чтобы получить всех клиентов, запустите «retention-xl report … --all-customers» или отметьте «Все клиенты» в Excel.",
        "customers.all": "Все клиенты ({total}), самые ценные — первыми.",
        "customers.anonymized": "ID клиентов заменены псевдонимами (C-…); имена, адреса эл. почты и телефоны удалены.",
        "col.customer_id": "ID клиента",
        "col.customer_name": "Имя",
        "col.email": "Эл. почта",
        "col.phone": "Телефон",
        "col.first_order": "Первый заказ",
        "col.last_order": "Последний заказ",
        "col.recency_days": "Дней с последнего заказа",
        "col.frequency": "Заказы",
        "col.monetary": "Чистая выручка",
        "col.r_score": "R",
        "col.f_score": "F",
        "col.m_score": "M",
        "col.rfm_score": "Оценка RFM",
        "col.p_alive": "Вероятность, что ещё клиент",
        "col.expected_purchases": "Ожидаемые заказы за {months} мес.",
        "col.predicted_clv": "Прогноз CLV на {months} мес.",
        "col.why": "Почему в списке",
        "col.channel": "Канал",
        "col.active": "Активен на конец периода",
        "yes": "Да",
        "no": "Нет",
        "dash.outside_period": "Серым показаны месяцы вне отчётного периода. Строка «Все месяцы» складывает все показанные месяцы, включая серые, поэтому может быть больше ключевых показателей периода.",
        "dash.total_all": "Все месяцы",
        "why.top": "Самые ценные",
        "why.risk": "Под угрозой ухода",
        "issues.title": "Проблемы данных",
        "issues.summary": "Пропущено строк: {skipped} из {read}. Каждая указана ниже с причиной и значениями, чтобы ничего не терялось незаметно.",
        "issues.none": "Пропущенных строк нет: использованы все {read} строк.",
        "issues.by_reason": "Пропущенные строки по причинам",
        "issues.rows": "Пропущенные строки",
        "issues.truncated": "Здесь показаны первые {shown} из {total} пропущенных строк. Все они — в файле «{csv}» рядом с этим отчётом.",
        "issues.raw_hidden": "В обезличенном отчёте значения не показываются.",
        # why a row was skipped (notes.SKIP_REASONS codes)
        "reason.no_customer": "не указан клиент",
        "reason.no_date": "не указана дата",
        "reason.bad_date": "дата не распознана",
        "reason.no_amount": "не указана сумма",
        "reason.bad_amount": "сумма — не число",
        "reason.no_quantity": "не указано количество",
        "reason.bad_quantity": "количество — не число",
        "reason.no_price": "не указана цена",
        "reason.bad_price": "цена — не число",
        "reason.unusable": "строка непригодна",
        "reason.big_amount": "слишком большая сумма",
        "reason.nocalc_customer": "не указан клиент: у формулы нет сохранённого значения",
        "reason.nocalc_date": "не указана дата: у формулы нет сохранённого значения",
        "reason.nocalc_amount": "не указана сумма: у формулы нет сохранённого значения",
        "reason.nocalc_quantity": "не указано количество: у формулы нет сохранённого значения",
        "reason.nocalc_price": "не указана цена: у формулы нет сохранённого значения",
        "col.reason": "Причина",
        "col.count": "Строк",
        "col.row": "Строка",
        "col.raw": "Значения в строке",
        "meth.title": "Методика",
        "meth.intro": "Как рассчитан каждый показатель отчёта и с какими настройками. Все цифры получены из указанного ниже файла заказов; сам файл не изменялся.",
        "meth.parameters": "Настройки и данные",
        "meth.parameter": "Параметр",
        "meth.value": "Значение",
        "meth.source": "Файл-источник",
        "meth.sheet": "Лист",
        "meth.period": "Период",
        "meth.period_value": "после {start} по {end} включительно ({days} дн.)",
        "meth.window": "Окно активности",
        "meth.window_value": "{days} дн.: клиент активен на дату, если его последний заказ на эту дату или раньше сделан менее чем за {days} дн. до неё (заказ в сам этот день считается, заказ ровно за {days} дн. — уже нет)",
        "meth.industry": "Отраслевой ориентир",
        "meth.industry_none": "не выбран",
        "meth.rows_read": "Прочитано строк",
        "meth.rows_used": "Использовано строк",
        "meth.rows_skipped": "Пропущено строк",
        "meth.generated": "Сформирован",
        "meth.version": "Программа",
        "meth.anonymization": "Обезличивание",
        "meth.anonymization_value": "ID клиентов заменены ключевыми псевдонимами (HMAC-SHA256, ключ хранится на компьютере, где создан отчёт): один и тот же клиент получает один и тот же псевдоним во всех отчётах с этим ключом, а восстановить ID по псевдониму нельзя. Имена, адреса эл. почты и телефоны удалены везде.",
        "meth.columns": "Использованные столбцы",
        "meth.field": "Поле",
        "meth.header": "Столбец в файле",
        "meth.formulas": "Как рассчитан каждый показатель",
        "meth.metric": "Показатель",
        "meth.definition": "Определение",
        "meth.targets": "Цели и ориентиры",
        "meth.notes": "Замечания при чтении файла",
        "def.revenue": "Сумма по использованным строкам с датой в периоде без строк, отмеченных как возврат или отмена; отрицательные суммы — это возвраты денег, они вычитаются.",
        "def.orders": "Число различных номеров заказов в периоде с положительной чистой суммой и без отметки о возврате. Если столбца с номером заказа нет, каждая строка — отдельный заказ.",
        "def.customers": "Число различных клиентов, у которых в периоде есть хотя бы один такой заказ.",
        "def.crr": "CRR = (E − N) ÷ S. S — клиенты, активные на начало периода ({start}); E — активные на его конец ({end}); N — активные на конец, но не активные на начало (новые или вернувшиеся: с заказом на дату начала или раньше). Это доля клиентов начала периода, которые остались активными к его концу.",
        "def.churn": "Отток = 1 − CRR: доля клиентов начала периода, которые к его концу перестали быть активными.",
        "def.repeat": "Доля клиентов периода, сделавших в нём два заказа и более.",
        "def.aov": "Средний чек = чистая выручка ÷ число заказов.",
        "def.frequency": "Заказы ÷ клиенты ÷ месяцы; месяцы = {days} дн. ÷ 30,44.",
        "def.return_rate": "Возвращённые заказы ÷ (заказы + возвращённые заказы). Заказ считается возвращённым, если одна из его строк отмечена как возврат/отмена или его чистая сумма отрицательна.",
        "def.clv": "Средняя месячная чистая выручка на клиента × ожидаемый срок жизни клиента в месяцах. Месячная чистая выручка на клиента = чистая выручка ÷ клиенты с заказом в периоде (показатель «Клиенты») ÷ месяцы ({days} дн. ÷ 30,44). Срок жизни = 1 ÷ месячный отток, где месячный отток = 1 − CRR^(30,44 ÷ {days}): CRR периода в пересчёте на месяц.",
        "def.clv_inputs": "В этом отчёте: {revenue} ÷ {customers} ÷ {months} = {spend} в месяц; месячный отток = 1 − {crr}^(30,44 ÷ {days}) = {churn}; срок жизни = 1 ÷ {churn} = {lifetime} мес.; CLV = {value}.",
        "def.nps": "Доля промоутеров (оценки 9–10) минус доля критиков (0–6) среди ответов по шкале 0–10 за период, один ответ на заказ; от −100 до +100.",
        "def.csat": "Доля довольных ответов (4 или 5 по шкале 1–5) среди ответов за период, один ответ на заказ. Колонка оценок читается как CSAT, если её заголовок называет CSAT, удовлетворённость или рейтинг, а при другом заголовке — если все ответы от 1 до 5; иначе она читается как NPS (0–10).",
        "def.cohorts": "Клиенты сгруппированы по календарному месяцу первого засчитанного заказа (все заказы по {end}, включая до периода); ячейка (когорта, k) — доля когорты, сделавшая засчитанный заказ в k-й месяц после первого.",
        "def.rfm": "Каждый клиент с засчитанным заказом по {end}, на дату {end}: давность — дней с последнего заказа, частота — число заказов, денежная ценность — чистая выручка (все заказы по {end}). Каждая оценивается от 1 до 5 по квинтилю места клиента (PERCENTRANK.INC Excel по пятым долям; у равных клиентов оценка одна; у всех 3, если значения одинаковы). Сегмент задают оценки R и F; M показана, но на сегмент не влияет.",
        "def.dates": "Даты сравниваются как календарные дни (время суток не учитывается). Дата заказа — самая ранняя дата среди его строк, его клиент — клиент его первой строки; деньги каждой строки относятся к её собственной дате.",
        "target.text_crr": "CRR: стремиться к 85–90 %; ниже 60 % — требует внимания; около 15 % — тревожно низко. Отток оценивается так же (зелёный — до 15 %, красный — выше 40 %).",
        "target.text_benchmarks": "Типичный CRR по отраслям (HubSpot): розница 63 %, банки 75 %, телеком 78 %, IT 81 %, страхование 83 %, профессиональные услуги 84 %, медиа 84 %.",
        "target.text_repeat": "Доля повторных покупок: 20–40 % — нормальный диапазон для электронной коммерции.",
        "target.text_nps": "NPS: выше 50 — отлично.",
        "target.text_return": "Доля возвратов: до 5 % — хорошо; от 7 % — много (тот же уровень, что и высокая доля жалоб).",
        "target.text_colours": "Цвета статуса: зелёный — в норме, жёлтый — ниже цели, красный — требует внимания, серый — справочная цифра. Слово рядом с цветом говорит то же самое.",
        "role.customer": "ID клиента",
        "role.date": "Дата заказа",
        "role.amount": "Сумма",
        "role.quantity": "Количество",
        "role.price": "Цена за единицу",
        "role.order": "Номер заказа",
        "role.returned": "Возврат / отмена",
        "role.channel": "Канал",
        "role.product": "Товар",
        "role.score": "Оценка NPS / CSAT",
        "role.customer_name": "Имя клиента",
        "role.email": "Эл. почта",
        "role.phone": "Телефон",
        "fmt.date": "dd.mm.yyyy",
        "fmt.month": "mm.yyyy",
        "cli.written": "Отчёт сохранён: {path}",
        "cli.summary": "Клиентов {customers}, заказов {orders}, чистая выручка {revenue}, CRR {crr}",
        "note.no_start_customers": "на начало периода не было активных клиентов",
        "note.no_orders": "в периоде нет заказов",
        "note.no_customers": "в периоде нет клиентов",
        "note.no_lost_customers": "ни один клиент не ушёл, срок жизни не ограничен",
        "note.crr_missing": "CRR за период не рассчитан",
        "note.negative_value": "возвраты превышают продажи",
        "na": "н/д",
        "days": "{n} дн.",
        "months": "{n} мес.",
        # predicted CLV and churn risk (BG/NBD + Gamma-Gamma)
        "tile.predicted_revenue": "Прогноз выручки от текущих клиентов на {months} мес.",
        "detail.predicted_revenue": "от всех {customers} клиентов · высокий риск ухода: {high}",
        "detail.predicted_none": "прогноза нет: {reason}",
        "col.churn_risk": "Риск ухода",
        "risk.low": "Низкий",
        "risk.medium": "Средний",
        "risk.high": "Высокий",
        "meth.clv": "Прогноз CLV и риск ухода",
        "meth.clv_purchases": "Модель покупок (BG/NBD)",
        "meth.clv_spend": "Модель суммы заказа (Gamma-Gamma)",
        "meth.clv_purchase_params": "Параметры модели покупок",
        "meth.clv_spend_params": "Параметры модели суммы заказа",
        "meth.clv_data": "На каких данных обучены модели",
        "meth.clv_horizon": "Горизонт",
        "meth.clv_discount": "Ставка дисконтирования",
        "meth.clv_revenue": "Прогноз выручки от текущих клиентов",
        "meth.clv_value": "Прогноз CLV",
        "meth.clv_risk": "Риск ухода",
        "meth.clv_atrisk": "«Под угрозой» на листе «Клиенты»",
        "meth.clv_none": "Не рассчитан",
        "def.clv_purchases": "Пока человек остаётся клиентом, он покупает в собственном постоянном темпе, а после любой покупки может уйти насовсем — у каждого своя вероятность этого. По числу повторных покупок, дате последней из них и сроку, который человек уже является клиентом, модель даёт вероятность, что он всё ещё клиент, и ожидаемое число заказов (Fader, Hardie & Lee, 2005).",
        "def.clv_spend": "Сумма заказа колеблется вокруг собственного среднего чека клиента. У клиента с малым числом заказов оценка тянется к среднему по всем клиентам, у клиента с большим числом заказов остаётся близкой к его собственному среднему (Fader, Hardie & Lee, 2005).",
        "def.clv_purchase_params": "r = {r} и α = {alpha} нед.: темп покупок различается между клиентами (гамма-распределение); в среднем клиент, который ещё покупает, делает r ÷ α = {rate} заказа в неделю. a = {a} и b = {b}: вероятность уйти после покупки различается между клиентами (бета-распределение), в среднем a ÷ (a + b) = {drop}. Единица времени — недели.",
        "def.clv_spend_params": "p = {p}, q = {q}, γ = {gamma}: сумма заказа; средний заказ по всем клиентам p × γ ÷ (q − 1) = {spend}.",
        "def.clv_spend_params_none": "Не оценены; вместо них используется собственный средний чек каждого клиента.",
        "def.clv_data": "Клиентов с учтённым заказом по {as_of}: {customers}, из них покупали больше одного раза: {repeat}. Только учтённые заказы (возвраты и отмены исключены) с их чистой суммой; заказы одного клиента в один день считаются одной покупкой.",
        "def.clv_horizon": "Следующие {months} мес. (по 30,44 дня) после {as_of}.",
        "def.clv_discount": "{rate} в год, помесячно ({monthly} в месяц): деньги, ожидаемые позже, сегодня стоят меньше.",
        "def.clv_revenue": "Сумма по текущим клиентам: ожидаемое число заказов за следующие {months} мес. × ожидаемая сумма заказа; без дисконтирования и без новых клиентов: {value}.",
        "def.clv_value": "Для каждого клиента: по месяцам ожидаемые заказы × ожидаемая сумма заказа, приведённые к {as_of} по ставке дисконтирования, в сумме за следующие {months} мес. Итого по всем клиентам: {total}.",
        "def.clv_risk": "По вероятности, что клиент всё ещё клиент: низкий — от 70 %, средний — от 30 до 70 %, высокий — ниже 30 %. Клиент с одной покупкой в этой модели всегда считается ещё клиентом, поэтому для него берётся вероятность новой покупки в следующие {months} мес. Сейчас: низкий — {low}, средний — {medium}, высокий — {high}.",
        "def.clv_atrisk": "В список «под угрозой» попадают клиенты из RFM-сегментов, которых нужно возвращать (Под угрозой ухода, Нельзя потерять, Засыпающие, Требуют внимания, Спящие), а если модель оценена, — ещё и клиенты с повторными покупками, у которых риск ухода средний или высокий и которые ещё не в сегменте «Ушедшие»; сначала самые ценные.",
        "def.clv_none": "Не рассчитан: {reason}. Поэтому прогноз выручки, прогноз CLV и риск ухода не показаны; остальные показатели отчёта от них не зависят.",
        "clv.reason.clv_no_purchases": "до конца периода нет ни одного заказа",
        "clv.reason.clv_few_repeat_buyers": "больше одного раза покупали только {n} клиентов, а модели нужно не меньше {min}",
        "clv.reason.clv_no_dropout": "клиенты пока почти не уходят, поэтому вероятность ухода оценить нельзя; обычно помогает более длинная история",
        "clv.reason.clv_regular_buyers": "клиенты покупают почти в одном и том же регулярном темпе (как по подписке), а эта модель такое не описывает",
        "clv.reason.clv_no_history": "все клиенты впервые купили в последний день",
        "clv.reason.clv_no_fit": "модель не удалось оценить на этих данных",
        "clv.reason.clv_settings": "горизонт или ставку дисконтирования из настроек использовать нельзя",
        "clv.reason.clv_failed": "прогноз не удалось рассчитать",
        "clv.note.clv_spend_correlated": "Сумма заказа и число заказов связаны (корреляция {corr}); модель суммы заказа предполагает, что связи нет, поэтому прогноз CLV менее надёжен.",
        "clv.note.clv_spend_fallback": "Сумму заказа не удалось смоделировать; в прогнозе CLV используется собственный средний чек каждого клиента.",
    },
    "zh": {
        "sheet.dashboard": "概览",
        "sheet.cohorts": "同期群",
        "sheet.segments": "客户分群",
        "sheet.customers": "客户",
        "sheet.issues": "数据问题",
        "sheet.methodology": "方法说明",
        "dash.title": "客户保留 KPI 报告",
        "dash.source": "数据来源",
        "dash.sheet": "工作表",
        "dash.period": "统计期间",
        "dash.period_value": "{start} 至 {end}（{days} 天）",
        "dash.generated": "生成时间",
        "dash.rows": "读取 {read} 行 · 使用 {used} 行 · 跳过 {skipped} 行",
        "dash.rows_issues": "跳过的行列在“{sheet}”工作表",
        "dash.headline": "核心指标",
        "dash.retention": "期间客户保留情况",
        "dash.monthly": "月度趋势（数据中的所有月份）",
        "dash.anonymized": "匿名报告：客户ID已替换为化名",
        "anon.email_removed": "[邮箱已删除]",
        "anon.removed": "[已删除]",
        "tile.crr": "客户保留率 (CRR)",
        "tile.churn": "客户流失率",
        "tile.repeat": "复购率",
        "tile.return_rate": "退货率",
        "tile.customers": "客户数",
        "tile.orders": "订单数",
        "tile.revenue": "净收入",
        "tile.aov": "客单价 (AOV)",
        "tile.frequency": "购买频率（每月）",
        "tile.clv": "历史客户终身价值 (CLV)",
        "tile.nps": "净推荐值 (NPS)",
        "tile.csat": "客户满意度 (CSAT)",
        "target.crr": "目标 85–90% · 低于 60% 需关注",
        "target.crr_benchmark": "目标 85–90% · {industry}：{value}",
        "target.churn": "目标不高于 10–15%",
        "target.repeat": "健康区间 20–40%",
        "target.return": "低于 5% 为好 · 7% 及以上偏高",
        "target.nps": "高于 50 为优秀 · 共 {n} 份回答",
        "target.csat": "5 分制中 4–5 分 · 共 {n} 份回答",
        "detail.customers": "期间内有订单的客户",
        "detail.orders": "退货订单 {returned} 个",
        "detail.revenue": "平均每月 {per_month}",
        "detail.aov": "净收入 ÷ 订单数",
        "detail.frequency": "订单数 ÷ 客户数 ÷ 月数",
        "detail.clv": "每月 {per_month} × {months} 个月",
        "detail.clv_none": "无法计算：{reason}",
        "status.excellent": "优秀",
        "status.on_target": "达标",
        "status.healthy": "健康",
        "status.below": "低于目标",
        "status.attention": "需关注",
        "status.high": "偏高",
        "status.info": "参考",
        "status.no_data": "无数据",
        "status.above_target": "高于目标",
        "status.above_industry": "高于行业平均",
        "status.below_industry": "低于行业平均",
        "status.improve": "有提升空间",
        "ret.start": "期初活跃客户 (S)",
        "ret.end": "期末活跃客户 (E)",
        "ret.new": "期间新增活跃客户 (N)",
        "ret.brand_new": "   其中：新客户",
        "ret.won_back": "   其中：召回的老客户",
        "ret.retained": "留存客户 (E − N)",
        "ret.crr": "CRR = (E − N) ÷ S",
        "ret.churn": "流失率 = 1 − CRR",
        "ret.benchmark": "行业基准：{industry}",
        "ret.none": "期初没有活跃客户",
        "col.month": "月份",
        "col.orders": "订单数",
        "col.customers": "客户数",
        "col.new_customers": "新客户",
        "col.returning_customers": "回头客",
        "col.active_customers": "活跃客户",
        "col.revenue": "净收入",
        "col.aov": "客单价",
        "col.returned_orders": "退货订单",
        "total": "合计",
        "chart.revenue_orders": "各月净收入与订单数",
        "chart.customers": "各月客户数：新客户与回头客",
        "chart.segments": "各 RFM 分群客户数",
        "axis.revenue": "净收入",
        "axis.orders": "订单数",
        "axis.customers": "客户数",
        "cohorts.title": "同期群留存分析",
        "cohorts.note": "按首次下单月份对客户分组。每个单元格表示该同期群在首单后第 k 个月下单的客户占比（第 0 月即首单月，因此为 100%）。绿色表示留存高，红色表示留存低。",
        "cohorts.empty": "没有同期群：数据中没有订单。",
        "col.cohort": "首单月份",
        "col.cohort_size": "客户数",
        "col.month_k": "第 {k} 月",
        "segments.title": "RFM 客户分群",
        "segments.note": "按五分位对最近一次购买（距今天数）、购买频率（订单数）和消费金额（净收入）分别打 1–5 分；R 和 F 分数决定客户所属分群，M 分数仅供参考，不影响分群。",
        "segments.empty": "没有分群：数据中没有客户。",
        "col.segment": "分群",
        "col.share": "客户占比",
        "col.revenue_share": "收入占比",
        "col.avg_recency": "平均距上次下单天数",
        "col.avg_frequency": "平均订单数",
        "col.avg_monetary": "平均净收入",
        "col.action": "建议行动",
        "customers.title": "重点跟进客户",
        "customers.selection": "此处为 {total} 位客户中的 {shown} 位：价值最高的客户，以及有流失风险的客户中价值最高者（见“{why}”列）。如需列出全部客户，请运行 “retention-xl report … --all-customers”，或在 Excel 中勾选“全部客户”。",
        "customers.all": "全部 {total} 位客户，按价值从高到低排列。",
        "customers.anonymized": "客户ID已替换为化名（C-…），姓名、电子邮箱和电话已删除。",
        "col.customer_id": "客户ID",
        "col.customer_name": "姓名",
        "col.email": "电子邮箱",
        "col.phone": "电话",
        "col.first_order": "首次下单",
        "col.last_order": "最近下单",
        "col.recency_days": "距上次下单天数",
        "col.frequency": "订单数",
        "col.monetary": "净收入",
        "col.r_score": "R",
        "col.f_score": "F",
        "col.m_score": "M",
        "col.rfm_score": "RFM 得分",
        "col.p_alive": "仍为客户的概率",
        "col.expected_purchases": "未来 {months} 个月预期订单数",
        "col.predicted_clv": "未来 {months} 个月预测 CLV",
        "col.why": "入选原因",
        "col.channel": "渠道",
        "col.active": "期末是否活跃",
        "yes": "是",
        "no": "否",
        "dash.outside_period": "灰色月份不在报告期间内。“全部月份合计”行汇总表中所有月份（包括灰色月份），因此可能大于本期核心指标。",
        "dash.total_all": "全部月份合计",
        "why.top": "价值最高",
        "why.risk": "流失风险",
        "issues.title": "数据问题",
        "issues.summary": "共跳过 {read} 行中的 {skipped} 行。下面逐行列出原因和原始值，不会有数据被悄悄丢弃。",
        "issues.none": "没有跳过任何行：全部 {read} 行均已使用。",
        "issues.by_reason": "按原因统计的跳过行",
        "issues.rows": "跳过的行",
        "issues.truncated": "此处仅列出 {total} 个跳过行中的前 {shown} 个。全部跳过行保存在本报告旁边的文件“{csv}”中。",
        "issues.raw_hidden": "匿名报告不显示原始值。",
        # why a row was skipped (notes.SKIP_REASONS codes)
        "reason.no_customer": "缺少客户",
        "reason.no_date": "缺少日期",
        "reason.bad_date": "日期无法识别",
        "reason.no_amount": "缺少金额",
        "reason.bad_amount": "金额不是数字",
        "reason.no_quantity": "缺少数量",
        "reason.bad_quantity": "数量不是数字",
        "reason.no_price": "缺少单价",
        "reason.bad_price": "单价不是数字",
        "reason.unusable": "该行无法使用",
        "reason.big_amount": "金额过大",
        "reason.nocalc_customer": "缺少客户：公式没有保存的计算结果",
        "reason.nocalc_date": "缺少日期：公式没有保存的计算结果",
        "reason.nocalc_amount": "缺少金额：公式没有保存的计算结果",
        "reason.nocalc_quantity": "缺少数量：公式没有保存的计算结果",
        "reason.nocalc_price": "缺少单价：公式没有保存的计算结果",
        "col.reason": "原因",
        "col.count": "行数",
        "col.row": "行号",
        "col.raw": "该行的值",
        "meth.title": "方法说明",
        "meth.intro": "本报告中每个数字的计算方法及所用设置。所有数字均来自下列订单文件，原文件未被修改。",
        "meth.parameters": "设置与数据",
        "meth.parameter": "设置",
        "meth.value": "值",
        "meth.source": "源文件",
        "meth.sheet": "工作表",
        "meth.period": "统计期间",
        "meth.period_value": "{start} 之后至 {end}（含），共 {days} 天",
        "meth.window": "活跃窗口",
        "meth.window_value": "{days} 天：客户在某日期（含当天）之前的最近一次下单距该日期少于 {days} 天，即视为在该日期活跃（当天的订单计入，恰好早 {days} 天的订单不再计入）",
        "meth.industry": "行业基准",
        "meth.industry_none": "未选择",
        "meth.rows_read": "读取行数",
        "meth.rows_used": "使用行数",
        "meth.rows_skipped": "跳过行数",
        "meth.generated": "生成时间",
        "meth.version": "生成工具",
        "meth.anonymization": "匿名化",
        "meth.anonymization_value": "客户ID已替换为带密钥的化名（HMAC-SHA256，密钥保存在生成报告的电脑上）：使用同一密钥生成的所有报告中，同一客户的化名相同，且无法从化名反推出ID。姓名、电子邮箱和电话在所有位置均已删除。",
        "meth.columns": "使用的列",
        "meth.field": "字段",
        "meth.header": "文件中的列",
        "meth.formulas": "各指标的计算方法",
        "meth.metric": "指标",
        "meth.definition": "定义",
        "meth.targets": "目标与基准",
        "meth.notes": "读取文件时的说明",
        "def.revenue": "期间内已使用行的金额之和，不含标记为退货或取消的行；负金额为退款，予以扣减。",
        "def.orders": "期间内净金额为正且未标记退货的不同订单号数量。若没有订单号列，每一行视为一个订单。",
        "def.customers": "期间内至少有一个上述订单的不同客户数量。",
        "def.crr": "CRR = (E − N) ÷ S。S：期初（{start}）活跃客户数；E：期末（{end}）活跃客户数；N：期末活跃但期初不活跃的客户数（新客户，或召回客户：在期初当天或之前下过单）。即期初客户到期末仍保持活跃的比例。",
        "def.churn": "流失率 = 1 − CRR：期初客户到期末不再活跃的比例。",
        "def.repeat": "期间客户中在期间内下单两次及以上的客户占比。",
        "def.aov": "客单价 = 净收入 ÷ 订单数。",
        "def.frequency": "订单数 ÷ 客户数 ÷ 月数，月数 = {days} 天 ÷ 30.44。",
        "def.return_rate": "退货订单数 ÷（订单数 + 退货订单数）。订单中任一行标记为退货/取消，或订单净金额为负，即视为退货订单。",
        "def.clv": "每位客户的月均净收入 × 预期生命周期月数。每位客户的月均净收入 = 净收入 ÷ 期间内有订单的客户数（即“客户数”指标）÷ 月数（{days} 天 ÷ 30.44）。生命周期 = 1 ÷ 月流失率，月流失率 = 1 − CRR^(30.44 ÷ {days})，即把期间 CRR 换算为月度比率。",
        "def.clv_inputs": "本报告：{revenue} ÷ {customers} ÷ {months} = 每月 {spend}；月流失率 = 1 − {crr}^(30.44 ÷ {days}) = {churn}；生命周期 = 1 ÷ {churn} = {lifetime} 个月；CLV = {value}。",
        "def.nps": "期间内 0–10 分回答中推荐者（9–10 分）占比减去贬损者（0–6 分）占比，每个订单计一份回答；取值 −100 至 +100。",
        "def.csat": "期间内回答中满意回答（1–5 分制的 4 或 5 分）所占比例，每个订单计一份回答。评分列的表头为 CSAT、满意度或评级时按 CSAT 读取；表头为其他名称时，若所有回答都在 1–5 之间也按 CSAT 读取；否则按 NPS（0–10）读取。",
        "def.cohorts": "按首个计入订单的自然月对客户分组（截至 {end} 的全部订单，包括期间之前）；单元格（同期群, k）= 该同期群在首单后第 k 个月有计入订单的客户占比。",
        "def.rfm": "截至 {end} 有计入订单的每位客户，以 {end} 为基准：最近购买 = 距最后一次下单的天数，频率 = 订单数，金额 = 净收入（截至 {end} 的全部订单）。每项按客户排名的五分位打 1–5 分（Excel 的 PERCENTRANK.INC 按五等分；并列客户同分；所有值相同时均为 3 分）。R 和 F 分数决定分群，M 分数仅供参考，不影响分群。",
        "def.dates": "日期按自然日比较（忽略具体时间）。订单日期取其各行中最早的日期，订单客户取其第一行的客户；金额按每行自身的日期计入。",
        "target.text_crr": "CRR：目标 85–90%；低于 60% 需关注；15% 左右属于严重偏低。流失率按同样标准评估（15% 以内为绿色，高于 40% 为红色）。",
        "target.text_benchmarks": "各行业典型 CRR（HubSpot）：零售 63%、银行 75%、电信 78%、IT 81%、保险 83%、专业服务 84%、媒体 84%。",
        "target.text_repeat": "复购率：20–40% 是电商的健康区间。",
        "target.text_nps": "NPS：高于 50 为优秀。",
        "target.text_return": "退货率：低于 5% 为好；7% 及以上偏高（与较高的投诉率水平相同）。",
        "target.text_colours": "状态颜色：绿色 = 达标，黄色 = 低于目标，红色 = 需关注，灰色 = 参考数字。颜色旁的文字表达相同含义。",
        "role.customer": "客户ID",
        "role.date": "下单日期",
        "role.amount": "金额",
        "role.quantity": "数量",
        "role.price": "单价",
        "role.order": "订单号",
        "role.returned": "退货 / 取消",
        "role.channel": "渠道",
        "role.product": "商品",
        "role.score": "NPS / CSAT 评分",
        "role.customer_name": "客户姓名",
        "role.email": "电子邮箱",
        "role.phone": "电话",
        "fmt.date": "yyyy-mm-dd",
        "fmt.month": 'yyyy"年"m"月"',
        "cli.written": "报告已保存：{path}",
        "cli.summary": "客户 {customers} 位，订单 {orders} 个，净收入 {revenue}，CRR {crr}",
        "note.no_start_customers": "期初没有活跃客户",
        "note.no_orders": "期间内没有订单",
        "note.no_customers": "期间内没有客户",
        "note.no_lost_customers": "期初客户无一流失，生命周期无上限",
        "note.crr_missing": "无法计算期间 CRR",
        "note.negative_value": "退款超过销售额",
        "na": "无",
        "days": "{n} 天",
        "months": "{n} 个月",
        # predicted CLV and churn risk (BG/NBD + Gamma-Gamma)
        "tile.predicted_revenue": "现有客户未来 {months} 个月预测收入",
        "detail.predicted_revenue": "来自迄今全部 {customers} 位客户 · 高流失风险 {high} 位",
        "detail.predicted_none": "无预测：{reason}",
        "col.churn_risk": "流失风险",
        "risk.low": "低",
        "risk.medium": "中",
        "risk.high": "高",
        "meth.clv": "预测 CLV 与流失风险",
        "meth.clv_purchases": "购买模型（BG/NBD）",
        "meth.clv_spend": "订单金额模型（Gamma-Gamma）",
        "meth.clv_purchase_params": "购买模型拟合参数",
        "meth.clv_spend_params": "金额模型拟合参数",
        "meth.clv_data": "模型所用数据",
        "meth.clv_horizon": "预测期",
        "meth.clv_discount": "折现率",
        "meth.clv_revenue": "现有客户预测收入",
        "meth.clv_value": "预测 CLV",
        "meth.clv_risk": "流失风险",
        "meth.clv_atrisk": "“客户”表中的“有风险”",
        "meth.clv_none": "未计算",
        "def.clv_purchases": "客户在仍是客户期间按各自稳定的频率购买；每次购买后都可能永久离开，离开的概率因人而异。模型根据每位客户的复购次数、最近一次复购的日期以及成为客户的时长，给出其仍是客户的概率和预期订单数（Fader、Hardie 和 Lee，2005）。",
        "def.clv_spend": "每笔订单金额围绕客户自己的平均值波动。订单少的客户，其估计值向全体客户的平均值靠拢；订单多的客户，则接近其自身的平均值（Fader、Hardie 和 Lee，2005）。",
        "def.clv_purchase_params": "r = {r}，α = {alpha} 周：客户之间的购买频率不同（伽马分布）；仍在购买的客户平均每周下单 r ÷ α = {rate} 次。a = {a}，b = {b}：每次购买后离开的概率因人而异（贝塔分布），平均为 a ÷ (a + b) = {drop}。时间单位：周。",
        "def.clv_spend_params": "p = {p}，q = {q}，γ = {gamma}：订单金额；全体客户的平均订单金额为 p × γ ÷ (q − 1) = {spend}。",
        "def.clv_spend_params_none": "未拟合；改用每位客户自己的平均订单金额。",
        "def.clv_data": "截至 {as_of} 有计入订单的客户 {customers} 位，其中购买超过一次的 {repeat} 位。仅使用计入的订单（不含退货和取消）及其净金额；同一客户同一天的订单算作一次购买。",
        "def.clv_horizon": "{as_of} 之后的 {months} 个月（每月 30.44 天）。",
        "def.clv_discount": "年率 {rate}，按月折现（每月 {monthly}）：越晚获得的钱，今天的价值越低。",
        "def.clv_revenue": "对现有客户求和：未来 {months} 个月的预期订单数 × 预期每单金额；不折现，不含新客户：{value}。",
        "def.clv_value": "对每位客户：逐月计算预期订单数 × 预期每单金额，折现到 {as_of}，再对未来 {months} 个月求和。全部客户合计：{total}。",
        "def.clv_risk": "依据客户仍是客户的概率：70% 及以上为低，30%–70% 为中，低于 30% 为高。只购买过一次的客户在该模型中总被视为仍是客户，因此改用其在未来 {months} 个月内再次购买的概率。当前：低 {low} 位，中 {medium} 位，高 {high} 位。",
        "def.clv_atrisk": "列为“有风险”的客户：属于需要挽回的 RFM 分群（流失风险客户、不能失去的客户、即将沉睡、需关注客户、沉睡客户）的客户，以及在模型已拟合时，流失风险为中或高、且尚未归入“已流失客户”的复购客户；价值最高者优先。",
        "def.clv_none": "未计算：{reason}。因此不显示预测收入、预测 CLV 和流失风险；报告中的其他指标不依赖于它们。",
        "clv.reason.clv_no_purchases": "截至期末没有任何订单",
        "clv.reason.clv_few_repeat_buyers": "只有 {n} 位客户购买超过一次；模型至少需要 {min} 位",
        "clv.reason.clv_no_dropout": "客户几乎没有流失迹象，因此无法估计离开的概率；通常更长的历史数据会有帮助",
        "clv.reason.clv_regular_buyers": "客户的购买节奏几乎相同且规律（类似订阅），该模型无法描述这种情况",
        "clv.reason.clv_no_history": "所有客户都在最后一天首次购买",
        "clv.reason.clv_no_fit": "无法在这些数据上拟合模型",
        "clv.reason.clv_settings": "设置中的预测期或折现率无法使用",
        "clv.reason.clv_failed": "无法计算预测",
        "clv.note.clv_spend_correlated": "每单金额与订单数相关（相关系数 {corr}）；金额模型假定二者无关，因此预测 CLV 的可靠性较低。",
        "clv.note.clv_spend_fallback": "无法为每单金额建模；预测 CLV 改用每位客户自己的平均订单金额。",
    },
}

# RFM segment names as the engine may spell them -> key. Matching ignores case,
# spaces, hyphens and apostrophes, so "At risk", "at_risk" and "At-Risk" agree.
_SEGMENT_ALIASES: dict[str, str] = {
    "champions": "champions",
    "loyal": "loyal",
    "loyalcustomers": "loyal",
    "potential": "potential",
    "potentialloyalists": "potential",
    "potentialloyalist": "potential",
    "new": "new",
    "newcustomers": "new",
    "recent": "new",
    "promising": "promising",
    "needattention": "need_attention",
    "needsattention": "need_attention",
    "abouttosleep": "about_to_sleep",
    "atrisk": "at_risk",
    "cantlosethem": "cant_lose",
    "cannotlosethem": "cant_lose",
    "cantlose": "cant_lose",
    "hibernating": "hibernating",
    "lost": "lost",
    "others": "other",
    "other": "other",
}

# segment key -> (name, suggested action) per language
SEGMENTS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "champions": ("Champions", "Reward them: early access, loyalty perks; ask for reviews and referrals."),
        "loyal": ("Loyal", "Upsell higher-value products; invite to the loyalty programme."),
        "potential": ("Potential loyalists", "Offer membership or a second-purchase incentive; recommend related products."),
        "new": ("New", "Onboard well: welcome series, help with the first use, a reason to come back."),
        "promising": ("Promising", "Build the habit: personalised recommendations, a small time-limited offer."),
        "need_attention": ("Need attention", "Re-engage with a limited-time offer based on past purchases."),
        "about_to_sleep": ("About to sleep", "Reactivate now with popular products and a discount before they lapse."),
        "at_risk": ("At risk", "Win them back: personal e-mails, renewal offers, ask what went wrong."),
        "cant_lose": ("Can't lose them", "Contact personally, with your best offer; find out why they stopped."),
        "hibernating": ("Hibernating", "Low-cost reactivation with relevant products; do not overspend."),
        "lost": ("Lost", "Try one win-back campaign, then leave them out of regular mailings."),
        "other": ("Other", "Review individually."),
    },
    "ru": {
        "champions": ("Чемпионы", "Поощряйте: ранний доступ, бонусы программы лояльности; просите отзывы и рекомендации."),
        "loyal": ("Лояльные", "Предлагайте более дорогие товары; пригласите в программу лояльности."),
        "potential": ("Потенциально лояльные", "Предложите участие в программе или бонус за следующую покупку; рекомендуйте сопутствующие товары."),
        "new": ("Новые", "Хороший онбординг: приветственная серия писем, помощь с первым использованием, повод вернуться."),
        "promising": ("Перспективные", "Формируйте привычку: персональные рекомендации, небольшое ограниченное предложение."),
        "need_attention": ("Требуют внимания", "Верните интерес ограниченным по времени предложением на основе прошлых покупок."),
        "about_to_sleep": ("Засыпающие", "Реактивируйте сейчас: популярные товары и скидка, пока клиент не ушёл."),
        "at_risk": ("Под угрозой ухода", "Возвращайте: персональные письма, предложения о продлении, спросите, что пошло не так."),
        "cant_lose": ("Нельзя потерять", "Свяжитесь лично с лучшим предложением; выясните, почему клиент перестал покупать."),
        "hibernating": ("Спящие", "Недорогая реактивация релевантными товарами; не тратьте много."),
        "lost": ("Ушедшие", "Одна кампания по возврату, затем исключите из регулярных рассылок."),
        "other": ("Прочие", "Рассмотрите индивидуально."),
    },
    "zh": {
        "champions": ("冠军客户", "给予奖励：抢先体验、会员福利；邀请评价和推荐。"),
        "loyal": ("忠诚客户", "推荐更高价值的商品；邀请加入会员计划。"),
        "potential": ("潜力客户", "提供会员资格或二次购买激励；推荐相关商品。"),
        "new": ("新客户", "做好新客引导：欢迎邮件、首次使用帮助，给出再次光顾的理由。"),
        "promising": ("有望客户", "培养购买习惯：个性化推荐、小额限时优惠。"),
        "need_attention": ("需关注客户", "根据历史购买推送限时优惠，重新激发兴趣。"),
        "about_to_sleep": ("即将沉睡", "趁客户尚未流失，用热门商品和折扣及时激活。"),
        "at_risk": ("流失风险客户", "积极挽回：个性化邮件、续购优惠，了解问题所在。"),
        "cant_lose": ("不能失去的客户", "亲自联系并提供最优方案；弄清客户停止购买的原因。"),
        "hibernating": ("沉睡客户", "用相关商品进行低成本激活，避免过度投入。"),
        "lost": ("已流失客户", "尝试一次挽回活动，之后不再纳入常规营销。"),
        "other": ("其他", "逐一评估。"),
    },
}

# Segments whose customers are "at risk" for the Customers sheet selection.
AT_RISK_SEGMENTS = frozenset({"at_risk", "cant_lose", "about_to_sleep", "need_attention", "hibernating"})

# Industry keys as metrics.crr_benchmark may name them -> display name.
INDUSTRIES: dict[str, dict[str, str]] = {
    "en": {"retail": "retail", "banking": "banking", "telecom": "telecom", "it": "IT",
           "insurance": "insurance", "professional_services": "professional services", "media": "media"},
    "ru": {"retail": "розница", "banking": "банки", "telecom": "телеком", "it": "IT",
           "insurance": "страхование", "professional_services": "профессиональные услуги", "media": "медиа"},
    "zh": {"retail": "零售", "banking": "银行", "telecom": "电信", "it": "IT",
           "insurance": "保险", "professional_services": "专业服务", "media": "媒体"},
}


LABELS["en"].update({f"reason.{code}": words for code, words in _notes.SKIP_REASONS.items()})

# What the reader noticed about the input (notes.Note codes), per language; English is the
# reader's own words. "column" prefixes a note about one column.
READ_NOTES: dict[str, dict[str, str]] = {
    "en": {**_notes.READ_NOTES, "column": '"{column}": {text}'},
    "ru": {
        "column": "«{column}»: {text}",
        "text_read": "прочитан как текст в кодировке {encoding}, разделитель — {delimiter}",
        "header_line": "заголовок в строке {line}",
        "utf8_damaged": "байты, не являющиеся UTF-8, показаны как «\ufffd» (первый — в строке {line}): {n}",
        "sheet_header": "лист «{sheet}», заголовок в строке {row}",
        "sheet_only": "использован лист «{sheet}» (единственный), заголовок в строке {row}",
        "sheet_first": "использован лист «{sheet}» (первый лист с заголовком заказов), заголовок в строке {row}",
        "range_header": "заголовок в строке {row} листа «{sheet}»",
        "range_cells": "ячейки {address} книги {book}",
        "text_no_sheets": "«{file}» — текстовый файл без листов: лист «{sheet}» не учитывается",
        "merged_cells": "ячейки объединённых областей, получившие значение объединённой ячейки: {n}",
        "uncached_formulas": "ячейки с формулами без сохранённого значения, прочитаны как пустые (первая: {cell}): {n}. "
                             "Файл сохранён программой, которая не вычисляет формулы: откройте его в Excel или "
                             "LibreOffice, сохраните и постройте отчёт снова",
        "longer_rows": "строки, где ячеек больше, чем столбцов в заголовке ({width}) (первая: строка {row}): {n}; "
                       "лишние ячейки не читаются. Если в значении есть разделитель без кавычек (1,234.50 в файле "
                       "с разделителем-запятой), ячейки после него сдвинулись на один столбец вправо",
        "duplicate_header": "столбцов с названием «{header}»: {n}; {role} взят(а) из столбца {taken}, а не {others}",
        "returned_extra": "возвраты и отмены также взяты из {headers}",
        "customer_from": "нет столбца с ID клиента: клиентов различает «{header}» ({role})",
        "amount_product": "нет столбца суммы: сумма = «{quantity}» × «{price}»",
        "email_fallback": "строки без ID клиента, опознанные по e-mail («{header}»): {n}",
        "dates_yyyymmdd": "даты записаны числами вида ггггммдд",
        "dates_serial": "даты записаны порядковыми номерами дней Excel",
        "dates_us": "даты прочитаны как месяц/день/год (американский формат): ни одно значение не подходит под день/месяц",
        "dates_mixed": "в датах смешаны форматы день/месяц и месяц/день; прочитано как день/месяц, остальные значения — в списке нераспознанных",
        "two_digit_years": "двузначные годы прочитаны как 20xx (70–99 как 19xx)",
        "decimal_comma": "в суммах десятичная запятая",
        "flags_returned": "строки с отметкой {values} считаются возвратами/отменами",
        "flags_unknown": "значения, не распознанные как возврат/отмена (считаются обычными заказами): {values}",
        "c_cancellations": "строки, где «{header}» начинается с «C», — отмены (считаются возвратами): {n}",
        "order_lines": "строки заказа без собственной суммы (итог заказа в его первой строке) учтены с суммой 0, "
                       "клиентом и датой своего заказа: {n}",
        "repeated_total": "«{header}» — итог заказа, повторённый в каждой его строке: учтён один раз на заказ "
                          "(заказов: {orders}; обнулено повторов: {lines})",
    },
    "zh": {
        "column": "“{column}”：{text}",
        "text_read": "按 {encoding} 编码的文本读取，分隔符为{delimiter}",
        "header_line": "表头在第 {line} 行",
        "utf8_damaged": "非 UTF-8 字节，显示为“\ufffd”（第一个在第 {line} 行）：{n}",
        "sheet_header": "工作表“{sheet}”，表头在第 {row} 行",
        "sheet_only": "使用工作表“{sheet}”（唯一的工作表），表头在第 {row} 行",
        "sheet_first": "使用工作表“{sheet}”（第一个含订单表头的工作表），表头在第 {row} 行",
        "range_header": "表头在工作表“{sheet}”的第 {row} 行",
        "range_cells": "{book} 中的单元格 {address}",
        "text_no_sheets": "“{file}”是没有工作表的文本文件：已忽略工作表“{sheet}”",
        "merged_cells": "合并区域中取合并单元格显示值的单元格：{n}",
        "uncached_formulas": "没有保存计算结果、按空白读取的公式单元格（第一个：{cell}）：{n}。该文件由不计算公式的程序保存："
                             "请在 Excel 或 LibreOffice 中打开并保存后重新生成报告",
        "longer_rows": "单元格多于表头 {width} 列的行（第一行：第 {row} 行）：{n}；多出的单元格不读取。若其中某个值含有未加引号的"
                       "分隔符（逗号分隔文件中的 1,234.50），其后的单元格已右移一列",
        "duplicate_header": "有 {n} 列名为“{header}”：{role}取自第 {taken} 列，而非 {others}",
        "returned_extra": "退货/取消也从 {headers} 读取",
        "customer_from": "没有客户 ID 列：用“{header}”（{role}）区分客户",
        "amount_product": "没有金额列：金额 = “{quantity}” × “{price}”",
        "email_fallback": "缺少客户 ID、按电子邮箱（“{header}”）识别的行：{n}",
        "dates_yyyymmdd": "日期为 yyyymmdd 格式的数字",
        "dates_serial": "日期为 Excel 序列号",
        "dates_us": "日期按月在前读取（美国格式 mm/dd/yyyy）：没有值符合日在前",
        "dates_mixed": "日期混合了日在前和月在前的写法；按日在前读取，其余列为无法识别",
        "two_digit_years": "两位数年份按 20xx 读取（70–99 按 19xx）",
        "decimal_comma": "金额使用逗号作小数点",
        "flags_returned": "标记为 {values} 的行视为退货/取消",
        "flags_unknown": "未识别为退货/取消的值（按未退货处理）：{values}",
        "c_cancellations": "“{header}”以“C”开头的行为取消（按退货处理）：{n}",
        "order_lines": "没有自身金额的订单明细行（订单总额在其第一行）按金额 0 计，客户和日期取自所属订单：{n}",
        "repeated_total": "“{header}”是在订单每一行重复的订单总额：每个订单只计一次（订单：{orders}；置为 0 的重复金额：{lines}）",
    },
}
NOTE_WORDS: dict[str, dict[str, str]] = {
    "en": dict(_notes.WORDS),
    "ru": {
        "encoding.utf8": "UTF-8", "encoding.utf8_bom": "UTF-8 (с BOM)", "encoding.utf16": "UTF-16",
        "encoding.cp1251": "Windows-1251 (кириллица)", "encoding.gbk": "GBK (китайская)",
        "encoding.cp1252": "Windows-1252 (западноевропейская)",
        "delimiter.comma": "запятая", "delimiter.semicolon": "точка с запятой", "delimiter.tab": "табуляция",
        "delimiter.bar": "вертикальная черта",
        "role.customer_id": "ID клиента", "role.date": "дата заказа", "role.amount": "сумма",
        "role.quantity": "количество", "role.price": "цена за единицу", "role.order_id": "номер заказа",
        "role.returned": "признак возврата/отмены", "role.channel": "канал", "role.product": "товар",
        "role.score": "оценка (NPS/CSAT)", "role.customer_name": "имя клиента", "role.email": "e-mail",
        "role.phone": "телефон",
    },
    "zh": {
        "encoding.utf8": "UTF-8", "encoding.utf8_bom": "UTF-8（带 BOM）", "encoding.utf16": "UTF-16",
        "encoding.cp1251": "Windows-1251（西里尔文）", "encoding.gbk": "GBK（中文）",
        "encoding.cp1252": "Windows-1252（西欧）",
        "delimiter.comma": "逗号", "delimiter.semicolon": "分号", "delimiter.tab": "制表符",
        "delimiter.bar": "竖线",
        "role.customer_id": "客户 ID", "role.date": "下单日期", "role.amount": "金额", "role.quantity": "数量",
        "role.price": "单价", "role.order_id": "订单号", "role.returned": "退货/取消标记或状态",
        "role.channel": "渠道", "role.product": "商品", "role.score": "评分（NPS/CSAT）",
        "role.customer_name": "客户姓名", "role.email": "电子邮箱", "role.phone": "电话",
    },
}


def check_lang(lang: str | None) -> str:
    """Return a supported language code, or raise InputError naming the choices."""
    code = (lang or "en").strip().lower()
    if code not in LANGS:
        raise InputError(f"language {lang!r} is not available; choose one of: {', '.join(LANGS)}")
    return code


def text(lang: str, key: str, **fields: Any) -> str:
    """The text for *key* in *lang*, with ``{fields}`` filled in."""
    table = LABELS[lang]
    template = table[key] if key in table else LABELS["en"][key]
    return template.format(**fields) if fields else template


class Labels:
    """``L = Labels("ru"); L("tile.crr")`` – a language bound to :func:`text`."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)

    def __call__(self, key: str, **fields: Any) -> str:
        return text(self.lang, key, **fields)

    def has(self, key: str) -> bool:
        return key in LABELS[self.lang]

    def segment(self, name: str) -> tuple[str, str]:
        """(display name, suggested action) for an engine segment name."""
        key = segment_key(name)
        if key is None:
            return str(name), SEGMENTS[self.lang]["other"][1]
        return SEGMENTS[self.lang][key]

    def industry(self, name: str | None) -> str:
        if not name:
            return ""
        key = re.sub(r"[^a-z]+", "_", str(name).strip().lower()).strip("_")
        return INDUSTRIES[self.lang].get(key, str(name))

    def number(self, value: float | None, digits: int = 0) -> str:
        return fmt_number(value, self.lang, digits)

    def percent(self, value: float | None, digits: int = 0) -> str:
        return fmt_percent(value, self.lang, digits)

    def date(self, value: date | None) -> str:
        return fmt_date(value, self.lang)

    def note(self, note: Any) -> str:
        """A reader's note (notes.Note) in this language; any other text as it is."""
        if not isinstance(note, _notes.Note):
            return str(note)
        words = NOTE_WORDS[self.lang]
        fields = {k: words.get(f"{k}.{v}", v) for k, v in note.fields.items()}
        said = READ_NOTES[self.lang][note.code].format(**fields)
        return said if note.column is None else READ_NOTES[self.lang]["column"].format(column=note.column, text=said)


def segment_key(name: object) -> str | None:
    norm = re.sub(r"[\s_\-'’]+", "", str(name).strip().lower())
    return _SEGMENT_ALIASES.get(norm)


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def fmt_number(value: float | None, lang: str, digits: int = 0) -> str:
    """1234567.5 -> '1,234,568' (en), '1 234 568' (ru), '1,234,568' (zh)."""
    if _missing(value):
        return text(lang, "na")
    s = f"{value:,.{digits}f}"
    if lang == "ru":
        s = s.replace(",", _NBSP).replace(".", ",")
    return s


def fmt_percent(value: float | None, lang: str, digits: int = 0) -> str:
    """0.634 -> '63%' (en, zh), '63 %' (ru)."""
    if _missing(value):
        return text(lang, "na")
    s = f"{value * 100:.{digits}f}"
    if lang == "ru":
        return s.replace(".", ",") + _NBSP + "%"
    return s + "%"


def fmt_date(value: date | None, lang: str) -> str:
    if value is None:
        return text(lang, "na")
    return value.strftime("%d.%m.%Y") if lang == "ru" else value.isoformat()


# --- issue 10: money rows, reconciliation, the retention measurement, partial months ---------
# (one block per language; the status words say better/worse than the target, never above/below)
LABELS["en"].update({
    "status.below": "Worse than target",
    "status.above_target": "Worse than target",
    "status.above_industry": "Better than the industry average",
    "status.below_industry": "Worse than the industry average",
    "status.not_yearly": "Not judged: not a yearly figure",
    "status.thin_base": "Not judged: thin base",
    "ret.measurement": "{days}-day retention: of the customers who ordered in the {days} days before {start}, "
                       "the share who ordered again in the {days} days after",
    "ret.measurement_period": "Retention over the report period with a {days}-day activity window",
    "ret.not_yearly": "Targets and benchmarks are yearly figures; this {days}-day measurement is not coloured "
                      "against them.",
    "ret.thin_base": "Warning: the customers at the start ({start}) rest on {history} days of history, fewer "
                     "than the {days}-day window: some of them count as new for lack of history.",
    "ret.short_history": "not enough history to measure retention (fewer than 30 days before a 30-day window)",
    "note.short_history": "not enough history to measure retention",
    "note.thin_base": "the retention base rests on little history",
    "dash.after_last_order": "The period ends {days} days after the last order in the file ({last}).",
    "dash.reconciliation": "Revenue reconciliation (period)",
    "rec.gross": "Gross sales",
    "rec.refunds": "Refunds (subtracted)",
    "rec.net": "Net revenue",
    "rec.not_a_sale": "Not a sale (returned, cancelled or never paid): {rows} rows",
    "rec.no_customer": "Skipped, no customer id: {rows} rows",
    "month.partial_to": "{month} · to {day}",
    "month.partial_from": "{month} · from {day}",
    "dash.partial_months": "Months marked “to …” or “from …” are only partly covered by the data; compare them "
                           "with care.",
    "cohorts.partial": "Grey cells in italics fall in a month the data covers only in part (“{months}”): a low "
                       "value there is a short month, not a drop in retention.",
    "segments.totals": "Totals cover every customer with an order up to {end} (all history, not only the "
                       "period), net of refunds.",
    "customers.scope": "Customers with an order up to {end} (all history), values net of refunds; customers "
                       "whose net is zero or less are never listed as most valuable.",
    "active.note": "“Active at period end”: an order in the last {days} days; the segment looks at recency "
                   "relative to the other customers, so a Lost customer can still be active.",
    "meth.window_adaptive": "{days} days, chosen from what the data can support (365, 180, 90 or 30 days); "
                            "measured from {start}",
    "meth.statuses": "Statuses read",
    "meth.money_rows": "Money rows",
    "meth.money_rows_value": "A negative amount is a refund and always subtracts; a positive row flagged "
                             "returned/refunded/cancelled, or whose status says the money never came (failed, "
                             "declined, awaiting payment, unpaid, voided, draft), is not a sale: it is left out "
                             "of revenue and orders and counted in the reconciliation.",
})
LABELS["ru"].update({
    "status.below": "Хуже цели",
    "status.above_target": "Хуже цели",
    "status.above_industry": "Лучше среднего по отрасли",
    "status.below_industry": "Хуже среднего по отрасли",
    "status.not_yearly": "Без оценки: не годовой показатель",
    "status.thin_base": "Без оценки: мала база",
    "ret.measurement": "Удержание за {days} дн.: из клиентов, заказывавших за {days} дн. до {start}, доля тех, "
                       "кто заказал снова за {days} дн. после",
    "ret.measurement_period": "Удержание за отчётный период с окном активности {days} дн.",
    "ret.not_yearly": "Цели и отраслевые ориентиры — годовые; это измерение за {days} дн. с ними не сравнивается.",
    "ret.thin_base": "Внимание: клиенты на начало ({start}) определены по {history} дн. истории — меньше окна "
                     "в {days} дн.: часть из них считается новыми из-за нехватки истории.",
    "ret.short_history": "истории недостаточно для измерения удержания (меньше 30 дн. до 30-дневного окна)",
    "note.short_history": "истории недостаточно для измерения удержания",
    "note.thin_base": "база удержания опирается на короткую историю",
    "dash.after_last_order": "Период заканчивается через {days} дн. после последнего заказа в файле ({last}).",
    "dash.reconciliation": "Сверка выручки (за период)",
    "rec.gross": "Валовые продажи",
    "rec.refunds": "Возвраты (вычитаются)",
    "rec.net": "Чистая выручка",
    "rec.not_a_sale": "Не продажи (возвраты, отмены, неоплаченные): строк {rows}",
    "rec.no_customer": "Пропущено без ID клиента: строк {rows}",
    "month.partial_to": "{month} · по {day}",
    "month.partial_from": "{month} · с {day}",
    "dash.partial_months": "Месяцы с пометкой «по …» или «с …» покрыты данными лишь частично; сравнивайте их "
                           "осторожно.",
    "cohorts.partial": "Серые ячейки курсивом приходятся на месяц, покрытый данными частично («{months}»): "
                       "низкое значение там — короткий месяц, а не падение удержания.",
    "segments.totals": "Итоги охватывают всех клиентов с заказом по {end} (вся история, не только период), "
                       "за вычетом возвратов.",
    "customers.scope": "Клиенты с заказом по {end} (вся история), суммы за вычетом возвратов; клиенты с чистой "
                       "суммой ноль или меньше не попадают в самые ценные.",
    "active.note": "«Активен на конец периода»: заказ за последние {days} дн.; сегмент сравнивает давность с "
                   "другими клиентами, поэтому «потерянный» клиент может быть ещё активен.",
    "meth.window_adaptive": "{days} дн., выбрано по тому, что позволяют данные (365, 180, 90 или 30 дн.); "
                            "измерение с {start}",
    "meth.statuses": "Прочитанные статусы",
    "meth.money_rows": "Денежные строки",
    "meth.money_rows_value": "Отрицательная сумма — возврат, она всегда вычитается; положительная строка с "
                             "отметкой возврата/отмены или со статусом «деньги не поступили» (ошибка оплаты, "
                             "отклонён, ожидает оплаты, не оплачен, аннулирован, черновик) — не продажа: она не "
                             "входит в выручку и заказы и показана в сверке.",
})
LABELS["zh"].update({
    "status.below": "差于目标",
    "status.above_target": "差于目标",
    "status.above_industry": "优于行业平均",
    "status.below_industry": "差于行业平均",
    "status.not_yearly": "不评价：非年度指标",
    "status.thin_base": "不评价：基数过少",
    "ret.measurement": "{days} 天留存：在 {start} 之前 {days} 天内下过单的客户中，之后 {days} 天内再次下单的比例",
    "ret.measurement_period": "报告期间内的留存，活跃窗口 {days} 天",
    "ret.not_yearly": "目标和行业基准均为年度数据；此 {days} 天的测量不与其比较着色。",
    "ret.thin_base": "注意：期初客户（{start}）仅基于 {history} 天的历史，少于 {days} 天的窗口：部分客户因历史不足被算作新客户。",
    "ret.short_history": "历史数据不足以测量留存（30 天窗口之前不足 30 天）",
    "note.short_history": "历史数据不足以测量留存",
    "note.thin_base": "留存基数所依据的历史过短",
    "dash.after_last_order": "报告期间在文件中最后一笔订单（{last}）之后 {days} 天结束。",
    "dash.reconciliation": "收入核对（本期）",
    "rec.gross": "销售总额",
    "rec.refunds": "退款（已扣除）",
    "rec.net": "净收入",
    "rec.not_a_sale": "非销售（退货、取消或未付款）：{rows} 行",
    "rec.no_customer": "因缺少客户 ID 跳过：{rows} 行",
    "month.partial_to": "{month} · 至{day}",
    "month.partial_from": "{month} · 自{day}",
    "dash.partial_months": "标有“至…”或“自…”的月份数据不完整，比较时请注意。",
    "cohorts.partial": "灰色斜体单元格所在月份的数据不完整（“{months}”）：此处数值偏低是因为月份不完整，而非留存下降。",
    "segments.totals": "合计涵盖截至 {end} 有订单的所有客户（全部历史，不仅是本期），已扣除退款。",
    "customers.scope": "截至 {end} 有订单的客户（全部历史），金额已扣除退款；净额为零或负数的客户不会列为价值最高。",
    "active.note": "“期末是否活跃”：最近 {days} 天内有订单；分群比较的是与其他客户相比的最近购买时间，因此“已流失客户”也可能仍然活跃。",
    "meth.window_adaptive": "{days} 天，根据数据可支持的长度选择（365、180、90 或 30 天）；自 {start} 起测量",
    "meth.statuses": "读取的状态",
    "meth.money_rows": "金额行",
    "meth.money_rows_value": "负金额为退款，始终扣除；标记为退货/退款/取消、或状态表明未收到款项（支付失败、被拒、等待付款、未付款、已作废、草稿）的正金额行不算销售：不计入收入和订单，并在收入核对中列出。",
    "issues.truncated": "此处仅列出 {total} 个跳过行中的前 {shown} 行。全部跳过行保存在本报告旁边的文件“{csv}”中。",
})
SEGMENTS["zh"]["cant_lose"] = ("重要挽留客户", SEGMENTS["zh"]["cant_lose"][1])
LABELS["zh"]["def.clv_atrisk"] = LABELS["zh"]["def.clv_atrisk"].replace("不能失去的客户", "重要挽留客户")
for _lang, _notes_l in (
    ("ru", {
        "flags_unpaid": "строки с отметкой {values} не оплачены (не продажи, показаны в сверке)",
        "flags_sale": "строки с отметкой {values} — продажи",
        "refund_documents": "строки, где «{header}» говорит о возврате, — возвраты (сумма вычитается): {n}",
        "refunded_amounts": "«{header}»: возвращённые части оплаченных строк учтены как возвраты: {n}",
        "nul_bytes": "удалены NUL-байты (первый — в строке {line}): {n}",
        "multi_row_header": "заголовок из {n} строк (строки {first}–{last}): названия групп соединены с названиями под ними",
        "c_cancellations": "строки, где «{header}» начинается с «C», — отмены (отрицательные суммы — возвраты): {n}",
    }),
    ("zh", {
        "flags_unpaid": "标记为 {values} 的行未付款（不算销售，列入收入核对）",
        "flags_sale": "标记为 {values} 的行为销售",
        "refund_documents": "“{header}”表明退货的行为退款（金额扣除）：{n}",
        "refunded_amounts": "“{header}”：已付款行中的退款部分计为退款：{n}",
        "nul_bytes": "已删除 NUL 字节（第一个在第 {line} 行）：{n}",
        "multi_row_header": "表头共 {n} 行（第 {first}–{last} 行）：分组标题与其下方的列名合并",
        "c_cancellations": "“{header}”以“C”开头的行为取消（负金额为退款）：{n}",
    }),
):
    READ_NOTES[_lang].update(_notes_l)
NOTE_WORDS["ru"].update({"role.doc_type": "тип документа или операции", "role.refunded_amount": "сумма возврата"})
NOTE_WORDS["zh"].update({"role.doc_type": "单据或交易类型", "role.refunded_amount": "退款金额"})
LABELS["en"].update({"reason.future_date": _notes.SKIP_REASONS["future_date"],
                     "role.doc_type": "Document / operation type", "role.refunded_amount": "Refunded amount"})
LABELS["ru"].update({"reason.future_date": "дата в будущем",
                     "role.doc_type": "Тип документа / операции", "role.refunded_amount": "Сумма возврата"})
LABELS["zh"].update({"reason.future_date": "日期在未来",
                     "role.doc_type": "单据/交易类型", "role.refunded_amount": "退款金额"})
_MONTH_FORMATS = {"en": ("%b %Y", "%-d %b"), "ru": ("%m.%Y", "%-d.%m"), "zh": ("%Y年%-m月", "%-m月%-d日")}


def month_label(lang: str, month: Any, covered_from: Any = None, covered_to: Any = None) -> str:
    """A month as the monthly table and charts name it; a partial month says which days it covers.

    ("Dec 2011 · to 9 Dec", "12.2011 · по 9.12", "2011年12月 · 至12月9日").
    """
    import pandas as _pd
    m = _pd.Timestamp(month)
    mf, df = _MONTH_FORMATS.get(lang, _MONTH_FORMATS["en"])
    name = m.strftime(mf)
    end = (m + _pd.offsets.MonthEnd(0)).normalize()
    cut_from = covered_from is not None and not _pd.isna(covered_from) and _pd.Timestamp(covered_from).normalize() > m
    cut_to = covered_to is not None and not _pd.isna(covered_to) and _pd.Timestamp(covered_to).normalize() < end
    if cut_from and cut_to:
        return text(lang, "month.partial_span", month=name, start=_pd.Timestamp(covered_from).strftime(df),
                    day=_pd.Timestamp(covered_to).strftime(df))
    if covered_to is not None and not _pd.isna(covered_to) and _pd.Timestamp(covered_to).normalize() < end:
        return text(lang, "month.partial_to", month=name, day=_pd.Timestamp(covered_to).strftime(df))
    if covered_from is not None and not _pd.isna(covered_from) and _pd.Timestamp(covered_from).normalize() > m:
        return text(lang, "month.partial_from", month=name, day=_pd.Timestamp(covered_from).strftime(df))
    return name
LABELS["en"]["month.partial_span"] = "{month} · {start} to {day}"
LABELS["ru"]["month.partial_span"] = "{month} · {start}–{day}"
LABELS["zh"]["month.partial_span"] = "{month} · {start}至{day}"
LABELS["en"]["detail.crr_window"] = "{days}-day window from {start}: not judged against yearly targets"
LABELS["ru"]["detail.crr_window"] = "окно {days} дн. с {start}: с годовыми целями не сравнивается"
LABELS["zh"]["detail.crr_window"] = "自 {start} 起的 {days} 天窗口：不与年度目标比较"
# issue 10: historical CLV uses the churn of the retention measurement over its W days
LABELS["en"]["def.clv"] = (
    "Average monthly net revenue per customer × expected lifetime in months. Monthly net revenue per customer = "
    "net revenue ÷ customers with an order in the period (the Customers figure) ÷ months ({days} days ÷ 30.44). "
    "Lifetime = 1 ÷ monthly churn, with monthly churn = 1 − CRR^(30.44 ÷ {window}): the churn of the "
    "{window}-day retention measurement as a monthly rate.")
LABELS["ru"]["def.clv"] = (
    "Средняя месячная чистая выручка на клиента × ожидаемый срок жизни клиента в месяцах. Месячная чистая "
    "выручка на клиента = чистая выручка ÷ клиенты с заказом в периоде (показатель «Клиенты») ÷ месяцы "
    "({days} дн. ÷ 30,44). Срок жизни = 1 ÷ месячный отток, где месячный отток = 1 − CRR^(30,44 ÷ {window}): "
    "отток измерения удержания за {window} дн. в пересчёте на месяц.")
LABELS["zh"]["def.clv"] = (
    "每位客户的月均净收入 × 预期生命周期月数。每位客户的月均净收入 = 净收入 ÷ 期间内有订单的客户数（即“客户数”指标）÷ "
    "月数（{days} 天 ÷ 30.44）。生命周期 = 1 ÷ 月流失率，月流失率 = 1 − CRR^(30.44 ÷ {window})，即把 {window} 天留存测量的流失率换算为月度比率。")
LABELS["en"]["def.crr"] = LABELS["en"]["def.crr"].replace("start of the period ({start})", "start of the measurement ({start})")
LABELS["ru"]["def.crr"] = LABELS["ru"]["def.crr"].replace("на начало периода ({start})", "на начало измерения ({start})")
LABELS["zh"]["def.crr"] = LABELS["zh"]["def.crr"].replace("期初（{start}）", "测量起点（{start}）")
LABELS["en"]["why.net_nonpositive"] = "Net ≤ 0 after refunds"
LABELS["ru"]["why.net_nonpositive"] = "Чистая сумма ≤ 0 после возвратов"
LABELS["zh"]["why.net_nonpositive"] = "退款后净额 ≤ 0"
LABELS["en"]["dash.retention_window"] = "Customer retention over {days} days (from {start})"
LABELS["ru"]["dash.retention_window"] = "Удержание клиентов за {days} дн. (с {start})"
LABELS["zh"]["dash.retention_window"] = "{days} 天客户留存（自 {start}）"
LABELS["en"]["dash.total_differs"] = ("The “All months” row adds up every month shown, days before the period start "
                                      "({start}) included, so it can be larger than the headline figures of the period.")
LABELS["ru"]["dash.total_differs"] = ("Строка «Все месяцы» складывает все показанные месяцы, включая дни до начала "
                                      "периода ({start}), поэтому может быть больше ключевых показателей периода.")
LABELS["zh"]["dash.total_differs"] = "“全部月份合计”行汇总表中所有月份，包括报告期间开始（{start}）之前的天数，因此可能大于本期核心指标。"
LABELS["en"]["status.high"] = "Much worse than target"
LABELS["ru"]["status.high"] = "Намного хуже цели"
LABELS["zh"]["status.high"] = "远差于目标"
