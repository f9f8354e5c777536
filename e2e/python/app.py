"""A CDK app in Python on the jsii binding of cdk-lambda-container (e2e/bindings.e2e.ts):
a SharedImageRepository in its own stack, and an arm64 function on the AWS Python base image with
an extension layer and its image routed into that repository. The same app in TypeScript is in
the test; both must synthesize the same templates.

Usage: python app.py <examples directory> <cloud assembly directory>
"""
import os
import sys

import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_
from cdk_lambda_container import (
    BaseImage,
    ExtensionImageLayer,
    LambdaContainerFunction,
    SharedImageRepository,
    SharedImageRepositorySynthesizer,
)

examples, outdir = sys.argv[1], sys.argv[2]
app = cdk.App(outdir=outdir, default_stack_synthesizer=SharedImageRepositorySynthesizer())

images = cdk.Stack(app, "BindingImages")
repository = SharedImageRepository(
    images,
    "Repository",
    repository_name="binding",
    removal_policy=cdk.RemovalPolicy.DESTROY,
    empty_on_delete=True,
)

functions = cdk.Stack(app, "BindingFunctions")
LambdaContainerFunction(
    functions,
    "ListOrders",
    base_image=BaseImage.python("3.13"),
    entry=os.path.join(examples, "functions", "orders"),
    cmd=["app.list_orders"],
    architecture=lambda_.Architecture.ARM_64,
    memory_size=256,
    environment={"TABLE_NAME": "orders"},
    image_layers=[ExtensionImageLayer.from_directory(os.path.join(examples, "layers", "telemetry"))],
    repository=repository,
)

app.synth()
