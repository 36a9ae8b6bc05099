-- Intents of one group, newest first. Parameters: group_name, the most to return.
SELECT id, kind, group_name, cloud, vm, parameters, actor_name, actor_role, created_at, status, message, completed_at, version
  FROM csv2_intent
 WHERE group_name = ?
 ORDER BY id DESC
 LIMIT ?
