"""English dates as "07 Apr 2027": the US default (04/07/2027) reads as 4 July elsewhere.

Django reads this module before its own (``FORMAT_MODULE_PATH``), so ``|date:"SHORT_DATE_FORMAT"``
in templates and the admin's date columns agree with ``core.formatting.format_date``.
"""

DATE_FORMAT = "d M Y"
SHORT_DATE_FORMAT = "d M Y"
DATETIME_FORMAT = "d M Y, H:i"
SHORT_DATETIME_FORMAT = "d M Y, H:i"
MONTH_DAY_FORMAT = "d M"
YEAR_MONTH_FORMAT = "M Y"
TIME_FORMAT = "H:i"
