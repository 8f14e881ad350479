INSERT INTO conveyor WITH (QUERY_ID='INSERTQUERY_7') SELECT * FROM conveyor_backfill EMIT CHANGES;
INSERT INTO machines (id, line, site) VALUES ('conveyor', 'L1', 'Plant 1');
INSERT INTO conveyor_raw VALUES ('C1', STRUCT(beltSpeed := 1.2, motorCurrent := 3.4E0, vibration := 0.5, sequence := 9000000000),
  MAP('vibration' := 'GOOD', 'speed' := 'BAD'), 1764000000000);
INSERT INTO arrays (k, xs) VALUES (-1, ARRAY[1, 2, -3]);
