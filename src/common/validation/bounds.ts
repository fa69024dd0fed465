// Upper bounds for numbers users send, so nothing out of a column's range (or past what a
// double holds exactly) reaches the database.

// 9999-12-31T23:59:59Z: far enough for any date, small enough for every BIGINT column and Date.
export const MAX_UNIX_SECONDS = 253_402_300_799;
// Row ids are BIGINT; JavaScript numbers are exact up to here.
export const MAX_ID = Number.MAX_SAFE_INTEGER;
