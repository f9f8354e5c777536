// Stand-in for the Node.js base image's runtime client (/var/runtime in public.ecr.aws/lambda/nodejs,
// which cannot be pulled here; aws-lambda-ric would need a C++ build for a stand-in). What the
// integ-tests-alpha assertion provider and the CDK custom resource handlers use: `_HANDLER`
// (module.function, from LAMBDA_TASK_ROOT), async and callback handlers, the context object, error
// reports and init errors, over the Lambda Runtime API (the RIE or the emulator's).
'use strict';
const path = require('path');

const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;

function errorBody(err) {
  const e = err instanceof Error ? err : new Error(String(err));
  return JSON.stringify({ errorType: e.name || 'Error', errorMessage: e.message, trace: String(e.stack || '').split('\n') });
}

async function post(url, body, headers = {}) {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  await res.arrayBuffer();
}

async function loadHandler() {
  const handler = process.env._HANDLER || '';
  const dot = handler.lastIndexOf('.');
  if (dot < 1) throw Object.assign(new Error(`Bad handler ${handler}`), { name: 'Runtime.MalformedHandlerName' });
  const file = path.resolve(process.env.LAMBDA_TASK_ROOT || '/var/task', handler.slice(0, dot));
  let mod;
  try {
    mod = require(file);
  } catch (err) {
    if (err && err.code === 'ERR_REQUIRE_ESM') mod = await import(`${file}.mjs`);
    else throw Object.assign(err, { name: err.code === 'MODULE_NOT_FOUND' ? 'Runtime.ImportModuleError' : err.name });
  }
  const fn = mod[handler.slice(dot + 1)];
  if (typeof fn !== 'function') throw Object.assign(new Error(`${handler} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  return fn;
}

function invokeHandler(fn, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (err, result) => (err ? reject(err) : resolve(result));
    try {
      const out = fn(event, context, callback);
      if (out && typeof out.then === 'function') out.then(resolve, reject);
      else if (fn.length < 3) resolve(out);
    } catch (err) {
      reject(err);
    }
  });
}

async function main() {
  let fn;
  try {
    fn = await loadHandler();
  } catch (err) {
    console.error(err);
    await post(`${api}/init/error`, errorBody(err), { 'Lambda-Runtime-Function-Error-Type': err.name || 'Runtime.Unknown' });
    process.exit(1);
  }
  for (;;) {
    const next = await fetch(`${api}/invocation/next`);
    const id = next.headers.get('lambda-runtime-aws-request-id');
    const deadline = Number(next.headers.get('lambda-runtime-deadline-ms'));
    const event = JSON.parse(await next.text());
    const context = {
      awsRequestId: id,
      invokedFunctionArn: next.headers.get('lambda-runtime-invoked-function-arn'),
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    try {
      const result = await invokeHandler(fn, event, context);
      await post(`${api}/invocation/${id}/response`, JSON.stringify(result === undefined ? null : result));
    } catch (err) {
      console.error(err);
      await post(`${api}/invocation/${id}/error`, errorBody(err), { 'Lambda-Runtime-Function-Error-Type': (err && err.name) || 'Error' });
    }
  }
}

main();
