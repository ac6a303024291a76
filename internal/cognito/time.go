package cognito

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"time"
)

// EpochTime is a timestamp on the wire of the JSON 1.1 protocol: seconds
// since the epoch as a JSON number with a fractional part
// (1.548097827125E9), which is what every AWS SDK expects for Cognito dates.
type EpochTime struct {
	time.Time
}

// Epoch wraps t (zero stays zero so omitzero drops it).
func Epoch(t time.Time) EpochTime { return EpochTime{t} }

// MarshalJSON writes the time as fractional epoch seconds, millisecond precision.
func (t EpochTime) MarshalJSON() ([]byte, error) {
	ms := t.UnixMilli()
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// UnmarshalJSON accepts a number of epoch seconds (clients never send
// dates to Cognito, but tests decode our responses).
func (t *EpochTime) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*t = EpochTime{}
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return fmt.Errorf("cognito: timestamp %s is not epoch seconds", b)
	}
	sec, frac := math.Modf(f)
	t.Time = time.Unix(int64(sec), int64(math.Round(frac*1000))*int64(time.Millisecond)).UTC()
	return nil
}
