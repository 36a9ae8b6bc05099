-- Every group's status snapshot.
SELECT group_name, observed_at, engine, document FROM csv2_status ORDER BY group_name
