// TOML in and out (@iarna/toml) with errors that name the file. Manifests and Cargo.lock are
// handled as plain tables; only their meaning is compared with cargo-chef's, never their text.
import TOML from '@iarna/toml';
import { BuildStaticError, type ErrorCode } from '../../errors.ts';

export type Table = Record<string, unknown>;

// Parses TOML text; a syntax error becomes one line naming `where` and the row/column.
export function parseToml(text: string, where: string, code: ErrorCode = 'RECIPE_INVALID'): Table {
  try {
    return TOML.parse(text) as Table;
  } catch (error) {
    const first = String((error as Error).message).split('\n')[0] ?? 'syntax error';
    throw new BuildStaticError(code, `${where} is not valid TOML: ${first}`, { cause: error });
  }
}

// Serialises a table (key order is kept, so the same input always gives the same text).
export function stringifyToml(table: Table): string {
  return TOML.stringify(table as TOML.JsonMap);
}

// A TOML table (not an array, a date or a scalar).
export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

// The table under `key`, or undefined when absent or not a table.
export function tableAt(parent: unknown, key: string): Table | undefined {
  if (!isTable(parent)) return undefined;
  const value = parent[key];
  return isTable(value) ? value : undefined;
}

// The array of tables under `key` (`[[bin]]`), or an empty array.
export function tablesAt(parent: unknown, key: string): Table[] {
  if (!isTable(parent)) return [];
  const value = parent[key];
  return Array.isArray(value) ? value.filter(isTable) : [];
}
