"""Vietnamese dates as 07/04/2027 (day first), as ``core.formatting.format_date`` writes them."""

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = "m/Y"
