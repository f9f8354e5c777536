# Stand-in for public.ecr.aws/lambda/python (which cannot be pulled here): Debian's Python with
# awslambdaric and boto3 in /var/runtime, the RIE, /lambda-entrypoint.sh and the Lambda layout.
ARG BASE=localhost/e2e-base:bookworm
FROM ${BASE}
# As in AWS's image, the runtime's boto3 is importable by the image's python3 (build stages use it).
RUN rm -f /usr/lib/python3*/EXTERNALLY-MANAGED \
    && pip install --no-cache-dir --target /var/runtime awslambdaric==3.1.1 boto3 \
    && echo /var/runtime > /usr/lib/python3/dist-packages/lambda-runtime.pth
COPY aws-lambda-rie /usr/local/bin/aws-lambda-rie
COPY lambda-entrypoint.sh /lambda-entrypoint.sh
COPY python-bootstrap /var/runtime/bootstrap
ENV LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime LANG=C.UTF-8
WORKDIR /var/task
ENTRYPOINT [ "/lambda-entrypoint.sh" ]
