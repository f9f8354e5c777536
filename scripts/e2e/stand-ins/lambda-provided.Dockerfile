# Stand-in for public.ecr.aws/lambda/provided:al2023: an OS with curl, the RIE and /lambda-entrypoint.sh.
ARG BASE=localhost/e2e-base:bookworm
FROM ${BASE}
COPY aws-lambda-rie /usr/local/bin/aws-lambda-rie
COPY lambda-entrypoint.sh /lambda-entrypoint.sh
ENV LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime
WORKDIR /var/task
ENTRYPOINT [ "/lambda-entrypoint.sh" ]
