-- A new intent; the database gives its id.
-- Parameters: kind, group_name, cloud, vm, parameters, actor_name, actor_role, created_at, status, message, completed_at, version.
INSERT INTO csv2_intent (kind, group_name, cloud, vm, parameters, actor_name, actor_role, created_at, status, message, completed_at, version)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
