/**
 * A small linter for the Dockerfiles users bring (generated ones follow these rules by
 * construction). Pure: text in, findings out; the construct turns them into Annotations at synth.
 */
import { envVariables, execFormArgs, parseDockerfile } from './parse';

export type LintSeverity = 'error' | 'warning';

/** The rules (warnings are reported as `cdk-lambda-container:dockerfile<Rule>`, see WarningIds). */
export type LintRule = 'credentials' | 'relativeEntrypoint' | 'relativeWorkdir' | 'ignoredInstruction' | 'singleStageCompilers' | 'codeBeforeDependencies';

export interface LintFinding {
  readonly rule: LintRule;
  readonly severity: LintSeverity;
  /** 1-based line of the instruction's first line. */
  readonly line: number;
  readonly message: string;
  readonly fix: string;
}

const SECRET_NAME = /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN)$|SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;
const SECRET_VALUE = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;
const IGNORED_BY_LAMBDA = ['EXPOSE', 'HEALTHCHECK', 'VOLUME', 'STOPSIGNAL'];
const COMPILERS = /\b(apt-get|apt|yum|dnf|microdnf|apk)\b[^;&|]*\b(install|add)\b[^;&|]*(\s|^)(gcc|g\+\+|gcc-c\+\+|make|build-essential|build-base|clang|cmake|golang|rust|cargo|maven|gradle|python3?-devel|python3?-dev|libc6?-dev)(\s|$)/;
const INSTALLS_DEPENDENCIES = /\b(pip3?\s+install|npm\s+(ci|install)|yarn(\s+install)?\b|pnpm\s+install|bundle\s+install|go\s+mod\s+download|mvn\b|gradle\b|dotnet\s+restore|poetry\s+install|composer\s+install)/;

/** Names (and values) an ARG or ENV instruction sets. */
function variables(keyword: string, body: string, escape: string): Array<[string, string]> {
  if (keyword === 'ENV') return envVariables(body, escape);
  return body.split(/\s+/).filter(Boolean).map(arg => {
    const [name, ...rest] = arg.split('=');
    return [name, rest.join('=')];
  });
}

/** The first element of an exec-form (JSON) argument list, or the first word of a shell form. */
function firstArgument(body: string): string {
  return execFormArgs(body)?.[0] ?? body.split(/\s+/)[0] ?? '';
}

/** Lints a Dockerfile meant for a Lambda function. */
export function lintDockerfile(text: string): LintFinding[] {
  const { instructions, escape } = parseDockerfile(text);
  const findings: LintFinding[] = [];
  const lastStage = Math.max(0, ...instructions.map(i => i.stage));
  const stages = lastStage + 1;
  let codeCopiedAt: number | undefined;

  for (const ins of instructions) {
    const final = ins.stage === lastStage;
    if (ins.keyword === 'ARG' || ins.keyword === 'ENV') {
      for (const [name, value] of variables(ins.keyword, ins.body, escape)) {
        if (SECRET_NAME.test(name) || SECRET_VALUE.test(value)) {
          findings.push({
            rule: 'credentials',
            severity: 'error',
            line: ins.line,
            message: `${ins.keyword} ${name} looks like a credential, and ${ins.keyword === 'ARG' ? 'build arguments are recorded in the image history and the asset manifest' : 'ENV values are stored in the image config'}`,
            fix: 'pass it as a build secret (RUN --mount=type=secret,id=…) in a build stage, and never into the final image',
          });
        }
      }
    }
    if (!final) continue;
    if (ins.keyword === 'ENTRYPOINT') {
      const value = firstArgument(ins.body);
      if (value && !value.startsWith('/') && !value.startsWith('$')) {
        findings.push({ rule: 'relativeEntrypoint', severity: 'warning', line: ins.line, message: `ENTRYPOINT ${JSON.stringify(value)} is not an absolute path, and Lambda fails with Runtime.InvalidEntrypoint when it cannot find it`, fix: `give the absolute path of the executable (e.g. /usr/local/bin/${value.split('/').pop()})` });
      }
    }
    if (ins.keyword === 'WORKDIR' && !ins.body.startsWith('/') && !ins.body.startsWith('$')) {
      findings.push({ rule: 'relativeWorkdir', severity: 'warning', line: ins.line, message: `WORKDIR ${ins.body} is relative: it depends on every WORKDIR before it`, fix: 'give an absolute path' });
    }
    if (IGNORED_BY_LAMBDA.includes(ins.keyword)) {
      findings.push({ rule: 'ignoredInstruction', severity: 'warning', line: ins.line, message: `Lambda ignores ${ins.keyword} (it honours only ENTRYPOINT, CMD, WORKDIR and ENV of the image config)`, fix: `remove ${ins.keyword}` });
    }
    const script = [ins.body, ...ins.heredocs.map(h => h.content)].join('\n');
    if (ins.keyword === 'RUN' && stages === 1 && COMPILERS.test(script)) {
      findings.push({ rule: 'singleStageCompilers', severity: 'warning', line: ins.line, message: 'a single-stage build installs compilers or build tools, which then ship in the function image (bigger, slower cold starts, more to patch)', fix: 'build in a stage of its own (FROM … AS build) and COPY --from=build only the results' });
    }
    if ((ins.keyword === 'COPY' || ins.keyword === 'ADD') && !ins.flags.some(f => f.startsWith('--from='))) {
      const sources = (execFormArgs(ins.body) ?? ins.body.split(/\s+/)).slice(0, -1);
      if (sources.some(s => s === '.' || s === './') && codeCopiedAt === undefined) codeCopiedAt = ins.line;
    }
    if (ins.keyword === 'RUN' && codeCopiedAt !== undefined && INSTALLS_DEPENDENCIES.test(script)) {
      findings.push({ rule: 'codeBeforeDependencies', severity: 'warning', line: ins.line, message: `dependencies are installed after the whole context was copied (line ${codeCopiedAt}), so every code change reinstalls them`, fix: 'copy the dependency manifest (and lockfile) first, install, then copy the code' });
      codeCopiedAt = undefined; // once per copy
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}
