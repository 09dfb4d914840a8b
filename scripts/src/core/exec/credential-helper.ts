// Runs docker credential helpers (`docker-credential-<name> get`) for the registry keychain,
// which reads credential files but never starts processes itself; the core hands this runner to
// `fileKeychain({ runHelper })`.
import type { CredentialHelperRunner } from '../../oci/registry/keychain.ts';
import { RegistryError } from '../../oci/registry/errors.ts';
import { CommandError, runStep } from './exec.ts';

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

// A runner that feeds the server URL on stdin and returns the helper's JSON, or undefined when
// the helper has no entry ("credentials not found"); other failures become REGISTRY_CREDENTIALS.
export function credentialHelperRunner(options: { env?: Readonly<Record<string, string>>; timeoutMs?: number } = {}): CredentialHelperRunner {
  return async (helper, serverUrl) => {
    const program = `docker-credential-${helper}`;
    if (!HELPER_NAME.test(helper)) throw new RegistryError('REGISTRY_CREDENTIALS', `refusing to run credential helper "${program}": the name may only hold letters, digits, ".", "_" and "-"`);
    let stdout = '';
    try {
      const result = await runStep({ argv: [program, 'get'], env: options.env }, { input: serverUrl, timeoutMs: options.timeoutMs ?? 60_000, onStdoutLine: (line) => (stdout += `${line}\n`) });
      return result.stdout;
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      if (/credentials not found|no credentials/i.test(`${stdout}\n${error.stderr}`)) return undefined;
      const how = error.notFound ? 'is not installed or not on PATH' : `failed (${error.message})`;
      throw new RegistryError('REGISTRY_CREDENTIALS', `${program} ${how} while looking up ${serverUrl} (install it, or remove it from credsStore/credHelpers in ~/.docker/config.json)`, { cause: error });
    }
  };
}

// The runner with the process environment.
export const runCredentialHelper: CredentialHelperRunner = credentialHelperRunner();
