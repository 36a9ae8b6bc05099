-- Audit entries at or after a time, oldest first. Parameters: since, the most to return.
SELECT seq, occurred_at, actor_name, actor_role, action, target, before_text, after_text
  FROM csv2_audit
 WHERE occurred_at >= ?
 ORDER BY seq
 LIMIT ?
