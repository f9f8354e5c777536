FROM node:22-bookworm-slim AS build
# Build stage: the nodejs Runtime Interface Client and the dependencies; compilers and caches stay here.
RUN apt-get update \
    && apt-get install -y --no-install-recommends g++ make cmake unzip autoconf automake libtool python3 libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /ric \
    && npm install --prefix /ric --no-audit --no-fund aws-lambda-ric@3.3.0 \
    && npm cache clean --force
WORKDIR /function
COPY deps/package.json deps/package-lock.json /function/
RUN npm ci --omit=dev --no-audit --no-fund \
    && npm cache clean --force

FROM node:22-bookworm-slim
COPY --from=build /ric /ric
COPY --from=build /function /function
# Function code: the most volatile layer, last.
COPY code/ /function/
WORKDIR /function
ENTRYPOINT [ "/usr/local/bin/node", "/ric/node_modules/aws-lambda-ric/index.mjs" ]
CMD [ "index.handler" ]
