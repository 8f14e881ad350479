CREATE STREAM conveyor AS
  SELECT machine, vibration
  FROM conveyor_raw WHERE (vibration > 7.1 FROM x;
