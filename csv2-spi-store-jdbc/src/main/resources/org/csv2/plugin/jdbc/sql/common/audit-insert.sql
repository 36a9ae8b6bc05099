-- One audit entry; the database gives its sequence number.
-- Parameters: occurred_at, actor_name, actor_role, action, target, before_text, after_text.
INSERT INTO csv2_audit (occurred_at, actor_name, actor_role, action, target, before_text, after_text)
VALUES (?, ?, ?, ?, ?, ?, ?)
