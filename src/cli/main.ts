#!/usr/bin/env node
/**
 * cdk-lambda-container: local tooling for container-image functions in a cloud assembly.
 * Not part of the jsii API; shipped as the package's `bin`.
 */
import * as fs from 'fs';
import { parseArgs } from 'util';
import { buildFunction } from './build';
import { EVENT_KINDS, generateEvent } from './events';
import { formatLayers, functionLayers } from './image-history';
import { checkPayload, formatTimings, InvocationType, runtimeFailure, startFunction } from './invoke';
import { summarize } from './summary';

const USAGE = `Usage: cdk-lambda-container <command> [options]

Commands:
  summary [--app cdk.out]                 each container-image function: image source, architecture,
                                          ImageConfig, Dockerfile and asset hash
  build <function> [--app cdk.out]        build the function's image as cdk-assets would
                                          (engine: CDK_DOCKER, else docker, finch or podman)
  invoke <function> --event <file|-> [--app cdk.out] [--invocation-type RequestResponse|Event]
         [--endpoint-url URL] [--rie PATH] [--no-build] [--repeat N]
                                          run the image under the Runtime Interface Emulator with the
                                          function's ImageConfig, environment, memory and timeout;
                                          --repeat sends the event N times to one container (the
                                          first cold, the others warm) and prints their timings
  layers <function> [--app cdk.out] [--no-build]
                                          the image's layers, their size and step, and which ones a
                                          code-only change rebuilds
  generate-event <${EVENT_KINDS.join('|')}> [--bucket B] [--key K] [--body JSON] [--region R]
                                          print a sample event

<function> is a construct path (Stack/Fn), its last part (Fn) or a logical ID.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'app': { type: 'string', default: 'cdk.out' },
      'event': { type: 'string' },
      'invocation-type': { type: 'string', default: 'RequestResponse' },
      'endpoint-url': { type: 'string' },
      'rie': { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      'repeat': { type: 'string', default: '1' },
      'bucket': { type: 'string' },
      'key': { type: 'string' },
      'body': { type: 'string' },
      'region': { type: 'string' },
      'help': { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, target] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 1 : 0;
  }
  switch (command) {
    case 'summary':
      console.log(summarize(target ?? values.app!));
      return 0;
    case 'build': {
      const result = buildFunction(values.app!, required(target, 'function'));
      console.error(`cdk-lambda-container: built ${result.tag} with ${result.engine} in ${result.seconds.toFixed(1)} s`);
      return 0;
    }
    case 'invoke': {
      const invocationType = values['invocation-type'] as InvocationType;
      if (invocationType !== 'RequestResponse' && invocationType !== 'Event') {
        throw new Error(`--invocation-type must be RequestResponse or Event, not "${invocationType}"`);
      }
      const eventFile = required(values.event, '--event');
      const event = eventFile === '-' ? fs.readFileSync(0) : fs.readFileSync(eventFile);
      checkPayload(event.length, invocationType); // before a container starts
      const repeat = Number(values.repeat);
      if (!Number.isInteger(repeat) || repeat < 1) {
        throw new Error(`--repeat must be a whole number of at least 1, not "${values.repeat}"`);
      }
      const running = await startFunction(values.app!, required(target, 'function'), {
        endpointUrl: values['endpoint-url'],
        rie: values.rie,
        build: !values['no-build'],
        region: values.region,
      });
      try {
        const results = [];
        for (let i = 0; i < repeat; i++) {
          results.push(await running.invoke(event, invocationType));
        }
        const logs = await running.logs(repeat);
        process.stderr.write(logs);
        const last = results[results.length - 1];
        // The RIE answers an empty body when the runtime died; Lambda answers an error object.
        const failure = invocationType === 'RequestResponse' && results.some(r => r.body === '') ? runtimeFailure(logs) : undefined;
        console.log(failure ? JSON.stringify(failure) : last.body);
        process.stderr.write(formatTimings(running, results) + '\n');
        return !failure && results.every(r => r.statusCode < 300) ? 0 : 1;
      } finally {
        running.stop();
      }
    }
    case 'layers': {
      const { title, rows } = functionLayers(values.app!, required(target, 'function'), { build: !values['no-build'] });
      console.log(formatLayers(title, rows));
      return 0;
    }
    case 'generate-event':
      console.log(JSON.stringify(generateEvent(required(target, 'event kind'), { bucket: values.bucket, key: values.key, body: values.body, region: values.region }), null, 2));
      return 0;
    default:
      console.error(`cdk-lambda-container: unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new Error(`missing ${what}. Run \`cdk-lambda-container --help\`.`);
  return value;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => { process.exitCode = code; }, (e: Error) => {
    console.error(`cdk-lambda-container: ${e.message}`);
    process.exitCode = e.name === 'RequestEntityTooLargeError' || (e as { statusCode?: number }).statusCode === 413 ? 2 : 1;
  });
}
