// The binding test's app in Go (e2e/bindings.e2e.ts): a SharedImageRepository in its own stack,
// and an arm64 function on the AWS Python base image with an extension layer, routed into it.
// The same app as e2e/java and e2e/python/app.py; the test synthesizes it in TypeScript too and
// compares the templates.
//
// Usage: go run . <examples directory> <cloud assembly directory>
package main

import (
	"os"
	"path/filepath"

	"example.invalid/cdk-lambda-container-go/cdklambdacontainer"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
)

func main() {
	defer jsii.Close()
	examples, outdir := os.Args[1], os.Args[2]
	app := awscdk.NewApp(&awscdk.AppProps{
		Outdir:                  jsii.String(outdir),
		DefaultStackSynthesizer: cdklambdacontainer.NewSharedImageRepositorySynthesizer(nil),
	})

	images := awscdk.NewStack(app, jsii.String("BindingImages"), nil)
	repository := cdklambdacontainer.NewSharedImageRepository(images, jsii.String("Repository"), &cdklambdacontainer.SharedImageRepositoryProps{
		RepositoryName: jsii.String("binding"),
		RemovalPolicy:  awscdk.RemovalPolicy_DESTROY,
		EmptyOnDelete:  jsii.Bool(true),
	})

	functions := awscdk.NewStack(app, jsii.String("BindingFunctions"), nil)
	cdklambdacontainer.NewLambdaContainerFunction(functions, jsii.String("ListOrders"), &cdklambdacontainer.LambdaContainerFunctionProps{
		BaseImage:    cdklambdacontainer.BaseImage_Python(jsii.String("3.13"), nil),
		Entry:        jsii.String(filepath.Join(examples, "functions", "orders")),
		Cmd:          jsii.Strings("app.list_orders"),
		Architecture: awslambda.Architecture_ARM_64(),
		MemorySize:   jsii.Number(256),
		Environment:  &map[string]*string{"TABLE_NAME": jsii.String("orders")},
		ImageLayers: &[]cdklambdacontainer.ExtensionImageLayer{
			cdklambdacontainer.ExtensionImageLayer_FromDirectory(jsii.String(filepath.Join(examples, "layers", "telemetry")), nil),
		},
		Repository: repository,
	})

	app.Synth(nil)
}
