package userpool

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// importBatch is how many rows go into the store in one transaction, and
// so how often a running job records its progress and looks for a Stop:
// large enough that a transaction's cost is spread thin, small enough that
// a Stop is honoured, and progress shown, within a fraction of a second.
const importBatch = 1000

// runImportJob runs a Pending job in the background, under the service's
// job context: Close cancels it and waits.
func (s *Service) runImportJob(j store.ImportJob) {
	s.jobs.wg.Add(1)
	go func() {
		defer s.jobs.wg.Done()
		s.runImport(s.jobs.ctx, j)
	}()
}

// Close stops the running import jobs and waits for them: each ends
// Failed, as one whose node died would once it is seen to stand still,
// with the users imported so far kept. Call it before closing the store.
func (s *Service) Close() {
	s.jobs.cancel()
	s.jobs.wg.Wait()
}

// importEnd is how a run ended: the job's final status and message.
type importEnd struct {
	status, message string
}

func (s *Service) runImport(ctx context.Context, j store.ImportJob) {
	log := s.cfg.Logger.With("pool", j.PoolID, "job", j.ID)
	end, err := s.importRows(ctx, log, j)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("user import failed", "err", err)
		}
		end = importEnd{cognito.UserImportJobStatusFailed, msgImportInterrupted}
	}
	if end.status == "" {
		return // no longer this runner's job (settled as dead meanwhile)
	}
	// The job's end is written even when ctx (the server) is ending.
	wctx := context.WithoutCancel(ctx)
	now := s.now()
	_, err = s.cfg.Store.UpdateImportJob(wctx, j.PoolID, j.ID, func(w *store.ImportJob) error {
		w.Status, w.Message, w.CompletedAt, w.UpdatedAt = end.status, end.message, now, now
		return nil
	})
	if err == nil {
		err = s.cfg.Store.DropImportCSV(wctx, j.PoolID, j.ID)
	}
	if err != nil {
		log.Error("user import: recording the job's end", "err", err)
	}
	log.Info("user import ended", "status", end.status)
}

// importRows imports the job's file. Rows that cannot become users are
// counted as failed and logged by line with the reason (never the
// values); the rest go to the store a batch at a time.
func (s *Service) importRows(ctx context.Context, log *slog.Logger, j store.ImportJob) (importEnd, error) {
	pool, err := s.Pool(ctx, j.PoolID)
	if err != nil {
		return importEnd{}, err
	}
	data, err := s.cfg.Store.ImportCSV(ctx, j.PoolID, j.ID)
	if err != nil {
		return importEnd{}, err
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return importEnd{cognito.UserImportJobStatusFailed, "The CSV file has no header row."}, nil
	}
	cols, msg := importColumns(pool, header)
	if msg != "" {
		return importEnd{cognito.UserImportJobStatusFailed, msg}, nil
	}
	rows := newRowReader(pool, cols)

	var imported, failed, skipped int64
	batch := make([]store.User, 0, importBatch)
	lines := make([]int, 0, importBatch)
	for done := false; !done; {
		// Before each batch: is the job still ours, and still wanted?
		cur, err := s.cfg.Store.GetImportJob(ctx, j.PoolID, j.ID)
		if err != nil {
			return importEnd{}, err
		}
		switch cur.Status {
		case cognito.UserImportJobStatusPending, cognito.UserImportJobStatusInprogress:
		case cognito.UserImportJobStatusStopping:
			skipped += countRemaining(r)
			if err := s.recordImportProgress(ctx, j, imported, skipped, failed); err != nil {
				return importEnd{}, err
			}
			return importEnd{cognito.UserImportJobStatusStopped, msgImportStopped}, nil
		default:
			return importEnd{}, nil
		}
		if err := ctx.Err(); err != nil {
			return importEnd{}, err
		}
		batch, lines = batch[:0], lines[:0]
		for len(batch) < importBatch {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				done = true
				break
			}
			if err != nil {
				// The reader has passed the bad row and goes on with the
				// next; its position is only in the error.
				var pe *csv.ParseError
				line := 0
				if errors.As(err, &pe) {
					line = pe.StartLine
				}
				failed++
				log.Info("user import: row failed", "line", line, "reason", "the row is not valid CSV")
				continue
			}
			line, _ := r.FieldPos(0)
			u, reason := rows.user(rec, s.now())
			if reason != "" {
				failed++
				log.Info("user import: row failed", "line", line, "reason", reason)
				continue
			}
			batch, lines = append(batch, u), append(lines, line)
		}
		if len(batch) > 0 {
			conflicts, err := s.cfg.Store.ImportUsers(ctx, batch)
			if err != nil {
				return importEnd{}, err
			}
			for i, field := range conflicts {
				if field == "" {
					imported++
					continue
				}
				failed++
				log.Info("user import: row failed", "line", lines[i], "reason", importConflict(rows.id, field))
			}
		}
		if err := s.recordImportProgress(ctx, j, imported, skipped, failed); err != nil {
			return importEnd{}, err
		}
	}
	msg = msgImportSucceeded
	if failed > 0 {
		msg = fmt.Sprintf("Import Job Completed. %d of %d users failed to import; the server's log gives their lines and reasons.", failed, failed+imported)
	}
	return importEnd{cognito.UserImportJobStatusSucceeded, msg}, nil
}

// recordImportProgress writes the counts, moving the job to InProgress
// and its UpdatedAt on, which says the runner is alive.
func (s *Service) recordImportProgress(ctx context.Context, j store.ImportJob, imported, skipped, failed int64) error {
	now := s.now()
	_, err := s.cfg.Store.UpdateImportJob(ctx, j.PoolID, j.ID, func(w *store.ImportJob) error {
		if w.Status == cognito.UserImportJobStatusPending {
			w.Status = cognito.UserImportJobStatusInprogress
		}
		w.Imported, w.Skipped, w.Failed, w.UpdatedAt = imported, skipped, failed, now
		return nil
	})
	return err
}

// countRemaining counts the rows a stopped job leaves unread: they are
// SkippedUsers.
func countRemaining(r *csv.Reader) int64 {
	var n int64
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			return n
		}
		n++
	}
}

func importConflict(id identity, field string) string {
	switch field {
	case "username":
		return "a user with this cognito:username already exists"
	case "sub":
		return "the generated sub collided; import the row again"
	}
	return "another user already has this " + field + fmt.Sprintf(" (%s)", aliasTakenType(id))
}

func aliasTakenType(id identity) string {
	if len(id.usernameAttrs) > 0 {
		return cognito.TypeUsernameExists
	}
	return cognito.TypeAliasExists
}

// importColumns checks the header against GetCSVHeader's: the same
// columns, in any order, each once. It returns each column's name by
// position, or why the file cannot be imported.
func importColumns(pool *cognito.UserPoolType, header []string) ([]string, string) {
	want := csvHeader(pool)
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !slices.Contains(want, h) {
			return nil, fmt.Sprintf("The CSV header has the column %q, which is not one of the user pool's (GetCSVHeader).", h)
		}
		if seen[h] {
			return nil, fmt.Sprintf("The CSV header has the column %q twice.", h)
		}
		seen[h] = true
		cols[i] = h
	}
	for _, w := range want {
		if !seen[w] {
			return nil, fmt.Sprintf("The CSV header lacks the column %q: every column of GetCSVHeader must be present.", w)
		}
	}
	return cols, ""
}

// rowReader turns rows into users under the pool's rules, which it reads
// once.
type rowReader struct {
	pool         *cognito.UserPoolType
	id           identity
	cols         []string
	autoVerified []string
	attrs        []cognito.AttributeType
}

func newRowReader(pool *cognito.UserPoolType, cols []string) *rowReader {
	rr := &rowReader{pool: pool, id: poolIdentity(pool), cols: cols}
	for _, a := range []string{attrEmail, attrPhone} {
		if slices.Contains(pool.AutoVerifiedAttributes, a) {
			rr.autoVerified = append(rr.autoVerified, a)
		}
	}
	return rr
}

// user makes the user of one row, RESET_REQUIRED and without a password,
// or says why the row cannot be imported. The rules are Cognito's for the
// file: cognito:username and cognito:mfa_enabled are required; the values
// must fit the schema as they would in AdminCreateUser, required
// attributes included; email_verified or phone_number_verified must be
// true for one of the pool's auto-verified attributes, which must then
// have a value (it is where the password reset code goes); and MFA
// (SMS) needs a phone number.
func (rr *rowReader) user(rec []string, now time.Time) (store.User, string) {
	if len(rec) != len(rr.cols) {
		return store.User{}, fmt.Sprintf("the row has %d fields, the header %d", len(rec), len(rr.cols))
	}
	var username, mfa string
	rr.attrs = rr.attrs[:0]
	for i, v := range rec {
		switch name := rr.cols[i]; name {
		case csvUsername:
			username = v
		case csvMFAEnabled:
			mfa = strings.ToLower(strings.TrimSpace(v))
		default:
			if v != "" {
				rr.attrs = append(rr.attrs, cognito.AttributeType{Name: name, Value: v})
			}
		}
	}
	if username == "" {
		return store.User{}, "cognito:username is required"
	}
	if err := (&cognito.AdminCreateUserInput{UserPoolID: rr.pool.ID, Username: username}).Validate(); err != nil {
		return store.User{}, "cognito:username is not a valid username"
	}
	if mfa != attrValueTrue && mfa != attrValueFalse {
		return store.User{}, "cognito:mfa_enabled must be true or false"
	}
	sub, internal, attrs, err := newUser(rr.pool, rr.id, username, rr.attrs)
	if err == nil {
		err = checkVerifiedNeedsValue(attrs)
	}
	if err != nil {
		var ce *cognito.Error
		if errors.As(err, &ce) {
			return store.User{}, ce.Message
		}
		return store.User{}, err.Error()
	}
	verified := false
	for _, a := range rr.autoVerified {
		flag := attrEmailVerified
		if a == attrPhone {
			flag = attrPhoneVerified
		}
		if v, _ := attrValue(attrs, flag); v == attrValueTrue {
			verified = true
		}
	}
	if !verified {
		return store.User{}, "one of the pool's auto-verified attributes (" + strings.Join(rr.autoVerified, ", ") +
			") must be verified: set email_verified or phone_number_verified to true"
	}
	u := store.User{
		PoolID:      rr.pool.ID,
		Sub:         sub,
		Username:    internal,
		UsernameKey: rr.id.usernameKey(internal),
		Status:      cognito.UserStatusResetRequired,
		Enabled:     true,
		Attributes:  attrs,
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	if mfa == attrValueTrue {
		if v, _ := attrValue(attrs, attrPhone); v == "" {
			return store.User{}, "cognito:mfa_enabled is true but the user has no phone_number for SMS MFA"
		}
		u.MFA.SMSEnabled = true
	}
	rr.id.aliasKeys(&u)
	return u, ""
}
