/**
 * Names in a shared image repository, as pure functions (no CDK imports): repository names ECR
 * accepts, the lineage tag prefix of an image, its content-addressed tag, and the checks of the
 * repository's props.
 */
import * as crypto from 'crypto';
import { Problem } from './problems';

/** ECR's repository name rule (CreateRepository). */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const LINEAGE_SLUG_MAX = 40;

export function checkRepositoryName(name: string): Problem[] {
  if (name.length < 2 || name.length > 256 || !REPOSITORY_NAME.test(name)) {
    return [{
      prop: 'repositoryName',
      value: JSON.stringify(name),
      message: 'ECR accepts 2 to 256 characters of lowercase letters, digits and . _ - (not at the start or end of a part), with / between parts',
      fix: `use a name such as ${JSON.stringify(suggestRepositoryName(name))}`,
    }];
  }
  return [];
}

/** The name the CDK bootstrap template gives its container assets repository: cdk-<qualifier>-container-assets-<account>-<region>. */
const BOOTSTRAP_REPOSITORY = /^cdk-.+-container-assets-/;

/**
 * Refuses a CDK bootstrap repository: its images belong to every app deployed to the environment,
 * `cdk gc` deletes those no deployed template names (in-use markers or not), and its lifecycle is
 * the bootstrap stack's.
 */
export function checkNotBootstrapRepository(name: string): Problem[] {
  if (!BOOTSTRAP_REPOSITORY.test(name)) return [];
  return [{
    prop: 'repositoryName',
    value: JSON.stringify(name),
    message: 'it is a CDK bootstrap repository (cdk-<qualifier>-container-assets-<account>-<region>), whose images belong to every app deployed to '
      + 'its environment: `cdk gc` deletes the images no deployed template names, whatever their in-use markers, and its lifecycle is the bootstrap stack\'s',
    fix: 'create a SharedImageRepository for this app\'s images (in a stack of its own), or leave repository out and images go to the bootstrap repository as in plain CDK',
  }];
}

export function checkAccounts(prop: string, accounts: readonly string[]): Problem[] {
  return accounts.filter(a => !/^\d{12}$/.test(a)).map(a => ({
    prop,
    value: JSON.stringify(a),
    message: 'an AWS account ID is exactly 12 digits',
    fix: 'give the 12-digit account ID of each account whose functions pull from the repository (aws sts get-caller-identity shows it)',
  }));
}

export function checkWholeNumber(prop: string, value: number, min: number, meaning: string): Problem[] {
  if (!Number.isInteger(value) || value < min) {
    return [{ prop, value: String(value), message: `${meaning} must be a whole number of at least ${min}`, fix: `set ${prop} to ${min} or more` }];
  }
  return [];
}

/** A repository name derived from a construct path: lowercase, ECR-safe, unique per path. */
export function defaultRepositoryName(constructPath: string): string {
  return `${slug(constructPath, 200) || 'images'}-${shortHash(constructPath, 8)}`;
}

function suggestRepositoryName(name: string): string {
  const s = slug(name, 200) || 'images';
  return s.length >= 2 ? s : `${s}-images`;
}

/**
 * The tag prefix of an image lineage (the images one function or layer image gets over time):
 * `<slug>_<hash>-`. Slugs hold only [a-z0-9.], so no lineage's prefix is a prefix of another
 * lineage's tags, nor of the in-use markers (`inuse-…`).
 */
export function lineageTagPrefix(constructPath: string): string {
  return `${slug(constructPath, LINEAGE_SLUG_MAX) || 'image'}_${shortHash(constructPath, 6)}-`;
}

/** The content-addressed tag of an image: its lineage prefix and the asset's source hash. */
export function contentTag(prefix: string, sourceHash: string): string {
  return `${prefix}${sourceHash}`;
}

function slug(text: string, max: number): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '.').replace(/^\.+|\.+$/g, '').slice(0, max).replace(/\.+$/, '');
}

function shortHash(text: string, length: number): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, length);
}
