-- A group's first status snapshot. Parameters: group_name, observed_at, engine, document.
INSERT INTO csv2_status (group_name, observed_at, engine, document) VALUES (?, ?, ?, ?)
