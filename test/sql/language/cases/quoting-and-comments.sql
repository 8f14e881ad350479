-- comments, quoting, case folding, and a final statement without a semicolon
select `Belt Speed`, `odd``name`, lower_case, /* inline */ MixedCase as `Alias` -- trailing
from `My Stream` -- a comment before the clause
where `select` = 'O''Brien' /* multi
line */ emit changes;
;;
SHOW STREAMS
