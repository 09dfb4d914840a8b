// The optional parts of a bundle that no DT_NEEDED names: the NSS modules glibc dlopens for name
// resolution (--nss), the CA bundle (--certs) and the time-zone database (--tzdata).
import { readFile } from 'node:fs/promises';
import { BuildStaticError } from '../../errors.ts';
import { hostExists } from './host-path.ts';
import type { BundleTree } from './tree.ts';

const NSS_DATABASES = new Set(['passwd', 'group', 'shadow', 'hosts', 'networks', 'protocols', 'services', 'ethers', 'rpc', 'netgroup', 'gshadow', 'initgroups', 'aliases']);
const NSS_FILES = ['/etc/nsswitch.conf', '/etc/host.conf', '/etc/hosts', '/etc/resolv.conf', '/etc/services', '/etc/protocols', '/etc/networks', '/etc/gai.conf'];
export const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
export const ZONEINFO = '/usr/share/zoneinfo';

// The NSS services nsswitch.conf names (hosts: files dns → files, dns), as module sonames.
export function nssModules(nsswitch: string): string[] {
  const services = new Set<string>();
  for (const raw of nsswitch.split('\n')) {
    const m = /^\s*([a-z_]+)\s*:(.*)$/.exec(raw.replace(/#.*/, ''));
    if (!m || !NSS_DATABASES.has(m[1]!)) continue;
    for (const word of m[2]!.replace(/\[[^\]]*\]/g, ' ').split(/\s+/)) if (/^[a-z0-9_]+$/.test(word)) services.add(word);
  }
  return [...services].sort().map((s) => `libnss_${s}.so.2`);
}

// Adds the configuration files name resolution reads and returns the modules to resolve
// (with their dependencies) like dlopen would; absent services are skipped, as glibc does.
export async function addNss(tree: BundleTree): Promise<string[]> {
  const conf = await readFile('/etc/nsswitch.conf', 'utf8').catch(() => 'passwd: files\ngroup: files\nhosts: files dns\n');
  for (const file of NSS_FILES) if (await hostExists(file)) await tree.addHostPath(file);
  return nssModules(conf);
}

// Adds the CA bundle; returns the SSL_CERT_FILE value programs should be given.
export async function addCerts(tree: BundleTree): Promise<string> {
  if (!(await hostExists(CA_BUNDLE))) throw new BuildStaticError('TOOL_MISSING', `--certs needs ${CA_BUNDLE}: install ca-certificates (apt-get install ca-certificates)`);
  await tree.addHostPath(CA_BUNDLE);
  return CA_BUNDLE;
}

// Adds the whole zoneinfo tree (its internal links stay links).
export async function addTzdata(tree: BundleTree): Promise<void> {
  if (!(await hostExists(ZONEINFO))) throw new BuildStaticError('TOOL_MISSING', `--tzdata needs ${ZONEINFO}: install tzdata (apt-get install tzdata)`);
  await tree.addHostTree(ZONEINFO);
}
