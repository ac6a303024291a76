package userpool

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// User import jobs: CreateUserImportJob makes a job and a pre-signed URL
// on this server (Cognito's points at S3) that takes one PUT of the CSV
// file; StartUserImportJob imports it in the background (import_run.go).
const (
	// ImportJobExpiry is how long a job waits to be started before it
	// expires; Cognito's API reference says 24 to 48 hours, and we take
	// the lower bound. The upload URL is valid as long.
	ImportJobExpiry = 24 * time.Hour
	// MaxImportCSVBytes bounds an uploaded file: Cognito's limit is
	// 100 MB.
	MaxImportCSVBytes = 100 << 20
	// importJobIDLength is the length of the random part of a job id
	// ("import-" + 10 characters, as Cognito's look).
	importJobIDLength = 10
)

// Columns of the CSV file that are not attributes.
const (
	csvUsername   = "cognito:username"
	csvMFAEnabled = "cognito:mfa_enabled"
)

// Cognito's messages where we know them; where the reference is silent
// the wording is ours and says what a Cognito user would need to know.
const (
	msgImportSucceeded   = "Import Job Completed Successfully."
	msgImportExpired     = "The user import job has expired."
	msgImportStopped     = "The user import job was stopped."
	msgImportInterrupted = "The user import job was interrupted: the server stopped while it ran. Users imported before that remain."
	msgImportNoFile      = "The CSV file has not been uploaded to the job's pre-signed URL."
	msgImportNotCreated  = "The user import job can only be started in Created status; it is %s."
	msgImportNotRunning  = "The user import job can only be stopped while it is Pending or InProgress; it is %s."
	msgImportRoleARN     = "CloudWatchLogsRoleArn must be the ARN of an IAM role (arn:aws:iam::<account>:role/<name>)."
	msgImportNoAutoVerif = "The user pool has no auto-verified attributes (email or phone_number): imported users could not reset their passwords."
)

// roleARN is the shape of an IAM role's ARN, which the model's pattern
// for CloudWatchLogsRoleArn (any ARN) does not check: Cognito assumes the
// role to write the job's logs, so nothing else can serve.
var roleARN = regexp.MustCompile(`^arn:aws[\w-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$`)

func jobNotFound(id string) error {
	return cognito.ResourceNotFound(fmt.Sprintf("Import job %s does not exist.", id))
}

func importJobError(id string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return jobNotFound(id)
	}
	return err
}

// GetCSVHeader is the header of an import file for the pool: the pool's
// attributes in schema order (the standard ones as Cognito lists them, then
// custom:...; not sub, which the import makes, nor developer-only
// attributes, which only the admin API writes), then cognito:mfa_enabled
// and cognito:username, as Cognito's developer guide shows them.
func (s *Service) GetCSVHeader(ctx context.Context, poolID string) ([]string, error) {
	pool, err := s.Pool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	return csvHeader(pool), nil
}

func csvHeader(pool *cognito.UserPoolType) []string {
	var out []string
	for _, d := range poolSchema(pool).ordered() {
		if d.name == attrSub || !isImportable(d.name) {
			continue
		}
		out = append(out, d.name)
	}
	return append(out, csvMFAEnabled, csvUsername)
}

func isImportable(name string) bool { return !strings.HasPrefix(name, attrDevCustomPrefix) }

// CreateUserImportJob creates a job in Created status with its upload URL.
func (s *Service) CreateUserImportJob(ctx context.Context, in *cognito.CreateUserImportJobInput) (*cognito.UserImportJobType, error) {
	if !roleARN.MatchString(in.CloudWatchLogsRoleARn) {
		return nil, cognito.InvalidParameter(msgImportRoleARN)
	}
	now := s.now()
	j := store.ImportJob{
		PoolID:    in.UserPoolID,
		ID:        "import-" + randomString(importJobIDLength, alphanumeric),
		Name:      in.JobName,
		RoleARN:   in.CloudWatchLogsRoleARn,
		Status:    cognito.UserImportJobStatusCreated,
		CreatedAt: now,
		UpdatedAt: now,
		CSVSize:   -1,
	}
	if err := s.cfg.Store.CreateImportJob(ctx, j); err != nil {
		return nil, poolError(in.UserPoolID, err)
	}
	return s.importJobType(j), nil
}

const alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// DescribeUserImportJob returns a job.
func (s *Service) DescribeUserImportJob(ctx context.Context, poolID, jobID string) (*cognito.UserImportJobType, error) {
	j, err := s.importJob(ctx, poolID, jobID)
	if err != nil {
		return nil, err
	}
	return s.importJobType(j), nil
}

// importJob reads a job, settling first what time has decided: a job not
// started in time has expired, and a running job whose runner stopped
// moving (its node was restarted or killed) has failed.
func (s *Service) importJob(ctx context.Context, poolID, jobID string) (store.ImportJob, error) {
	if err := checkPoolExists(ctx, s.cfg.Store, poolID); err != nil {
		return store.ImportJob{}, err
	}
	j, err := s.cfg.Store.GetImportJob(ctx, poolID, jobID)
	if err != nil {
		return store.ImportJob{}, importJobError(jobID, err)
	}
	return s.settleImportJob(ctx, j)
}

// importStale is how long a running job may go without progress before it
// is taken for dead: a runner records progress after every batch, which
// takes well under a second, so only a runner that is gone stays still
// this long.
const importStale = 2 * time.Minute

// settleImportJob applies expiry and staleness to j, writing the result.
func (s *Service) settleImportJob(ctx context.Context, j store.ImportJob) (store.ImportJob, error) {
	now := s.now()
	if !importJobSettles(j, now) {
		return j, nil
	}
	j, err := s.cfg.Store.UpdateImportJob(ctx, j.PoolID, j.ID, func(w *store.ImportJob) error {
		if !importJobSettles(*w, now) {
			return nil
		}
		switch w.Status {
		case cognito.UserImportJobStatusCreated:
			w.Status, w.Message = cognito.UserImportJobStatusExpired, msgImportExpired
		case cognito.UserImportJobStatusStopping:
			w.Status, w.Message = cognito.UserImportJobStatusStopped, msgImportStopped
		default:
			w.Status, w.Message = cognito.UserImportJobStatusFailed, msgImportInterrupted
		}
		w.CompletedAt, w.UpdatedAt = now, now
		return nil
	})
	if err != nil {
		return store.ImportJob{}, importJobError(j.ID, err)
	}
	if j.Status == cognito.UserImportJobStatusExpired || j.Status == cognito.UserImportJobStatusFailed ||
		j.Status == cognito.UserImportJobStatusStopped {
		if err := s.cfg.Store.DropImportCSV(ctx, j.PoolID, j.ID); err != nil {
			return store.ImportJob{}, err
		}
	}
	return j, nil
}

func importJobSettles(j store.ImportJob, now time.Time) bool {
	switch j.Status {
	case cognito.UserImportJobStatusCreated:
		return !now.Before(j.CreatedAt.Add(ImportJobExpiry))
	case cognito.UserImportJobStatusPending, cognito.UserImportJobStatusInprogress, cognito.UserImportJobStatusStopping:
		return now.Sub(j.UpdatedAt) > importStale
	}
	return false
}

// ListUserImportJobs lists a pool's jobs, by id.
func (s *Service) ListUserImportJobs(ctx context.Context, in *cognito.ListUserImportJobsInput) (*cognito.ListUserImportJobsOutput, error) {
	kind := "import-jobs/" + in.UserPoolID
	after, err := decodeNextToken(kind, in.PaginationToken)
	if err != nil {
		return nil, err
	}
	if err := checkPoolExists(ctx, s.cfg.Store, in.UserPoolID); err != nil {
		return nil, err
	}
	jobs, next, err := s.cfg.Store.ListImportJobs(ctx, in.UserPoolID, store.Page{Limit: int(*in.MaxResults), After: after})
	if err != nil {
		return nil, err
	}
	out := &cognito.ListUserImportJobsOutput{PaginationToken: encodeNextToken(kind, next)}
	for _, j := range jobs {
		if j, err = s.settleImportJob(ctx, j); err != nil {
			return nil, err
		}
		out.UserImportJobs = append(out.UserImportJobs, *s.importJobType(j))
	}
	return out, nil
}

// StartUserImportJob starts a Created job whose file has been uploaded;
// the import runs in the background (import_run.go).
func (s *Service) StartUserImportJob(ctx context.Context, poolID, jobID string) (*cognito.UserImportJobType, error) {
	pool, err := s.Pool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if _, err := s.importJob(ctx, poolID, jobID); err != nil {
		return nil, err
	}
	now := s.now()
	noAutoVerified := !slices.Contains(pool.AutoVerifiedAttributes, attrEmail) && !slices.Contains(pool.AutoVerifiedAttributes, attrPhone)
	j, err := s.cfg.Store.UpdateImportJob(ctx, poolID, jobID, func(w *store.ImportJob) error {
		if w.Status != cognito.UserImportJobStatusCreated {
			return cognito.New(cognito.TypePreconditionNotMet, fmt.Sprintf(msgImportNotCreated, w.Status))
		}
		if w.CSVSize < 0 {
			return cognito.New(cognito.TypePreconditionNotMet, msgImportNoFile)
		}
		w.StartedAt, w.UpdatedAt = now, now
		if noAutoVerified {
			// Cognito's guide: without an auto-verified attribute "the
			// import job will not start".
			w.Status, w.Message, w.CompletedAt = cognito.UserImportJobStatusFailed, msgImportNoAutoVerif, now
			return nil
		}
		w.Status = cognito.UserImportJobStatusPending
		return nil
	})
	if err != nil {
		return nil, importJobError(jobID, err)
	}
	if j.Status == cognito.UserImportJobStatusPending {
		s.runImportJob(j)
	} else if err := s.cfg.Store.DropImportCSV(ctx, poolID, jobID); err != nil {
		return nil, err
	}
	return s.importJobType(j), nil
}

// StopUserImportJob asks a running job to stop. The runner sees it before
// its next batch of rows and ends the job Stopped; until then it is
// Stopping. A Pending job that has imported nothing stops at once.
func (s *Service) StopUserImportJob(ctx context.Context, poolID, jobID string) (*cognito.UserImportJobType, error) {
	if _, err := s.importJob(ctx, poolID, jobID); err != nil {
		return nil, err
	}
	now := s.now()
	j, err := s.cfg.Store.UpdateImportJob(ctx, poolID, jobID, func(w *store.ImportJob) error {
		switch w.Status {
		case cognito.UserImportJobStatusPending, cognito.UserImportJobStatusInprogress:
			w.Status, w.UpdatedAt = cognito.UserImportJobStatusStopping, now
			return nil
		}
		return cognito.New(cognito.TypePreconditionNotMet, fmt.Sprintf(msgImportNotRunning, w.Status))
	})
	if err != nil {
		return nil, importJobError(jobID, err)
	}
	return s.importJobType(j), nil
}

// importJobType renders a job on the wire, with its PreSignedUrl in every
// answer, as Cognito gives it (the URL refuses an upload once the job has
// its file or no longer waits for one).
func (s *Service) importJobType(j store.ImportJob) *cognito.UserImportJobType {
	out := &cognito.UserImportJobType{
		JobID:                 j.ID,
		JobName:               j.Name,
		UserPoolID:            j.PoolID,
		CloudWatchLogsRoleARn: j.RoleARN,
		Status:                j.Status,
		CreationDate:          cognito.Epoch(j.CreatedAt),
		StartDate:             cognito.Epoch(j.StartedAt),
		CompletionDate:        cognito.Epoch(j.CompletedAt),
		CompletionMessage:     j.Message,
		ImportedUsers:         &j.Imported,
		SkippedUsers:          &j.Skipped,
		FailedUsers:           &j.Failed,
		PreSignedURL:          s.importUploadURL(j),
	}
	return out
}

// The upload URL is this server's /_import/{pool}/{job}, signed like an
// S3 pre-signed URL: the time it was signed and for how long it holds, and
// an HMAC of the pool, the job and both, keyed with the data key, so that
// only this server (any node sharing the data key) makes one and nobody
// can guess or stretch it. The job's id is not secret; the signature is.
const (
	importUploadPath = "/_import/"
	importMACPurpose = "user import upload"
	amzDateFormat    = "20060102T150405Z"
)

func (s *Service) importUploadURL(j store.ImportJob) string {
	q := url.Values{}
	q.Set("X-Amz-Date", j.CreatedAt.UTC().Format(amzDateFormat))
	q.Set("X-Amz-Expires", strconv.Itoa(int(ImportJobExpiry/time.Second)))
	q.Set("X-Amz-Signature", s.importSignature(j.PoolID, j.ID, q.Get("X-Amz-Date"), q.Get("X-Amz-Expires")))
	return s.cfg.HostedURL + importUploadPath + url.PathEscape(j.PoolID) + "/" + url.PathEscape(j.ID) + "?" + q.Encode()
}

func (s *Service) importSignature(poolID, jobID, date, expires string) string {
	return hex.EncodeToString(s.cfg.Sealer.MAC(importMACPurpose, []byte(poolID+"\x00"+jobID+"\x00"+date+"\x00"+expires)))
}

// Why an upload is refused; the transport answers each as S3 would.
var (
	ErrUploadDenied   = errors.New("the upload URL is not valid")
	ErrUploadExpired  = errors.New("the upload URL has expired")
	ErrUploadUsed     = errors.New("the job's file has already been uploaded")
	ErrUploadNotReady = errors.New("the job no longer takes a file")
)

// UploadImportCSV checks a PUT to an upload URL (query is its query
// string) and stores the file into its job, once. The caller bounds the
// body at MaxImportCSVBytes.
func (s *Service) UploadImportCSV(ctx context.Context, poolID, jobID string, query url.Values, body []byte) error {
	date, expires, sig := query.Get("X-Amz-Date"), query.Get("X-Amz-Expires"), query.Get("X-Amz-Signature")
	want := s.importSignature(poolID, jobID, date, expires)
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return ErrUploadDenied
	}
	signed, err1 := time.Parse(amzDateFormat, date)
	secs, err2 := strconv.Atoi(expires)
	if err1 != nil || err2 != nil {
		return ErrUploadDenied
	}
	if !s.now().Before(signed.Add(time.Duration(secs) * time.Second)) {
		return ErrUploadExpired
	}
	j, err := s.cfg.Store.GetImportJob(ctx, poolID, jobID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return ErrUploadDenied // a deleted pool takes its jobs
		}
		return err
	}
	if j.CSVSize >= 0 {
		return ErrUploadUsed
	}
	if j.Status != cognito.UserImportJobStatusCreated {
		return ErrUploadNotReady
	}
	err = s.cfg.Store.PutImportCSV(ctx, poolID, jobID, body)
	switch {
	case errors.Is(err, store.ErrAlreadyExists):
		return ErrUploadUsed
	case errors.Is(err, store.ErrNotFound):
		return ErrUploadDenied
	}
	return err
}
