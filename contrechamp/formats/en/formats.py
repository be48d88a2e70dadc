"""English dates written so that no reader takes one day for another: Django's short
forms are American ("12/07/2026 4:02 a.m." is 7 December, which a European reader took
for 12 July: a new user's walk). The long forms are day, month, year too ("7 December
2026"), as the registry's dates known to the day are written ("14 March 2024"): Django's
"Dec. 7, 2026" / "March 14, 2024" on the same pages read as three formats (a new user's
walk). Input formats stay Django's (forms take days as YYYY-MM-DD, from a date field)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"

SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
