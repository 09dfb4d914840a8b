// The OCI distribution registry client: pure TypeScript over fetch, no processes, nothing
// Rust-specific. See README.md.
export { anonymousKeychain, credentialFiles, fileKeychain, staticKeychain } from './keychain.ts';
export type { Credential, CredentialHelperRunner, FileKeychainOptions, Keychain } from './keychain.ts';
export { basicAuth, parseChallenges, pickChallenge, repositoryScopes } from './challenge.ts';
export type { Challenge } from './challenge.ts';
export { MANIFEST_ACCEPT, RegistryClient } from './client.ts';
export { pushIndexOf } from './combine.ts';
export type { CombineResult } from './combine.ts';
export type { FetchedManifest, ManifestInfo, RegistryClientOptions } from './client.ts';
export { composeMessage, isRegistryError, REGISTRY_ERROR_CODES, RegistryError } from './errors.ts';
export type { OciErrorEntry, RegistryErrorCode } from './errors.ts';
export { formatPlatform, indexPlatforms, isAttestation, parsePlatform, platformMatches, selectManifest } from './platform.ts';
export { pull, resolve } from './pull.ts';
export type { PulledImage, PullOptions } from './pull.ts';
export { push } from './push.ts';
export { listReferrers, pushReferrer, referrersFromApi, referrersFromTag } from './referrers.ts';
export type { ReferrerOptions, ReferrerPushResult } from './referrers.ts';
export type { PushOptions, PushResult, PushSource } from './push.ts';
export type { PullEvent, PushEvent } from './push-events.ts';
export { allowsPlainHttp, apiHost, DOCKER_HUB, formatReference, manifestTarget, parseReference, shortName } from './reference.ts';
export type { Reference } from './reference.ts';
export { redactUrl } from './response.ts';
export { registryBlobSource } from './source.ts';
export type { RegistryBlobSource } from './source.ts';
export { DEFAULT_RETRY } from './retry.ts';
export type { RetryInfo, RetryPolicy } from './retry.ts';
export type { BlobPushResult, BlobToPush, PushBlobOptions } from './upload.ts';
export type { TransportOptions } from './transport.ts';
