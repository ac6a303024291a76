package api_test

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/testserver"
)

const importRole = "arn:aws:iam::123456789012:role/CognitoImport"

// importHeader is GetCSVHeader's answer for a pool with the standard
// schema, as Cognito's developer guide shows it.
var importHeader = []string{"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
	"profile", "picture", "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale",
	"phone_number", "phone_number_verified", "address", "updated_at", "cognito:mfa_enabled", "cognito:username"}

var importJobIDRE = regexp.MustCompile(`^import-[0-9a-zA-Z]{10}$`)

// importCSV is a file for importHeader's columns from rows of
// column=value pairs; the columns a row does not name are empty.
func importCSV(header []string, rows ...map[string]string) string {
	var b strings.Builder
	b.WriteString(strings.Join(header, ",") + "\n")
	for _, r := range rows {
		vals := make([]string, len(header))
		for i, h := range header {
			vals[i] = r[h]
		}
		b.WriteString(strings.Join(vals, ",") + "\n")
	}
	return b.String()
}

func importCreate(t *testing.T, e *env, pool, name string) *types.UserImportJobType {
	t.Helper()
	out, err := e.Client.CreateUserImportJob(e.ctx(), &cip.CreateUserImportJobInput{
		UserPoolId: aws.String(pool), JobName: aws.String(name), CloudWatchLogsRoleArn: aws.String(importRole),
	})
	if err != nil {
		t.Fatalf("CreateUserImportJob: %v", err)
	}
	return out.UserImportJob
}

// importPut uploads body to a pre-signed URL as the developer guide's
// Python example does, and returns the status and body of the answer.
func importPut(t *testing.T, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-amz-server-side-encryption", "aws:kms")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// bigImportRows is the size of the file startBigImport imports: large
// enough that the runner is still at it when the test's next call comes.
const bigImportRows = 50000

// startBigImport uploads a file of bigImportRows users to a new job of
// pool and starts it.
func startBigImport(t *testing.T, e *env, pool string) *types.UserImportJobType {
	t.Helper()
	var b strings.Builder
	b.WriteString(strings.Join(importHeader, ",") + "\n")
	for i := range bigImportRows {
		fmt.Fprintf(&b, ",,,,,,,,,user%d@example.com,true,,,,,,,,,false,user%d\n", i, i)
	}
	j := importCreate(t, e, pool, "big")
	if status, body := importPut(t, aws.ToString(j.PreSignedUrl), b.String()); status != http.StatusOK {
		t.Fatalf("PUT = %d %s", status, body)
	}
	if _, err := e.Client.StartUserImportJob(e.ctx(), &cip.StartUserImportJobInput{UserPoolId: aws.String(pool), JobId: j.JobId}); err != nil {
		t.Fatal(err)
	}
	return j
}

func importDescribe(t *testing.T, e *env, pool, job string) *types.UserImportJobType {
	t.Helper()
	out, err := e.Client.DescribeUserImportJob(e.ctx(), &cip.DescribeUserImportJobInput{UserPoolId: aws.String(pool), JobId: aws.String(job)})
	if err != nil {
		t.Fatalf("DescribeUserImportJob: %v", err)
	}
	return out.UserImportJob
}

// importWait polls the job until it has ended.
func importWait(t *testing.T, e *env, pool, job string) *types.UserImportJobType {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		j := importDescribe(t, e, pool, job)
		switch j.Status {
		case types.UserImportJobStatusTypeSucceeded, types.UserImportJobStatusTypeFailed,
			types.UserImportJobStatusTypeStopped, types.UserImportJobStatusTypeExpired:
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still %s after a minute", job, j.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// importRun creates a job, uploads csv and starts it, and returns the job
// once it has ended.
func importRun(t *testing.T, e *env, pool, csv string) *types.UserImportJobType {
	t.Helper()
	j := importCreate(t, e, pool, "run")
	if status, body := importPut(t, aws.ToString(j.PreSignedUrl), csv); status != http.StatusOK {
		t.Fatalf("PUT = %d %s", status, body)
	}
	if _, err := e.Client.StartUserImportJob(e.ctx(), &cip.StartUserImportJobInput{UserPoolId: aws.String(pool), JobId: j.JobId}); err != nil {
		t.Fatalf("StartUserImportJob: %v", err)
	}
	return importWait(t, e, pool, aws.ToString(j.JobId))
}

func TestGetCSVHeader(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{
			{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString},
			{Name: aws.String("secret"), AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(true)},
		}
	})
	out, err := e.Client.GetCSVHeader(e.ctx(), &cip.GetCSVHeaderInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatalf("GetCSVHeader: %v", err)
	}
	want := append(append(append([]string{}, importHeader[:19]...), "custom:plan"), importHeader[19:]...)
	if d := cmp.Diff(want, out.CSVHeader); d != "" || aws.ToString(out.UserPoolId) != pool {
		t.Errorf("GetCSVHeader (-want +got):\n%s", d)
	}
	_, err = e.Client.GetCSVHeader(e.ctx(), &cip.GetCSVHeaderInput{UserPoolId: aws.String(poolsUnknownPool)})
	wantAPIError(t, err, "ResourceNotFoundException", "")
}

func TestUserImportJob(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	usersCreate(t, e.env, pool, "taken", "email", "taken@example.com")

	j := importCreate(t, e.env, pool, "first import")
	if !importJobIDRE.MatchString(aws.ToString(j.JobId)) || j.Status != types.UserImportJobStatusTypeCreated ||
		aws.ToString(j.JobName) != "first import" || aws.ToString(j.UserPoolId) != pool ||
		aws.ToString(j.CloudWatchLogsRoleArn) != importRole || j.CreationDate == nil || j.StartDate != nil ||
		j.ImportedUsers != 0 || j.FailedUsers != 0 || j.SkippedUsers != 0 ||
		!strings.HasPrefix(aws.ToString(j.PreSignedUrl), e.URL+"/_import/"+pool+"/"+aws.ToString(j.JobId)+"?") {
		t.Fatalf("created job = %+v", j)
	}
	start := func(job *string) (*types.UserImportJobType, error) {
		out, err := e.Client.StartUserImportJob(e.ctx(), &cip.StartUserImportJobInput{UserPoolId: aws.String(pool), JobId: job})
		if err != nil {
			return nil, err
		}
		return out.UserImportJob, nil
	}
	_, err := start(j.JobId)
	wantAPIError(t, err, "PreconditionNotMetException", "The CSV file has not been uploaded to the job's pre-signed URL.")

	// The URL takes one PUT; a forged signature none.
	url := aws.ToString(j.PreSignedUrl)
	if status, body := importPut(t, strings.Replace(url, "X-Amz-Signature=", "X-Amz-Signature=0", 1), "x"); status != http.StatusForbidden ||
		!strings.Contains(body, "<Code>SignatureDoesNotMatch</Code>") {
		t.Errorf("PUT with a forged signature = %d %s", status, body)
	}
	csv := importCSV(importHeader,
		map[string]string{"cognito:username": "alice", "email": "alice@example.com", "email_verified": "true", "given_name": "Alice", "cognito:mfa_enabled": "false"},
		map[string]string{"cognito:username": "bob", "email": "bob@example.com", "email_verified": "TRUE", "phone_number": "+15555550100", "cognito:mfa_enabled": "true"},
		map[string]string{"cognito:username": "alice", "email": "alice2@example.com", "email_verified": "true", "cognito:mfa_enabled": "false"},
		map[string]string{"email": "nobody@example.com", "email_verified": "true", "cognito:mfa_enabled": "false"},
		map[string]string{"cognito:username": "carol", "email": "carol@example.com", "email_verified": "false", "cognito:mfa_enabled": "false"},
		map[string]string{"cognito:username": "dave", "email": "not-an-address", "email_verified": "true", "cognito:mfa_enabled": "false"},
		map[string]string{"cognito:username": "erin", "email": "erin@example.com", "email_verified": "true", "cognito:mfa_enabled": "maybe"},
		map[string]string{"cognito:username": "frank", "email": "frank@example.com", "email_verified": "true", "cognito:mfa_enabled": "true"},
		map[string]string{"cognito:username": "Taken", "email": "t2@example.com", "email_verified": "true", "cognito:mfa_enabled": "false"},
	)
	if status, body := importPut(t, url, csv); status != http.StatusOK {
		t.Fatalf("PUT = %d %s", status, body)
	}
	if status, body := importPut(t, url, csv); status != http.StatusForbidden || !strings.Contains(body, "<Code>AccessDenied</Code>") {
		t.Errorf("second PUT = %d %s", status, body)
	}

	started, err := start(j.JobId)
	if err != nil {
		t.Fatalf("StartUserImportJob: %v", err)
	}
	if started.Status != types.UserImportJobStatusTypePending || started.StartDate == nil {
		t.Errorf("started job = %+v", started)
	}
	done := importWait(t, e.env, pool, aws.ToString(j.JobId))
	// "Taken" is a username of its own in this case-sensitive pool.
	if done.Status != types.UserImportJobStatusTypeSucceeded || done.ImportedUsers != 3 ||
		done.FailedUsers != 6 || done.SkippedUsers != 0 || done.CompletionDate == nil ||
		aws.ToString(done.CompletionMessage) != "Import Job Completed. 6 of 9 users failed to import; the server's log gives their lines and reasons." {
		t.Errorf("ended job = %+v, message %q", done, aws.ToString(done.CompletionMessage))
	}
	if status, _ := importPut(t, url, csv); status != http.StatusForbidden {
		t.Errorf("PUT after the run = %d", status)
	}
	_, err = start(j.JobId)
	wantAPIError(t, err, "PreconditionNotMetException", "The user import job can only be started in Created status; it is Succeeded.")
	_, err = e.Client.StopUserImportJob(e.ctx(), &cip.StopUserImportJobInput{UserPoolId: aws.String(pool), JobId: j.JobId})
	wantAPIError(t, err, "PreconditionNotMetException", "The user import job can only be stopped while it is Pending or InProgress; it is Succeeded.")

	// The imported users: RESET_REQUIRED, with their attributes, and
	// bob's SMS MFA on.
	alice := usersGet(t, e.env, pool, "alice")
	attrs := usersAttrMap(alice.UserAttributes)
	if alice.UserStatus != types.UserStatusTypeResetRequired || !alice.Enabled || attrs["given_name"] != "Alice" ||
		attrs["email_verified"] != "true" || attrs["sub"] == "" {
		t.Errorf("imported alice = %+v %v", alice, attrs)
	}
	if bob := usersGet(t, e.env, pool, "bob"); len(bob.UserMFASettingList) != 1 || bob.UserMFASettingList[0] != "SMS_MFA" ||
		usersAttrMap(bob.UserAttributes)["email_verified"] != "true" {
		t.Errorf("imported bob = %+v", bob)
	}
	// Sign-in asks for a reset, whatever the password; the reset works.
	_, err = e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		ClientId: client.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "anything"},
	})
	wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")
	srpClient := srpClientFor(t, e.env, pool, nil)
	_, err = srpInitiate(e.env, srpClient, srpNew(t, pool, srpClient, "alice", "anything"), nil)
	wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")
	_, err = e.Client.AdminInitiateAuth(e.ctx(), &cip.AdminInitiateAuthInput{
		UserPoolId: aws.String(pool), ClientId: client.ClientId, AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": "anything"},
	})
	wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")
	if _, err := e.forgot(client, "alice"); err != nil {
		t.Fatalf("ForgotPassword: %v", err)
	}
	if err := e.confirmForgot(client, "alice", e.code("alice@example.com"), lifecycleNewPassword); err != nil {
		t.Fatalf("ConfirmForgotPassword: %v", err)
	}
	e.signIn(pool, client, "alice", lifecycleNewPassword)

	// Errors of the actions.
	_, err = e.Client.CreateUserImportJob(e.ctx(), &cip.CreateUserImportJobInput{
		UserPoolId: aws.String(pool), JobName: aws.String("x"), CloudWatchLogsRoleArn: aws.String("arn:aws:s3:::bucket-name-here:1:x"),
	})
	wantAPIError(t, err, "InvalidParameterException", "")
	_, err = e.Client.CreateUserImportJob(e.ctx(), &cip.CreateUserImportJobInput{
		UserPoolId: aws.String(pool), JobName: aws.String("bad/name"), CloudWatchLogsRoleArn: aws.String(importRole),
	})
	wantAPIError(t, err, "InvalidParameterException", "")
	_, err = e.Client.CreateUserImportJob(e.ctx(), &cip.CreateUserImportJobInput{
		UserPoolId: aws.String(poolsUnknownPool), JobName: aws.String("x"), CloudWatchLogsRoleArn: aws.String(importRole),
	})
	wantAPIError(t, err, "ResourceNotFoundException", "")
	_, err = e.Client.DescribeUserImportJob(e.ctx(), &cip.DescribeUserImportJobInput{UserPoolId: aws.String(pool), JobId: aws.String("import-NoSuchJob0")})
	wantAPIError(t, err, "ResourceNotFoundException", "Import job import-NoSuchJob0 does not exist.")
	_, err = start(aws.String("import-NoSuchJob0"))
	wantAPIError(t, err, "ResourceNotFoundException", "")
	_, err = e.Client.StopUserImportJob(e.ctx(), &cip.StopUserImportJobInput{UserPoolId: aws.String(pool), JobId: aws.String("import-NoSuchJob0")})
	wantAPIError(t, err, "ResourceNotFoundException", "")
	_, err = e.Client.DescribeUserImportJob(e.ctx(), &cip.DescribeUserImportJobInput{UserPoolId: aws.String(poolsUnknownPool), JobId: j.JobId})
	wantAPIError(t, err, "ResourceNotFoundException", "")
}

func TestUserImportJobHeaderAndPool(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, _ := lifecyclePool(t, e, nil, nil)
	// A header that is not GetCSVHeader's fails the job.
	for _, c := range []struct{ csv, msg string }{
		{"cognito:username,email\nalice,a@example.com\n", `The CSV header lacks the column "name": every column of GetCSVHeader must be present.`},
		{importCSV(append(append([]string{}, importHeader...), "custom:nope")), `The CSV header has the column "custom:nope", which is not one of the user pool's (GetCSVHeader).`},
		{"", "The CSV file has no header row."},
	} {
		j := importRun(t, e.env, pool, c.csv)
		if j.Status != types.UserImportJobStatusTypeFailed || aws.ToString(j.CompletionMessage) != c.msg || j.ImportedUsers != 0 {
			t.Errorf("job of %q = %s %q", c.csv, j.Status, aws.ToString(j.CompletionMessage))
		}
	}
	// Columns in another order are fine.
	reversed := make([]string, len(importHeader))
	for i, h := range importHeader {
		reversed[len(importHeader)-1-i] = h
	}
	j := importRun(t, e.env, pool, importCSV(reversed, map[string]string{
		"cognito:username": "zed", "email": "zed@example.com", "email_verified": "true", "cognito:mfa_enabled": "FALSE",
	}))
	if j.Status != types.UserImportJobStatusTypeSucceeded || j.ImportedUsers != 1 ||
		aws.ToString(j.CompletionMessage) != "Import Job Completed Successfully." {
		t.Errorf("job in another column order = %+v", j)
	}

	// A row that is not valid CSV fails, and the rows after it go on.
	good := importCSV(importHeader, map[string]string{
		"cognito:username": "yan", "email": "yan@example.com", "email_verified": "true", "cognito:mfa_enabled": "false",
	})
	bad := strings.Repeat(",", len(importHeader)-1) + `"x"y` + "\n"
	j = importRun(t, e.env, pool, good+bad+strings.SplitN(importCSV(importHeader, map[string]string{
		"cognito:username": "yves", "email": "yves@example.com", "email_verified": "true", "cognito:mfa_enabled": "false",
	}), "\n", 2)[1])
	if j.Status != types.UserImportJobStatusTypeSucceeded || j.ImportedUsers != 2 || j.FailedUsers != 1 {
		t.Errorf("job with a malformed row = %s, imported %d, failed %d", j.Status, j.ImportedUsers, j.FailedUsers)
	}

	// A pool without auto-verified attributes does not start.
	plain := createTestPool(t, e.env, nil)
	j = importRun(t, e.env, plain, importCSV(importHeader))
	if j.Status != types.UserImportJobStatusTypeFailed || !strings.Contains(aws.ToString(j.CompletionMessage), "auto-verified") {
		t.Errorf("job in a pool without auto-verified attributes = %+v", j)
	}

	// In a pool that signs in with e-mail, the e-mail is the identifier.
	emails := createTestPool(t, e.env, func(in *cip.CreateUserPoolInput) {
		in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
	})
	j = importRun(t, e.env, emails, importCSV(importHeader,
		map[string]string{"cognito:username": "ann@example.com", "email_verified": "true", "cognito:mfa_enabled": "false"},
		map[string]string{"cognito:username": "ann@example.com", "email_verified": "true", "cognito:mfa_enabled": "false"},
		map[string]string{"cognito:username": "not-an-email", "email_verified": "true", "cognito:mfa_enabled": "false"},
	))
	if j.ImportedUsers != 1 || j.FailedUsers != 2 {
		t.Errorf("job in an e-mail pool = %+v", j)
	}
	if u := usersGet(t, e.env, emails, "ann@example.com"); usersAttrMap(u.UserAttributes)["email"] != "ann@example.com" {
		t.Errorf("imported ann = %+v", u)
	}
}

func TestListUserImportJobs(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	var want []string
	for i := range 3 {
		want = append(want, aws.ToString(importCreate(t, e, pool, fmt.Sprint("job", i)).JobId))
	}
	var got []string
	var token *string
	for pages := 0; ; pages++ {
		out, err := e.Client.ListUserImportJobs(e.ctx(), &cip.ListUserImportJobsInput{
			UserPoolId: aws.String(pool), MaxResults: aws.Int32(2), PaginationToken: token,
		})
		if err != nil {
			t.Fatalf("ListUserImportJobs: %v", err)
		}
		for _, j := range out.UserImportJobs {
			got = append(got, aws.ToString(j.JobId))
		}
		if token = out.PaginationToken; token == nil {
			if pages != 1 {
				t.Errorf("%d pages, want 2", pages+1)
			}
			break
		}
	}
	if d := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); d != "" {
		t.Errorf("listed jobs (-want +got):\n%s", d)
	}
	for _, n := range []int32{0, 61} {
		_, err := e.Client.ListUserImportJobs(e.ctx(), &cip.ListUserImportJobsInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(n)})
		wantAPIError(t, err, "InvalidParameterException", "")
	}
	_, err := e.Client.ListUserImportJobs(e.ctx(), &cip.ListUserImportJobsInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(1), PaginationToken: aws.String("bogus")})
	wantAPIError(t, err, "InvalidParameterException", "")
	_, err = e.Client.ListUserImportJobs(e.ctx(), &cip.ListUserImportJobsInput{UserPoolId: aws.String(poolsUnknownPool), MaxResults: aws.Int32(1)})
	wantAPIError(t, err, "ResourceNotFoundException", "")
}

// TestUserImportJobStop stops a job while it runs: it ends Stopped, with
// the rows it did not reach counted as skipped. The file is large enough
// that the runner is still at it when the Stop arrives.
func TestUserImportJobStop(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, _ := lifecyclePool(t, e, nil, nil)
	const rows = bigImportRows
	j := startBigImport(t, e.env, pool)
	stopped, err := e.Client.StopUserImportJob(e.ctx(), &cip.StopUserImportJobInput{UserPoolId: aws.String(pool), JobId: j.JobId})
	if err != nil {
		t.Fatalf("StopUserImportJob: %v", err)
	}
	if stopped.UserImportJob.Status != types.UserImportJobStatusTypeStopping {
		t.Errorf("status after Stop = %s", stopped.UserImportJob.Status)
	}
	done := importWait(t, e.env, pool, aws.ToString(j.JobId))
	imported, skipped := done.ImportedUsers, done.SkippedUsers
	if done.Status != types.UserImportJobStatusTypeStopped || skipped == 0 || imported+skipped+done.FailedUsers != rows {
		t.Errorf("stopped job = %s, imported %d, skipped %d, failed %d", done.Status, imported, skipped, done.FailedUsers)
	}
}

// TestUserImportJobTime: a job not started within 24 hours expires, and
// so does its URL; a running job whose runner stopped recording progress
// (its server was restarted) is failed rather than left InProgress.
func TestUserImportJobTime(t *testing.T) {
	s := testserver.New(t)
	e := newEnvFrom(t, s)
	pool := createTestPool(t, e, nil)
	waiting := importCreate(t, e, pool, "waiting")
	dead := importCreate(t, e, pool, "dead")
	// The state a runner leaves behind when its process dies.
	_, err := s.Store.UpdateImportJob(t.Context(), pool, aws.ToString(dead.JobId), func(j *store.ImportJob) error {
		j.Status, j.StartedAt = "InProgress", s.Clock.Now()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(time.Minute)
	if j := importDescribe(t, e, pool, aws.ToString(dead.JobId)); j.Status != types.UserImportJobStatusTypeInProgress {
		t.Errorf("a minute on, the dead job is %s", j.Status)
	}
	e.Clock.Advance(2 * time.Minute)
	if j := importDescribe(t, e, pool, aws.ToString(dead.JobId)); j.Status != types.UserImportJobStatusTypeFailed ||
		!strings.Contains(aws.ToString(j.CompletionMessage), "interrupted") || j.CompletionDate == nil {
		t.Errorf("three minutes on, the dead job = %+v", j)
	}

	e.Clock.Advance(24 * time.Hour)
	if status, body := importPut(t, aws.ToString(waiting.PreSignedUrl), importCSV(importHeader)); status != http.StatusForbidden ||
		!strings.Contains(body, "Request has expired") {
		t.Errorf("PUT after a day = %d %s", status, body)
	}
	out, err := e.Client.ListUserImportJobs(e.ctx(), &cip.ListUserImportJobsInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(10)})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range out.UserImportJobs {
		if aws.ToString(j.JobId) == aws.ToString(waiting.JobId) && (j.Status != types.UserImportJobStatusTypeExpired ||
			aws.ToString(j.CompletionMessage) != "The user import job has expired.") {
			t.Errorf("listed after a day: %+v", j)
		}
	}
	_, err = e.Client.StartUserImportJob(e.ctx(), &cip.StartUserImportJobInput{UserPoolId: aws.String(pool), JobId: waiting.JobId})
	wantAPIError(t, err, "PreconditionNotMetException", "The user import job can only be started in Created status; it is Expired.")
}

// TestUserImportJobShutdown: a job running when its server shuts down
// (Service.Close) ends Failed at once, keeping what it imported, rather
// than staying InProgress.
func TestUserImportJobShutdown(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, _ := lifecyclePool(t, e, nil, nil)
	const rows = bigImportRows
	j := startBigImport(t, e.env, pool)
	e.Svc.Close()
	done := importDescribe(t, e.env, pool, aws.ToString(j.JobId))
	if done.Status != types.UserImportJobStatusTypeFailed || !strings.Contains(aws.ToString(done.CompletionMessage), "interrupted") ||
		done.ImportedUsers >= rows {
		t.Errorf("job after shutdown = %s %q, imported %d", done.Status, aws.ToString(done.CompletionMessage), done.ImportedUsers)
	}
	if n := len(usersListAll(t, e.env, &cip.ListUsersInput{UserPoolId: aws.String(pool)})); int64(n) != done.ImportedUsers {
		t.Errorf("%d users in the pool, the job says %d imported", n, done.ImportedUsers)
	}
}
