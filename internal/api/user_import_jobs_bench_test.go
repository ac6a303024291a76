package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/testserver"
)

// BenchmarkUserImport100k imports a file of 100,000 users through the
// wire, as a client would: create the job, PUT the file to its URL,
// start it and poll until it has ended. One iteration is one whole
// import into a new pool; rows/s is the figure in docs/performance.md.
//
//	go test ./internal/api -run '^$' -bench UserImport100k -benchtime 1x
func BenchmarkUserImport100k(b *testing.B) {
	const rows = 100_000
	s := testserver.New(b)
	e := &env{URL: s.URL, Client: newClient(s.URL, testKeyID, testSecret), Svc: s.Service, Clock: s.Clock, API: s.API}
	var csv strings.Builder
	csv.WriteString(strings.Join(importHeader, ",") + "\n")
	for i := range rows {
		fmt.Fprintf(&csv, "User %d,User,%d,,,,,,,user%d@example.com,true,,,,,,,,,false,user%d\n", i, i, i, i)
	}
	file := csv.String()
	ctx := b.Context()
	b.ResetTimer()
	for b.Loop() {
		pool, err := e.Client.CreateUserPool(ctx, &cip.CreateUserPoolInput{
			PoolName: aws.String("bench"), AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		})
		if err != nil {
			b.Fatal(err)
		}
		poolID := pool.UserPool.Id
		job, err := e.Client.CreateUserImportJob(ctx, &cip.CreateUserImportJobInput{
			UserPoolId: poolID, JobName: aws.String("bench"), CloudWatchLogsRoleArn: aws.String(importRole),
		})
		if err != nil {
			b.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, aws.ToString(job.UserImportJob.PreSignedUrl), strings.NewReader(file))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("PUT: %v %v", resp, err)
		}
		resp.Body.Close()
		if _, err := e.Client.StartUserImportJob(ctx, &cip.StartUserImportJobInput{UserPoolId: poolID, JobId: job.UserImportJob.JobId}); err != nil {
			b.Fatal(err)
		}
		for {
			out, err := e.Client.DescribeUserImportJob(ctx, &cip.DescribeUserImportJobInput{UserPoolId: poolID, JobId: job.UserImportJob.JobId})
			if err != nil {
				b.Fatal(err)
			}
			j := out.UserImportJob
			if j.Status == types.UserImportJobStatusTypeSucceeded {
				if j.ImportedUsers != rows {
					b.Fatalf("imported %d of %d (failed %d)", j.ImportedUsers, rows, j.FailedUsers)
				}
				break
			}
			if j.Status != types.UserImportJobStatusTypePending && j.Status != types.UserImportJobStatusTypeInProgress {
				b.Fatalf("job ended %s: %s", j.Status, aws.ToString(j.CompletionMessage))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
