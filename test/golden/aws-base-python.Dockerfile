FROM public.ecr.aws/lambda/python:3.12-x86_64
# Dependencies: their own layer, before the code, so a code change does not reinstall them.
COPY deps/requirements.txt ${LAMBDA_TASK_ROOT}/
RUN pip install --no-cache-dir --target "${LAMBDA_TASK_ROOT}" -r "${LAMBDA_TASK_ROOT}/requirements.txt"
# Function code: the most volatile layer, last.
COPY code/ ${LAMBDA_TASK_ROOT}/
CMD [ "lambda_function.handler" ]
