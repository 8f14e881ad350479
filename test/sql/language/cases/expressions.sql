SELECT
  CASE state WHEN 'RUNNING' THEN 1 WHEN 'IDLE' THEN 0 ELSE -1 END AS running,
  CAST(tags->sequence AS STRING) || '/' || CAST(seq AS DECIMAL(20, 0)) AS label,
  readings[1]->value AS first_value, quality['motorCurrent'] AS current_quality,
  a IS NULL, b IS NOT NULL, a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b,
  NOT a = b OR c <> d AND e != f, x BETWEEN 1 AND 10,
  -x * (y + z) % 3 - 2 / -w, 'it''s' AS quote, TRUE, FALSE, NULL,
  2147483647 AS max_int, 2147483648 AS min_bigint, 1.50 AS dec, .5 AS half, 1e3 AS thousand, 2.5E-3 AS small,
  ARRAY[], MAP(), STRUCT(), ARRAY[STRUCT(a := 1), STRUCT(a := 2)],
  TRANSFORM(m, (k, v) => UCASE(k), (k, v) => v + 5) AS transformed,
  ROWTIME, ROWPARTITION, ROWOFFSET
FROM s EMIT CHANGES;
