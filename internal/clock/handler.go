package clock

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// State is what GET and POST /_dev/clock answer.
type State struct {
	Now    time.Time `json:"now"`
	Offset string    `json:"offset"`
}

// request is POST /_dev/clock's body: exactly one of its members.
type request struct {
	Advance *string `json:"advance"`
	Reset   *bool   `json:"reset"`
}

// Handler serves the development clock: GET reads it, POST with
// {"advance": "720h"} (Go durations, or days such as "30d") moves it
// forward, POST with {"reset": true} brings it back to the wall clock.
// Errors answer 400 with {"message": "..."}. Only `serve --dev` routes it.
func Handler(c *Clock) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			if err := c.apply(r); err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
				return
			}
		}
		writeJSON(w, http.StatusOK, State{Now: c.Now().UTC(), Offset: c.Offset().String()})
	})
}

// apply performs one POST.
func (c *Clock) apply(r *http.Request) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 4096))
	dec.DisallowUnknownFields()
	var req request
	if err := dec.Decode(&req); err != nil {
		return fmt.Errorf(`the body must be {"advance": "<duration>"} or {"reset": true}: %v`, err)
	}
	switch {
	case req.Advance != nil && req.Reset != nil:
		return errors.New(`give either "advance" or "reset", not both`)
	case req.Advance != nil:
		d, err := ParseDuration(strings.TrimSpace(*req.Advance))
		if err != nil {
			return err
		}
		return c.Advance(d)
	case req.Reset != nil && *req.Reset:
		c.Reset()
		return nil
	}
	return errors.New(`the body must be {"advance": "<duration>"} or {"reset": true}`)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
