package triggers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
)

// Lambda invokes functions with the Lambda Invoke API through
// aws-sdk-go-v2's Lambda client, signed with SigV4 for the ARN's region.
// Without an endpoint the ARN goes to AWS Lambda in its region; with one
// (sam local start-lambda, LocalStack, any service implementing
// POST /2015-03-31/functions/{name}/invocations) the function is named by
// the name in its ARN, which is what such services know.
type Lambda struct {
	endpoint string
	base     aws.Config
	mu       sync.Mutex
	clients  map[string]*lambda.Client
}

// NewLambda returns a Lambda invoker with credentials from the standard
// AWS chain. With an endpoint and no credentials in the chain it signs
// with fixed dummy credentials, which local services do not check, and
// says so once in the log.
func NewLambda(ctx context.Context, endpoint string, log *slog.Logger) (*Lambda, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("triggers: load AWS configuration: %w", err)
	}
	if endpoint != "" {
		cfg.Credentials = aws.NewCredentialsCache(&fallbackCredentials{chain: cfg.Credentials, log: log, endpoint: endpoint})
	}
	return &Lambda{endpoint: strings.TrimRight(endpoint, "/"), base: cfg, clients: map[string]*lambda.Client{}}, nil
}

// fallbackCredentials are the chain's credentials, or dummy ones when the
// chain has none (a laptop talking to sam local).
type fallbackCredentials struct {
	chain    aws.CredentialsProvider
	log      *slog.Logger
	endpoint string
	once     sync.Once
}

func (f *fallbackCredentials) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if f.chain != nil {
		// The chain may end at the EC2 instance metadata service, which
		// off EC2 answers only by timing out: a short bound keeps the
		// first trigger well inside Cognito's five seconds.
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		c, err := f.chain.Retrieve(cctx)
		cancel()
		if err == nil {
			return c, nil
		}
	}
	f.once.Do(func() {
		if f.log != nil {
			f.log.Info("no AWS credentials found: signing Lambda invocations with dummy credentials, which a local endpoint does not check", "lambda_endpoint", f.endpoint)
		}
	})
	return aws.Credentials{AccessKeyID: "userpool", SecretAccessKey: "userpool", Source: "userpool-dummy"}, nil
}

var _ aws.CredentialsProvider = (*fallbackCredentials)(nil)

// client is the Lambda client of a region, made once.
func (l *Lambda) client(region string) *lambda.Client {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c, ok := l.clients[region]; ok {
		return c
	}
	c := lambda.NewFromConfig(l.base, func(o *lambda.Options) {
		o.Region = region
		if l.endpoint != "" {
			o.BaseEndpoint = aws.String(l.endpoint)
		}
	})
	l.clients[region] = c
	return c
}

// ARN is the parts of a function ARN the invocation needs.
type ARN struct {
	Region string
	Name   string
}

// ParseARN reads arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}].
func ParseARN(arn string) (ARN, error) {
	parts := strings.Split(arn, ":")
	if len(parts) < 7 || len(parts) > 8 || parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function" || parts[3] == "" || parts[6] == "" {
		return ARN{}, fmt.Errorf("not a Lambda function ARN: %q", arn)
	}
	return ARN{Region: parts[3], Name: parts[6]}, nil
}

// Invoke calls the function synchronously.
func (l *Lambda) Invoke(ctx context.Context, arn string, event []byte) ([]byte, error) {
	a, err := ParseARN(arn)
	if err != nil {
		return nil, &InvokeError{Code: "InvalidParameterValueException", Err: err}
	}
	name := arn
	if l.endpoint != "" {
		name = a.Name
	}
	out, err := l.client(a.Region).Invoke(ctx, &lambda.InvokeInput{
		FunctionName:   aws.String(name),
		InvocationType: types.InvocationTypeRequestResponse,
		Payload:        event,
	})
	if err != nil {
		var api smithy.APIError
		if errors.As(err, &api) {
			return nil, &InvokeError{Code: api.ErrorCode(), Err: err}
		}
		return nil, err
	}
	if out.FunctionError != nil {
		var body struct {
			Message string `json:"errorMessage"`
			Type    string `json:"errorType"`
		}
		_ = json.Unmarshal(out.Payload, &body)
		return nil, &FunctionError{Message: body.Message, Type: body.Type}
	}
	return out.Payload, nil
}
