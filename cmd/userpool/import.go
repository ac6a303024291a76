package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/userpool/userpool/client"
)

// importOptions are the flags of `userpool import`.
type importOptions struct {
	endpoint, pool, file, jobID, jobName, roleARN string
	poll                                          time.Duration
}

func importCommand(getenv func(string) string) *cobra.Command {
	o := &importOptions{}
	cmd := &cobra.Command{
		Use:   "import --pool-id ID --file users.csv",
		Short: "Import users from a CSV file through a user import job",
		Long: "Creates a user import job (or takes --job-id, one in Created status), uploads the file to the job's\n" +
			"pre-signed URL, starts the job and follows it until it ends, with a progress bar on a terminal and a\n" +
			"line per change otherwise. The file's header must be GetCSVHeader's (`aws cognito-idp get-csv-header`).\n" +
			"Imported users are RESET_REQUIRED: they choose a password with ForgotPassword. Admin actions are signed\n" +
			"with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any pair for a server started with --dev).\n" +
			"Exits non-zero unless the job succeeds with every user imported.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			flagOrEnv(cmd, getenv, "endpoint", "USERPOOL_ENDPOINT", &o.endpoint)
			return runImport(cmd, getenv, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.endpoint, "endpoint", "http://127.0.0.1:9229", "base URL of the server [USERPOOL_ENDPOINT]")
	f.StringVar(&o.pool, "pool-id", "", "user pool id (required)")
	f.StringVar(&o.file, "file", "", "the CSV file (required)")
	f.StringVar(&o.jobID, "job-id", "", "an existing job in Created status to use instead of creating one")
	f.StringVar(&o.jobName, "job-name", "userpool-import", "name of the job created")
	f.StringVar(&o.roleARN, "role-arn", "arn:aws:iam::000000000000:role/userpool-import", "CloudWatchLogsRoleArn of the job created (kept, not used)")
	f.DurationVar(&o.poll, "poll", 500*time.Millisecond, "how often the job's progress is read")
	cmd.MarkFlagRequired("pool-id")
	cmd.MarkFlagRequired("file")
	return cmd
}

func runImport(cmd *cobra.Command, getenv func(string) string, o *importOptions) error {
	ctx := cmd.Context()
	out := cmd.OutOrStdout()
	rows, err := countCSVRows(o.file)
	if err != nil {
		return err
	}
	idp := adminClient(o.endpoint, o.pool, getenv)
	var job *types.UserImportJobType
	if o.jobID != "" {
		d, err := idp.DescribeUserImportJob(ctx, &cip.DescribeUserImportJobInput{UserPoolId: &o.pool, JobId: &o.jobID})
		if err != nil {
			return err
		}
		job = d.UserImportJob
	} else {
		c, err := idp.CreateUserImportJob(ctx, &cip.CreateUserImportJobInput{UserPoolId: &o.pool, JobName: &o.jobName, CloudWatchLogsRoleArn: &o.roleARN})
		if err != nil {
			return err
		}
		job = c.UserImportJob
		fmt.Fprintf(out, "created job %s\n", aws.ToString(job.JobId))
	}
	if err := uploadCSV(ctx, aws.ToString(job.PreSignedUrl), o.file); err != nil {
		return err
	}
	fmt.Fprintf(out, "uploaded %s (%d rows)\n", o.file, rows)
	if _, err := idp.StartUserImportJob(ctx, &cip.StartUserImportJobInput{UserPoolId: &o.pool, JobId: job.JobId}); err != nil {
		return err
	}
	p := newProgress(out, rows)
	for {
		d, err := idp.DescribeUserImportJob(ctx, &cip.DescribeUserImportJobInput{UserPoolId: &o.pool, JobId: job.JobId})
		if err != nil {
			return err
		}
		job = d.UserImportJob
		p.show(job)
		switch job.Status {
		case types.UserImportJobStatusTypePending, types.UserImportJobStatusTypeInProgress, types.UserImportJobStatusTypeStopping:
		default:
			p.done()
			return importResult(out, job)
		}
		select {
		case <-ctx.Done():
			p.done()
			return fmt.Errorf("stopped following job %s, which goes on: %w", aws.ToString(job.JobId), ctx.Err())
		case <-time.After(o.poll):
		}
	}
}

// importResult prints the job's end and is the command's error unless
// every user was imported.
func importResult(out io.Writer, j *types.UserImportJobType) error {
	fmt.Fprintf(out, "job %s %s: %d imported, %d failed, %d skipped\n", aws.ToString(j.JobId), j.Status, j.ImportedUsers, j.FailedUsers, j.SkippedUsers)
	if m := aws.ToString(j.CompletionMessage); m != "" {
		fmt.Fprintln(out, m)
	}
	switch {
	case j.Status != types.UserImportJobStatusTypeSucceeded:
		return fmt.Errorf("the import job ended %s", j.Status)
	case j.FailedUsers > 0:
		return fmt.Errorf("%d users failed to import (the server's log gives their lines and reasons)", j.FailedUsers)
	}
	return nil
}

// adminClient is a Cognito client of the endpoint signing with the admin
// key of the environment or, for a server started with --dev, any.
func adminClient(endpoint, pool string, getenv func(string) string) *cip.Client {
	key, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	if key == "" {
		key, secret = "dev", "dev"
	}
	region, _, _ := strings.Cut(pool, "_")
	return cip.New(cip.Options{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, ""),
	}, client.WithEndpoint(endpoint))
}

// uploadCSV PUTs the file to a pre-signed URL as Cognito's guide does,
// with the server-side encryption header S3 expects.
func uploadCSV(ctx context.Context, url, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, f)
	if err != nil {
		return err
	}
	req.ContentLength = st.Size()
	req.Header.Set("x-amz-server-side-encryption", "aws:kms")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("upload: %s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	return nil
}

// countCSVRows counts the file's rows after the header, as the job will.
func countCSVRows(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var n int64
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		n++ // a malformed row is a row the job will count as failed
	}
	if n > 0 {
		n-- // the header
	}
	return n, nil
}

// progress shows a job's progress: a bar redrawn in place on a terminal,
// a line per change elsewhere (logs, CI).
type progress struct {
	out   io.Writer
	tty   bool
	total int64
	last  string
}

func newProgress(out io.Writer, total int64) *progress {
	f, ok := out.(*os.File)
	return &progress{out: out, total: total, tty: ok && term.IsTerminal(int(f.Fd()))}
}

func (p *progress) show(j *types.UserImportJobType) {
	done := j.ImportedUsers + j.FailedUsers + j.SkippedUsers
	counts := fmt.Sprintf("%d/%d rows (%d imported, %d failed, %d skipped)", done, p.total, j.ImportedUsers, j.FailedUsers, j.SkippedUsers)
	if !p.tty {
		line := fmt.Sprintf("%s: %s", j.Status, counts)
		if line != p.last {
			fmt.Fprintln(p.out, line)
			p.last = line
		}
		return
	}
	const width = 30
	frac := 1.0
	if p.total > 0 {
		frac = min(float64(done)/float64(p.total), 1)
	}
	filled := int(frac * width)
	fmt.Fprintf(p.out, "\r[%s%s] %3.0f%% %s %-10s", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), frac*100, counts, j.Status)
	p.last = "drawn"
}

// done ends the bar's line.
func (p *progress) done() {
	if p.tty && p.last != "" {
		fmt.Fprintln(p.out)
	}
}
