/**
 * A model of Amazon ECR's lifecycle policy evaluation, written from its documented rules
 * ("Lifecycle policy evaluation rules" in the ECR user guide), to evaluate the policy the
 * SharedImageRepository renders:
 *
 * - rules are evaluated from the lowest rulePriority to the highest;
 * - an image is expired by exactly one or zero rules;
 * - an image that matches the tagging requirements of a higher-priority rule cannot be expired by
 *   a rule with a lower priority; lower rules still count it ("can still identify them as if they
 *   haven't been expired");
 * - tagPrefixList / tagPatternList match when every entry of the list matches one of the image's
 *   tags (`*` is a wildcard in patterns); tagStatus `untagged` selects images without tags, `any`
 *   every image;
 * - imageCountMoreThan: images sorted from the newest push to the oldest, all beyond the count
 *   expire; sinceImagePushed: images pushed more than countNumber days ago expire.
 */
import type { LifecyclePolicyDocument, LifecyclePolicyRule } from '../src/private/lifecycle-policy';

export interface ModelImage {
  readonly digest: string;
  readonly tags: readonly string[];
  /** Push time, in days since an arbitrary epoch. */
  readonly pushedAt: number;
}

const patterns = new Map<string, RegExp>();

function patternMatches(pattern: string, tag: string): boolean {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map(p => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    patterns.set(pattern, re);
  }
  return re.test(tag);
}

/** Whether the rule's tagging requirements select the image. */
export function selects(rule: LifecyclePolicyRule, image: ModelImage): boolean {
  const s = rule.selection;
  switch (s.tagStatus) {
    case 'any': return true;
    case 'untagged': return image.tags.length === 0;
    case 'tagged':
      if (image.tags.length === 0) return false;
      if (s.tagPrefixList) return s.tagPrefixList.every(prefix => image.tags.some(t => t.startsWith(prefix)));
      if (s.tagPatternList) return s.tagPatternList.every(pattern => image.tags.some(t => patternMatches(pattern, t)));
      throw new Error(`rule ${rule.rulePriority}: tagged needs tagPrefixList or tagPatternList`);
  }
}

/** The digests a lifecycle run at time `now` (days) expires. */
export function evaluateLifecycle(policy: LifecyclePolicyDocument, images: readonly ModelImage[], now: number): Set<string> {
  const rules = [...policy.rules].sort((a, b) => a.rulePriority - b.rulePriority);
  validatePolicy(rules);
  const expired = new Set<string>();
  rules.forEach((rule, index) => {
    const higher = rules.slice(0, index);
    const selected = images.filter(image => selects(rule, image));
    let candidates: ModelImage[];
    if (rule.selection.countType === 'imageCountMoreThan') {
      candidates = [...selected].sort((a, b) => b.pushedAt - a.pushedAt).slice(rule.selection.countNumber);
    } else {
      candidates = selected.filter(image => now - image.pushedAt > rule.selection.countNumber);
    }
    for (const image of candidates) {
      if (expired.has(image.digest)) continue;
      if (higher.some(h => selects(h, image))) continue;
      expired.add(image.digest);
    }
  });
  return expired;
}

/** What ECR's PutLifecyclePolicy refuses. */
function validatePolicy(rules: LifecyclePolicyRule[]): void {
  const priorities = new Set(rules.map(r => r.rulePriority));
  if (priorities.size !== rules.length) throw new Error('rule priorities must be unique');
  const anyIndex = rules.findIndex(r => r.selection.tagStatus === 'any');
  if (anyIndex >= 0 && anyIndex !== rules.length - 1) throw new Error('a tagStatus any rule must have the highest priority');
  if (rules.filter(r => r.selection.tagStatus === 'untagged').length > 1) throw new Error('only one rule may select untagged images');
  const prefixSets = rules.filter(r => r.selection.tagPrefixList).map(r => JSON.stringify([...r.selection.tagPrefixList!].sort()));
  if (new Set(prefixSets).size !== prefixSets.length) throw new Error('rules must have unique tag prefix sets');
}
