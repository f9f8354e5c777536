FROM python:3.12-slim AS build
# Build stage: the python Runtime Interface Client and the dependencies; compilers and caches stay here.
RUN pip install --no-cache-dir --target "/function" awslambdaric==3.1.1
WORKDIR /function
COPY deps/requirements.txt /function/
RUN pip install --no-cache-dir --target "/function" -r "/function/requirements.txt"

FROM python:3.12-slim
COPY --from=build /function /function
# Function code: the most volatile layer, last.
COPY code/ /function/
WORKDIR /function
ENTRYPOINT [ "/usr/local/bin/python", "-m", "awslambdaric" ]
CMD [ "lambda_function.handler" ]
