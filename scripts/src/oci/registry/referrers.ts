// Attaching artifacts to an image in a registry and finding them again (distribution-spec 1.1,
// "Listing Referrers"). A registry with the referrers API (GET /v2/<name>/referrers/<digest>
// answers 200 with an index) indexes pushed manifests by their `subject` itself; one without it
// (distribution 2.8, Debian's docker-registry) gets the spec's fallback, the referrers tag schema:
// an index tagged `sha256-<hex>` of the subject, listing its referrers, that the pusher updates.
// The tag update is read-modify-write: two pushers attaching to one subject at the same moment can
// drop one entry, as with every client of the tag schema.
import { referrersIndexBytes, referrersTag, type Artifact } from '../artifact.ts';
import { MEDIA_TYPE, type Descriptor, type Digest, type ImageIndex } from '../types.ts';
import { repositoryScopes } from './challenge.ts';
import { RegistryClient, type RegistryClientOptions } from './client.ts';
import { parseReference, shortName, type Reference } from './reference.ts';

export interface ReferrerOptions extends RegistryClientOptions {
  readonly client?: RegistryClient;
}

export interface ReferrerPushResult {
  readonly digest: Digest;
  readonly subject: Digest;
  /** `api`: the registry indexes referrers; `tag`: the `sha256-<hex>` index was updated. */
  readonly scheme: 'api' | 'tag';
}

function repo(reference: string | Reference): Reference {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  return { registry: ref.registry, repository: ref.repository };
}

// The referrers the API lists for a digest, or undefined when the registry has no referrers API.
export async function referrersFromApi(client: RegistryClient, ref: Reference, subject: Digest, action: string): Promise<Descriptor[] | undefined> {
  const res = await client.transport.request({
    registry: ref.registry, repository: ref.repository, action, method: 'GET', path: `/v2/${ref.repository}/referrers/${subject}`,
    headers: { Accept: MEDIA_TYPE.OCI_INDEX }, ok: [200, 400, 404, 405], scopes: repositoryScopes(ref.repository, false),
  });
  if (res.status !== 200) {
    await res.body?.cancel();
    return undefined;
  }
  const body = (await res.json().catch(() => undefined)) as Partial<ImageIndex> | undefined;
  return Array.isArray(body?.manifests) ? [...body.manifests] : undefined;
}

// The referrers listed under the subject's `sha256-<hex>` tag (empty when there is no such tag).
export async function referrersFromTag(client: RegistryClient, ref: Reference, subject: Digest, action: string): Promise<Descriptor[]> {
  const tagged = { ...ref, tag: referrersTag(subject) };
  if (!(await client.headManifest(tagged, action))) return [];
  const { bytes } = await client.getManifest(tagged, action);
  const index = JSON.parse(new TextDecoder().decode(bytes)) as Partial<ImageIndex>;
  return Array.isArray(index.manifests) ? [...index.manifests] : [];
}

// Every referrer of `subject` in the repository (API first, else the tag schema), optionally of one artifactType.
export async function listReferrers(reference: string | Reference, subject: Digest, options: ReferrerOptions & { artifactType?: string } = {}): Promise<Descriptor[]> {
  const ref = repo(reference);
  const client = options.client ?? new RegistryClient(options);
  const action = `listing the referrers of ${subject.slice(0, 19)} in ${shortName(ref)}`;
  const found = (await referrersFromApi(client, ref, subject, action)) ?? (await referrersFromTag(client, ref, subject, action));
  return options.artifactType ? found.filter((d) => d.artifactType === options.artifactType) : found;
}

// Pushes an artifact (its blobs, then its manifest by digest) and makes it findable from its subject.
export async function pushReferrer(item: Artifact, reference: string | Reference, options: ReferrerOptions = {}): Promise<ReferrerPushResult> {
  const ref = repo(reference);
  const client = options.client ?? new RegistryClient(options);
  const action = `attaching ${item.descriptor.artifactType ?? 'an artifact'} to ${shortName(ref)}@${item.subject.digest.slice(0, 19)}`;
  const hasApi = (await referrersFromApi(client, ref, item.subject.digest, action)) !== undefined;
  const [config, payload] = item.blobs;
  for (const blob of [config!, payload!]) {
    await client.pushBlob(ref, { digest: blob.descriptor.digest, size: blob.descriptor.size, read: () => blob.bytes! }, { action });
  }
  await client.putManifest({ ...ref, digest: item.descriptor.digest }, item.manifestBytes, MEDIA_TYPE.OCI_MANIFEST, action);
  if (hasApi) return { digest: item.descriptor.digest, subject: item.subject.digest, scheme: 'api' };
  const listed = await referrersFromTag(client, ref, item.subject.digest, action);
  if (!listed.some((d) => d.digest === item.descriptor.digest)) {
    const manifests = [...listed, item.descriptor].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
    await client.putManifest({ ...ref, tag: referrersTag(item.subject.digest) }, referrersIndexBytes(manifests), MEDIA_TYPE.OCI_INDEX, action);
  }
  return { digest: item.descriptor.digest, subject: item.subject.digest, scheme: 'tag' };
}
