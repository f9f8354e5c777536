// The Go function of e2e/ric-sizes.e2e.ts: aws-lambda-go's runtime loop and a handler that
// answers from the event and the runtime context, so an answer shows the library ran.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Name string `json:"name"`
}

type answer struct {
	Greeting  string `json:"greeting"`
	Runtime   string `json:"runtime"`
	RequestID string `json:"requestId"`
}

func handle(ctx context.Context, e event) (answer, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	requestID := ""
	if lc != nil {
		requestID = lc.AwsRequestID
	}
	return answer{Greeting: "Hello, " + e.Name + "!", Runtime: "aws-lambda-go", RequestID: requestID}, nil
}

func main() {
	lambda.Start(handle)
}
