module example.com/ric-sizes/hello

go 1.24

require github.com/aws/aws-lambda-go v1.54.0
