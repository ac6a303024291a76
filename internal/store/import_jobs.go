package store

import (
	"context"
	"time"
)

// ImportJob is a user import job (CreateUserImportJob): its state and
// counts, and whether its CSV file has been uploaded. The file itself is
// read and written apart (PutImportCSV, ImportCSV), since it may be large
// and the job is read far more often.
type ImportJob struct {
	PoolID  string
	ID      string
	Name    string
	RoleARN string
	// Status is a cognito UserImportJobStatusType value.
	Status string
	// CreatedAt, StartedAt and CompletedAt are the job's dates; the last
	// two are zero until they happen.
	CreatedAt   time.Time
	StartedAt   time.Time
	CompletedAt time.Time
	// UpdatedAt is when the record last changed: a running job moves it
	// after every batch of rows, so a job whose runner died (a restart)
	// shows it by no longer moving.
	UpdatedAt time.Time
	Imported  int64
	Skipped   int64
	Failed    int64
	Message   string
	// CSVSize is the size of the uploaded file in bytes; -1 until one is
	// uploaded.
	CSVSize int64
}

// ImportJobs stores user import jobs and their files. They go with their
// pool.
type ImportJobs interface {
	// CreateImportJob inserts j (its CSVSize is ignored: a new job has no
	// file). ErrNotFound when the pool does not exist, ErrAlreadyExists
	// when the id is taken.
	CreateImportJob(ctx context.Context, j ImportJob) error
	// GetImportJob returns a job. ErrNotFound.
	GetImportJob(ctx context.Context, poolID, id string) (ImportJob, error)
	// UpdateImportJob is the read-modify-write of one job; fn must not
	// change PoolID, ID or CSVSize. ErrNotFound.
	UpdateImportJob(ctx context.Context, poolID, id string, fn func(*ImportJob) error) (ImportJob, error)
	// ListImportJobs lists a pool's jobs ordered by id.
	ListImportJobs(ctx context.Context, poolID string, page Page) (jobs []ImportJob, next string, err error)
	// PutImportCSV stores the job's file, once: ErrAlreadyExists when it
	// already has one, ErrNotFound when there is no such job.
	PutImportCSV(ctx context.Context, poolID, id string, csv []byte) error
	// ImportCSV returns the job's file. ErrNotFound when there is no job
	// or it has no file.
	ImportCSV(ctx context.Context, poolID, id string) ([]byte, error)
	// DropImportCSV forgets the job's file, once it is no longer needed;
	// CSVSize keeps its size. Dropping a file that is gone is not an error.
	DropImportCSV(ctx context.Context, poolID, id string) error
	// DropUnstartedImportCSVs forgets the files of the jobs, in every
	// pool, still in status Created that were created before createdBefore
	// (they have expired), and returns how many it dropped.
	DropUnstartedImportCSVs(ctx context.Context, createdBefore time.Time) (int64, error)

	// ImportUsers inserts new users in one transaction, skipping each one
	// whose username, sub or alias key is taken (by an existing user or by
	// one earlier in users). The result has one entry per user: "" when it
	// was inserted, else the ConflictError field that was taken
	// ("username", "sub", "email", "phone_number", "preferred_username").
	// ErrNotFound when the pool does not exist.
	ImportUsers(ctx context.Context, users []User) (conflicts []string, err error)
}
