SELECT a = b = c FROM s;
