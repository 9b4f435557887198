// filled in by the iCalendar work
