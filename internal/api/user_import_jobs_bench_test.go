package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"syscall"
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
// import into a new pool. rows/s is wall-clock throughput; cpu-s/op is
// the CPU the process spent (user and system, server and client in one
// process, the client's share small), which a machine shared with other
// work disturbs far less. Both are in docs/performance.md.
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
	cpu0 := processCPU(b)
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
	b.ReportMetric((processCPU(b)-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// processCPU is the user and system CPU time the process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
