"""English dates written so that no reader takes one day for another: Django's short
forms are American ("12/07/2026 4:02 a.m." is 7 December, which a European reader took
for 12 July: a new user's walk). The long forms ("Dec. 7, 2026") stay Django's. Input
formats stay Django's too (forms take days as YYYY-MM-DD, from a date field)."""

SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
