package srp

import (
	"errors"
	"time"
)

// timestampLayout is Java's "EEE MMM d HH:mm:ss z yyyy" in UTC: the day of
// the month has no leading zero ("2", not "02"), the hour is 24-hour.
const timestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

// ErrTimestamp means a TIMESTAMP is not in the form FormatTimestamp writes.
var ErrTimestamp = errors.New("srp: TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english")

// FormatTimestamp writes t as the clients write TIMESTAMP, for example
// "Tue Jan 2 03:04:05 UTC 2024".
func FormatTimestamp(t time.Time) string { return t.UTC().Format(timestampLayout) }

// ParseTimestamp reads a TIMESTAMP. Only the exact form FormatTimestamp writes
// is accepted: a zero-padded day or a weekday that does not match the date
// (both of which time.Parse would let through) is an error: pycognito strips
// the day's zero as "required by AWS Cognito", and since the signature covers
// the string as sent, another spelling of the same instant is not the same
// claim.
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(timestampLayout, s)
	if err != nil || FormatTimestamp(t) != s {
		return time.Time{}, ErrTimestamp
	}
	return t, nil
}
