-- One time-series point. Parameters: sampled_at, metric, labels (JSON object), val.
INSERT INTO csv2_sample (sampled_at, metric, labels, val) VALUES (?, ?, ?, ?)
