/**
 * The dated deprecation table for AWS Lambda base images, in one place.
 *
 * Dates are Lambda's published "deprecation" dates (after which AWS no longer applies security
 * patches to the runtime); `replacement` is what to move to. Amazon Linux 2 reaches end of life
 * on 2026-06-30, which also ends `provided.al2`. Update this table when AWS publishes new dates;
 * `test/private/runtime-deprecations.test.ts` checks that it stays well formed.
 */

import { WarningId, WarningIds } from '../warnings';

/** One row: a runtime family and version, its deprecation date and its replacement. */
export interface DeprecationEntry {
  /** Base image repository name under public.ecr.aws/lambda/ (python, nodejs, java, dotnet, ruby, provided, go). */
  readonly family: string;
  /** Version as used in the image tag (3.12, 22, 21, 8, 3.3, al2023). */
  readonly version: string;
  /** ISO date (YYYY-MM-DD) on which Lambda deprecates it. */
  readonly deprecatedOn: string;
  /** What to use instead. */
  readonly replacement: string;
  /** The operating system of the base image. */
  readonly os: 'Amazon Linux 1' | 'Amazon Linux 2' | 'Amazon Linux 2023';
}

export const AMAZON_LINUX_2_END_OF_LIFE = '2026-06-30';

/** How long before a deprecation date synth starts warning that it is coming. */
export const DEPRECATION_NOTICE_DAYS = 180;

export const DEPRECATIONS: readonly DeprecationEntry[] = [
  // Python
  { family: 'python', version: '3.8', deprecatedOn: '2024-10-14', replacement: 'BaseImage.python(\'3.13\')', os: 'Amazon Linux 2' },
  { family: 'python', version: '3.9', deprecatedOn: '2025-12-15', replacement: 'BaseImage.python(\'3.13\')', os: 'Amazon Linux 2' },
  { family: 'python', version: '3.10', deprecatedOn: '2026-06-30', replacement: 'BaseImage.python(\'3.13\')', os: 'Amazon Linux 2' },
  { family: 'python', version: '3.11', deprecatedOn: '2026-06-30', replacement: 'BaseImage.python(\'3.13\')', os: 'Amazon Linux 2' },
  { family: 'python', version: '3.12', deprecatedOn: '2028-10-31', replacement: 'BaseImage.python(\'3.14\')', os: 'Amazon Linux 2023' },
  { family: 'python', version: '3.13', deprecatedOn: '2029-06-30', replacement: 'BaseImage.python(\'3.14\')', os: 'Amazon Linux 2023' },
  { family: 'python', version: '3.14', deprecatedOn: '2029-06-30', replacement: 'a newer BaseImage.python version', os: 'Amazon Linux 2023' },
  // Node.js
  { family: 'nodejs', version: '16', deprecatedOn: '2024-06-12', replacement: 'BaseImage.nodejs(\'22\')', os: 'Amazon Linux 2' },
  { family: 'nodejs', version: '18', deprecatedOn: '2025-09-01', replacement: 'BaseImage.nodejs(\'22\')', os: 'Amazon Linux 2' },
  { family: 'nodejs', version: '20', deprecatedOn: '2026-04-30', replacement: 'BaseImage.nodejs(\'22\')', os: 'Amazon Linux 2023' },
  { family: 'nodejs', version: '22', deprecatedOn: '2027-04-30', replacement: 'BaseImage.nodejs(\'24\')', os: 'Amazon Linux 2023' },
  { family: 'nodejs', version: '24', deprecatedOn: '2028-04-30', replacement: 'a newer BaseImage.nodejs version', os: 'Amazon Linux 2023' },
  // Java
  { family: 'java', version: '8.al2', deprecatedOn: '2026-06-30', replacement: 'BaseImage.java(\'21\')', os: 'Amazon Linux 2' },
  { family: 'java', version: '11', deprecatedOn: '2026-06-30', replacement: 'BaseImage.java(\'21\')', os: 'Amazon Linux 2' },
  { family: 'java', version: '17', deprecatedOn: '2026-06-30', replacement: 'BaseImage.java(\'21\')', os: 'Amazon Linux 2' },
  { family: 'java', version: '21', deprecatedOn: '2029-06-30', replacement: 'BaseImage.java(\'25\')', os: 'Amazon Linux 2023' },
  { family: 'java', version: '25', deprecatedOn: '2029-06-30', replacement: 'a newer BaseImage.java version', os: 'Amazon Linux 2023' },
  // .NET
  { family: 'dotnet', version: '6', deprecatedOn: '2024-12-20', replacement: 'BaseImage.dotnet(\'10\')', os: 'Amazon Linux 2' },
  { family: 'dotnet', version: '8', deprecatedOn: '2026-11-10', replacement: 'BaseImage.dotnet(\'10\')', os: 'Amazon Linux 2023' },
  { family: 'dotnet', version: '9', deprecatedOn: '2026-11-10', replacement: 'BaseImage.dotnet(\'10\')', os: 'Amazon Linux 2023' },
  { family: 'dotnet', version: '10', deprecatedOn: '2028-11-14', replacement: 'a newer BaseImage.dotnet version', os: 'Amazon Linux 2023' },
  // Ruby
  { family: 'ruby', version: '3.2', deprecatedOn: '2026-03-31', replacement: 'BaseImage.ruby(\'3.4\')', os: 'Amazon Linux 2' },
  { family: 'ruby', version: '3.3', deprecatedOn: '2027-03-31', replacement: 'BaseImage.ruby(\'3.4\')', os: 'Amazon Linux 2023' },
  { family: 'ruby', version: '3.4', deprecatedOn: '2028-03-31', replacement: 'a newer BaseImage.ruby version', os: 'Amazon Linux 2023' },
  // OS-only
  { family: 'provided', version: 'alami', deprecatedOn: '2024-01-08', replacement: 'BaseImage.providedAl2023()', os: 'Amazon Linux 1' },
  { family: 'go', version: '1', deprecatedOn: '2024-01-08', replacement: 'BaseImage.providedAl2023() with aws-lambda-go', os: 'Amazon Linux 1' },
  { family: 'provided', version: 'al2', deprecatedOn: AMAZON_LINUX_2_END_OF_LIFE, replacement: 'BaseImage.providedAl2023()', os: 'Amazon Linux 2' },
  { family: 'provided', version: 'al2023', deprecatedOn: '2029-06-30', replacement: 'the next Amazon Linux base image', os: 'Amazon Linux 2023' },
];

/** Looks a family and version up in the table. */
export function findDeprecation(family: string, version: string): DeprecationEntry | undefined {
  return DEPRECATIONS.find(d => d.family === family && d.version === version);
}

/** A notice to show at synth for a base image, if any. */
export interface DeprecationNotice {
  /** Acknowledgeable warning id (without the `cdk-lambda-container:` prefix). */
  readonly id: WarningId;
  readonly message: string;
}

/**
 * What to tell the user about `family:version` on `today` (an ISO date): deprecated, soon
 * deprecated (within DEPRECATION_NOTICE_DAYS), and/or built on Amazon Linux 2 after its end of life.
 */
export function deprecationNotices(family: string, version: string, today: string): DeprecationNotice[] {
  const entry = findDeprecation(family, version);
  if (!entry) {
    return [];
  }
  const notices: DeprecationNotice[] = [];
  const image = `public.ecr.aws/lambda/${family}:${version}`;
  const days = daysBetween(today, entry.deprecatedOn);
  if (days <= 0) {
    notices.push({ id: WarningIds.RUNTIME_DEPRECATED, message: `${image} was deprecated by AWS Lambda on ${entry.deprecatedOn}: it gets no more security patches and new deployments may be blocked. Move to ${entry.replacement}.` });
  } else if (days <= DEPRECATION_NOTICE_DAYS) {
    notices.push({ id: WarningIds.RUNTIME_DEPRECATION_SOON, message: `${image} will be deprecated by AWS Lambda on ${entry.deprecatedOn} (in ${days} days). Plan the move to ${entry.replacement}.` });
  }
  if (entry.os === 'Amazon Linux 2' && daysBetween(today, AMAZON_LINUX_2_END_OF_LIFE) <= 0) {
    notices.push({ id: WarningIds.AMAZON_LINUX_2_END_OF_LIFE, message: `${image} is built on Amazon Linux 2, which reached end of life on ${AMAZON_LINUX_2_END_OF_LIFE}. Move to ${entry.replacement} (Amazon Linux 2023).` });
  }
  return notices;
}

/** Whole days from `from` to `to` (ISO dates); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86_400_000);
}
