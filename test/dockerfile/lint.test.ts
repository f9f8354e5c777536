import { lintDockerfile } from '../../src/dockerfile/lint';

const rules = (text: string) => lintDockerfile(text).map(f => `${f.line}:${f.severity}:${f.rule}`);

describe('lintDockerfile', () => {
  test('a Dockerfile as AWS advises has no finding', () => {
    expect(rules([
      'FROM public.ecr.aws/lambda/python:3.13 AS build',
      'RUN dnf install -y gcc',
      'FROM public.ecr.aws/lambda/python:3.13',
      'COPY requirements.txt ${LAMBDA_TASK_ROOT}/',
      'RUN pip install -r requirements.txt --target ${LAMBDA_TASK_ROOT}',
      'COPY . ${LAMBDA_TASK_ROOT}/',
      'WORKDIR /var/task',
      'ENTRYPOINT ["/lambda-entrypoint.sh"]',
      'CMD ["app.handler"]',
    ].join('\n'))).toEqual([]);
  });

  test('credentials in ARG or ENV are errors, by name or by value, in any stage', () => {
    expect(rules([
      'FROM alpine AS fetch',
      'ARG AWS_SECRET_ACCESS_KEY',
      'ENV DB_PASSWORD=hunter2 REGION=us-east-1',
      'FROM public.ecr.aws/lambda/python:3.13',
      'ENV KEY_ID AKIAIOSFODNN7EXAMPLE',
      'ENV LOG_LEVEL=debug',
    ].join('\n'))).toEqual(['2:error:credentials', '3:error:credentials', '5:error:credentials']);
  });

  test('relative ENTRYPOINT and WORKDIR in the final stage are warnings', () => {
    expect(rules('FROM x\nWORKDIR app\nENTRYPOINT ["bootstrap"]\n')).toEqual(['2:warning:relativeWorkdir', '3:warning:relativeEntrypoint']);
    expect(rules('FROM x\nENTRYPOINT ./run.sh\n')).toEqual(['2:warning:relativeEntrypoint']);
    expect(rules('FROM x\nENTRYPOINT ["${RUNTIME}"]\n')).toEqual([]);
  });

  test('instructions Lambda ignores', () => {
    expect(rules('FROM x\nEXPOSE 8080\nHEALTHCHECK CMD true\nVOLUME /data\nSTOPSIGNAL SIGTERM\n'))
      .toEqual(['2:warning:ignoredInstruction', '3:warning:ignoredInstruction', '4:warning:ignoredInstruction', '5:warning:ignoredInstruction']);
  });

  test('a single-stage build that installs compilers', () => {
    expect(rules('FROM debian:12\nRUN apt-get update && apt-get install -y build-essential python3\n')).toEqual(['2:warning:singleStageCompilers']);
    expect(rules('FROM x AS build\nRUN apt-get install -y gcc\nFROM y\n')).toEqual([]);
  });

  test('code copied before the dependencies are installed', () => {
    const findings = lintDockerfile('FROM x\nCOPY . /var/task/\nRUN npm ci --omit=dev\n');
    expect(findings.map(f => f.rule)).toEqual(['codeBeforeDependencies']);
    expect(findings[0].message).toMatch(/line 2/);
    expect(rules('FROM x\nCOPY --from=build . /var/task/\nRUN pip install -r r.txt\n')).toEqual([]);
  });
});
