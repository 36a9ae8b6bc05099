-- Every lease, expired or not.
SELECT group_name, owner, expires FROM csv2_lease ORDER BY group_name
