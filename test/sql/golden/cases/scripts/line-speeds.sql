-- Run by statements.yaml through RUN SCRIPT: a source and a query over it, as a deployment script would hold them.
CREATE STREAM st_belts (belt STRING KEY, speed DOUBLE)
  WITH (KAFKA_TOPIC='st_belts', VALUE_FORMAT='JSON', PARTITIONS=1);

CREATE STREAM st_fast_belts AS
  SELECT belt, speed FROM st_belts WHERE speed > 1.5
  EMIT CHANGES;
