/**
 * The shared repository's lifecycle policy, as pure data (no CDK imports): what is rendered into
 * the template is exactly what the tests evaluate with their model of ECR's rule semantics.
 *
 * Rules, in priority order:
 *  1. images that carry an in-use marker tag (`inuse-…`, one per deployed function and image):
 *     "an image that matches the tagging requirements of a higher-priority rule cannot be expired
 *     by a lower-priority rule", so no later rule can expire them;
 *  2. one rule per image lineage (`<lineage>-<content hash>` tags): keep the newest N, for rollbacks;
 *  3. everything else (untagged images, lineages no longer in the app, tags pushed by hand):
 *     expire D days after the push.
 */

/** Prefix of the tags that mark an image a deployed function uses. */
export const IN_USE_TAG_PREFIX = 'inuse-';

/**
 * Count of the in-use rule: ECR has no "keep" action, so rule 1 keeps the newest 9999 marked
 * images (it is there to claim them, not to expire them).
 */
export const IN_USE_KEEP_COUNT = 9999;

/** ECR's quota on the characters of a lifecycle policy. */
export const LIFECYCLE_POLICY_MAX_CHARS = 30_720;

export interface LifecycleSelection {
  readonly tagStatus: 'tagged' | 'untagged' | 'any';
  readonly tagPrefixList?: string[];
  readonly tagPatternList?: string[];
  readonly countType: 'imageCountMoreThan' | 'sinceImagePushed';
  readonly countUnit?: 'days';
  readonly countNumber: number;
}

export interface LifecyclePolicyRule {
  readonly rulePriority: number;
  readonly description: string;
  readonly selection: LifecycleSelection;
  readonly action: { readonly type: 'expire' };
}

export interface LifecyclePolicyDocument {
  readonly rules: LifecyclePolicyRule[];
}

export interface LifecyclePolicyOptions {
  /** Tag prefixes of the lineages (each `<lineage>-`), in any order. */
  readonly lineagePrefixes: readonly string[];
  /** Images kept per lineage (newest first), beyond those in use. */
  readonly keepPerLineage: number;
  /** Days after which images no rule above keeps expire. */
  readonly expireOthersAfterDays: number;
}

export function lifecyclePolicy(options: LifecyclePolicyOptions): LifecyclePolicyDocument {
  const expire = { type: 'expire' } as const;
  const lineages = [...new Set(options.lineagePrefixes)].sort();
  return {
    rules: [
      {
        rulePriority: 1,
        description: 'Images a deployed function uses (in-use marker tags): claimed here, so no later rule expires them',
        selection: { tagStatus: 'tagged', tagPatternList: [`${IN_USE_TAG_PREFIX}*`], countType: 'imageCountMoreThan', countNumber: IN_USE_KEEP_COUNT },
        action: expire,
      },
      ...lineages.map((prefix, i): LifecyclePolicyRule => ({
        rulePriority: 10 + i,
        description: `Lineage ${prefix.replace(/-$/, '')}: keep the newest ${options.keepPerLineage} for rollbacks`,
        selection: { tagStatus: 'tagged', tagPrefixList: [prefix], countType: 'imageCountMoreThan', countNumber: options.keepPerLineage },
        action: expire,
      })),
      {
        rulePriority: 10 + lineages.length,
        description: `Untagged images and images no rule above keeps: expire ${options.expireOthersAfterDays} days after the push`,
        selection: { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: options.expireOthersAfterDays },
        action: expire,
      },
    ],
  };
}

/** The policy as ECR's LifecyclePolicyText. */
export function lifecyclePolicyText(options: LifecyclePolicyOptions): string {
  return JSON.stringify(lifecyclePolicy(options));
}
