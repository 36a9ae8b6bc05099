-- Pending intents of every group, oldest first; the store keeps those of the groups asked for.
SELECT id, kind, group_name, cloud, vm, parameters, actor_name, actor_role, created_at, status, message, completed_at, version
  FROM csv2_intent
 WHERE status = 'PENDING'
 ORDER BY id
