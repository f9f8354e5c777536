/**
 * The development options of `invoke`, `start-lambda` and `start-api`: `--reload` (code mounted,
 * see local/reload-plan.ts) and `--debug-port` (debuggers, see local/debug.ts), set up once at
 * start: what each function gets is said then, once.
 */
import { ImageFunction } from '../local/assembly';
import { DebugTarget, debugTargets, debugpyDirectory, formatDebugTargets, DEBUG_TIMEOUT_SECONDS, writeLaunchJson } from '../local/debug';
import { cdkExcluder, describePlan, Excluder, readReloadPlans, ReloadPlan } from '../local/reload-plan';

export interface DevelopmentOptions {
  /** Mount the code of functions that allow it; recycle their containers when it changes. */
  readonly reload?: boolean;
  /** The first debugger's port on 127.0.0.1 (the next functions take the following ports). */
  readonly debugPort?: number;
  /** Only these functions get a debugger. @default - every Node.js, Python and Java function */
  readonly debugFunction?: string[];
  /** A VS Code launch.json to write the attach configurations into. */
  readonly launchJson?: string;
}

export interface Development {
  /** Each function's plan by construct path (kept current by `refresh`). */
  readonly plans: Map<string, ReloadPlan>;
  readonly debugTargets?: ReadonlyMap<string, DebugTarget>;
  readonly excluded: Excluder;
  /** After a synth: the plans again. */
  refresh(functions: readonly ImageFunction[]): void;
}

/** `wait`: the debuggers wait for a client before the runtime starts (`invoke`). */
export async function developmentSetup(
  o: DevelopmentOptions, functions: readonly ImageFunction[], log: (line: string) => void, wait = false,
): Promise<Development> {
  const plans = readReloadPlans(functions);
  if (o.reload) {
    for (const plan of plans.values()) log(`cdk-lambda-container: reload: ${describePlan(plan)}`);
  }
  let targets: DebugTarget[] | undefined;
  if (o.debugPort !== undefined) {
    targets = debugTargets(functions, plans, o.debugPort, o.debugFunction ?? [], wait);
    if (targets.length === 0) {
      log('cdk-lambda-container: --debug-port: no Node.js, Python or Java function here to debug');
    } else {
      if (targets.some(t => t.language === 'python')) await debugpyDirectory();
      const how = wait ? 'the runtime waits for a debugger to attach' : 'one container per debugged function';
      log(`cdk-lambda-container: debuggers (${how}; the timeouts of a debugged function and its API are lifted to ${DEBUG_TIMEOUT_SECONDS} s):\n${formatDebugTargets(targets)}`);
      if (o.launchJson) {
        writeLaunchJson(o.launchJson, targets);
        log(`cdk-lambda-container: wrote ${targets.length} attach configuration(s) into ${o.launchJson}`);
      }
    }
  }
  return {
    plans,
    debugTargets: targets && new Map(targets.map(t => [t.fn, t])),
    excluded: cdkExcluder(),
    refresh(now) {
      const fresh = readReloadPlans(now);
      plans.clear();
      for (const [k, v] of fresh) plans.set(k, v);
    },
  };
}
