SELECT * FROM s WHERE name = 'unterminated;
