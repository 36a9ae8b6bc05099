-- One intent. Parameter: id.
SELECT id, kind, group_name, cloud, vm, parameters, actor_name, actor_role, created_at, status, message, completed_at, version
  FROM csv2_intent
 WHERE id = ?
