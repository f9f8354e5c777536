'use strict';
/**
 * The in-use marker of a shared image repository: a CloudFormation custom resource of each
 * function whose image is in a SharedImageRepository (aws-cdk-lib's CustomResourceProvider runs it
 * on Node.js with the AWS SDK v3 of the Lambda runtime).
 *
 * Create / Update: finds the digest of the function's content tag (BatchGetImage) and adds a
 * marker tag to that same manifest (PutImage): `<prefix><function key>-<digest>`, the function key
 * a hash of the stack ID and the resource's logical ID. The marker is the physical ID, so a new
 * image means a new physical ID, and CloudFormation deletes the old marker only in the cleanup
 * phase of a successful update (after the function has moved to the new image); a failed update
 * rolls back by deleting the new marker, and the old one was never touched. The function depends
 * on this resource, so its image is marked before the function is pointed at it.
 *
 * Delete: removes the marker tag (BatchDeleteImage by tag untags: the image keeps its content tag,
 * which is immutable, so it is not deleted).
 *
 * A published version's marker (`Kind: 'version'`, one per AWS::Lambda::Version, which depends on
 * it) marks the function's content tag on Create, before the version is published from the
 * function. An Update never moves it: CloudFormation publishes a version again only when it
 * replaces the version's resource, and the construct gives a replaced version a marker with a new
 * logical ID, so an Update means the version still runs the image marked at Create. Its tag's key
 * also names the Create's request, so a marker made again under the same logical ID (a revert, once
 * the old version is retained) never shares a tag with a retained one that another version needs.
 *
 * Markers are never moved, so every tag in the repository can stay immutable.
 */
const crypto = require('crypto');

/** Manifest types an image function can use, and the index types a BatchGetImage may find. */
const ACCEPTED_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
];

/**
 * The marker tag: `<prefix><key>-<digest>`, the key a hash of the stack ID and the resource's logical
 * ID (and, for a version's marker, the ID of the request that created it).
 */
function markerTag(prefix, stackId, logicalId, digest, createRequestId) {
  const owner = createRequestId ? `${stackId}/${logicalId}/${createRequestId}` : `${stackId}/${logicalId}`;
  const key = crypto.createHash('sha256').update(owner).digest('hex').slice(0, 16);
  return `${prefix}${key}-${digest.replace(/^sha256:/, '').slice(0, 16)}`;
}

function physicalId(repositoryName, tag) {
  return `${repositoryName}:${tag}`;
}

function parsePhysicalId(id) {
  const at = (id || '').lastIndexOf(':');
  return at > 0 ? { repositoryName: id.slice(0, at), tag: id.slice(at + 1) } : undefined;
}

/**
 * Handles one CloudFormation event. `send(action, input)` calls ECR (the real client in Lambda,
 * recorded responses in the unit tests) and rejects with the service's error (its `name`).
 */
async function onEvent(event, send) {
  const props = event.ResourceProperties;
  const registryId = props.RegistryId || undefined;
  if (event.RequestType === 'Delete') {
    const marker = parsePhysicalId(event.PhysicalResourceId);
    if (!marker || !marker.tag.startsWith(props.MarkerPrefix)) {
      // A create that failed before it marked anything.
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    try {
      const out = await send('BatchDeleteImage', { registryId, repositoryName: marker.repositoryName, imageIds: [{ imageTag: marker.tag }] });
      const failure = (out.failures || []).find(f => f.failureCode !== 'ImageNotFound' && f.failureCode !== 'ImageTagDoesNotMatchDigest');
      if (failure) {
        throw new Error(`could not remove the in-use marker ${marker.tag} from ${marker.repositoryName}: ${failure.failureCode}: ${failure.failureReason}`);
      }
    } catch (e) {
      if (e.name !== 'RepositoryNotFoundException') throw e;
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }

  const version = props.Kind === 'version';
  if (version && event.RequestType === 'Update') {
    const kept = parsePhysicalId(event.PhysicalResourceId);
    if (kept && kept.tag.startsWith(props.MarkerPrefix)) {
      // The version was not published again: it runs the image this marker marked at Create.
      return { PhysicalResourceId: event.PhysicalResourceId, Data: { MarkerTag: kept.tag } };
    }
  }

  const repositoryName = props.RepositoryName;
  const found = await send('BatchGetImage', {
    registryId,
    repositoryName,
    imageIds: [{ imageTag: props.ImageTag }],
    acceptedMediaTypes: ACCEPTED_MEDIA_TYPES,
  });
  const image = (found.images || [])[0];
  if (!image) {
    const why = (found.failures || []).map(f => `${f.failureCode}: ${f.failureReason}`).join('; ') || 'not found';
    throw new Error(`the image ${repositoryName}:${props.ImageTag} is not in the repository (${why}). `
      + 'It was never pushed or has been deleted; run cdk deploy again so cdk-assets pushes it.');
  }
  const digest = image.imageId.imageDigest;
  const tag = markerTag(props.MarkerPrefix, event.StackId, event.LogicalResourceId, digest, version ? event.RequestId : undefined);
  try {
    await send('PutImage', {
      registryId,
      repositoryName,
      imageTag: tag,
      imageManifest: image.imageManifest,
      imageManifestMediaType: image.imageManifestMediaType,
      imageDigest: digest,
    });
  } catch (e) {
    // The same tag on the same manifest: an earlier attempt of this event already marked it.
    if (e.name !== 'ImageAlreadyExistsException') throw e;
  }
  return { PhysicalResourceId: physicalId(repositoryName, tag), Data: { ImageDigest: digest, MarkerTag: tag } };
}

let client;
async function handler(event) {
  const ecr = require('@aws-sdk/client-ecr');
  client = client || new ecr.ECRClient({});
  return onEvent(event, (action, input) => client.send(new ecr[`${action}Command`](input)));
}

module.exports = { handler, onEvent, markerTag, ACCEPTED_MEDIA_TYPES };
