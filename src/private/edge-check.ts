/**
 * Lambda@Edge does not accept container-image functions. A CloudFront distribution can only name
 * a function version, so the check runs once per app at synth: it looks for versions of any
 * container function among the distributions' Lambda@Edge associations.
 */
import { Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

const registered = new WeakMap<IConstruct, Set<lambda.Function>>();

/** Registers an image function; the first registration in an app adds the app-wide check. */
export function registerEdgeCheck(fn: lambda.Function): void {
  const root = fn.node.root;
  let functions = registered.get(root);
  if (!functions) {
    functions = new Set();
    registered.set(root, functions);
    const all = functions;
    root.node.addValidation({ validate: () => findEdgeUses(root, all) });
  }
  functions.add(fn);
}

function findEdgeUses(root: IConstruct, functions: Set<lambda.Function>): string[] {
  const nodes = root.node.findAll();
  const distributions = nodes.filter((c): c is cloudfront.CfnDistribution => c instanceof cloudfront.CfnDistribution);
  if (distributions.length === 0) return [];
  const versions = nodes.filter((c): c is lambda.Version => c instanceof lambda.Version && functions.has(c.lambda as lambda.Function));
  if (versions.length === 0) return [];
  const errors: string[] = [];
  for (const distribution of distributions) {
    const config = JSON.stringify(Stack.of(distribution).resolve(distribution.distributionConfig) ?? {});
    const associations = [...config.matchAll(/"LambdaFunctionAssociations":\[(.*?)\]/gi)].map(m => m[1]).join(',');
    for (const version of versions) {
      const cfn = version.node.defaultChild as lambda.CfnVersion;
      const logicalId = Stack.of(version).resolve(cfn.logicalId);
      if (associations.includes(`"${logicalId}"`)) {
        errors.push(`${version.lambda.node.path}: invalid use with Lambda@Edge (distribution ${distribution.node.path}): Lambda@Edge does not accept container-image functions. Fix: use a .zip function (cloudfront.experimental.EdgeFunction) for the edge, or call this function from a regular origin.`);
      }
    }
  }
  return errors;
}
