-- 0006: indexes for newest-first listings of happenings and events.

CREATE INDEX happenings_date ON happenings (date, id);
CREATE INDEX events_date_id ON events (date, id);
