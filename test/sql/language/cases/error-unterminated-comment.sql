SHOW STREAMS; /* never closed
SHOW TABLES;
