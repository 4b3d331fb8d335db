-- Events carry their actors' canonical ids, so one person's or body's events can be listed
-- ("all events involving Dmitry Peskov") across articles.
ALTER TABLE events ADD COLUMN source_actor_id TEXT;
ALTER TABLE events ADD COLUMN target_actor_id TEXT;
UPDATE events SET source_actor_id = json_extract(json, '$.source.actor_id'),
                  target_actor_id = json_extract(json, '$.target.actor_id');
CREATE INDEX events_source_actor ON events (source_actor_id);
CREATE INDEX events_target_actor ON events (target_actor_id);
