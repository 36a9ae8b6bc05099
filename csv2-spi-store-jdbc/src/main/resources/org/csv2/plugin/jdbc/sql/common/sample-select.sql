-- Points of one metric in [from, to), oldest first. Parameters: metric, from, to.
SELECT sampled_at, metric, labels, val
  FROM csv2_sample
 WHERE metric = ? AND sampled_at >= ? AND sampled_at < ?
 ORDER BY sampled_at, seq
