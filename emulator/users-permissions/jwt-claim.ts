// Which user a legacy JWT's `id` claim names. Strapi (4 and 5) looks the user up with
// `db.query('plugin::users-permissions.user').findOne({ where: { id }, populate: ['role'] })`:
// `id` is an `increments` column, which the query builder does not cast, so a signed token's
// claim reaches SQLite as it is. Recorded on real 4.26.2 and 5.54.0 (contracts, "token attacks"):
//   "7", " 7", "7.0", "7e0"  → user 7 (SQLite converts numeric text for an INTEGER column)
//   "0x7", "abc", "", 7.5, -7, 1e300, null, [] → nobody ("Invalid credentials")
//   [9, 7], ["7"]           → WHERE id IN (…): the lowest id that exists
//   {}                      → no condition: the first user (lowest id)
//   {$gt: 6}, {$not: {$eq: 6}} → the first user the operators select
//   {id: 7}, {$or: […]}, {$foo: 1} → the query builder throws ("Undefined attribute level
//                              operator"), which the strategy reports as not authenticated
import type { Major } from '../config.js';
import { compileFilters } from '../http/query.js';
import type { UserRecord } from '../store/records.js';
import { isObject } from '../http/context.js';

/** Operators @strapi/utils types as `where` (allowed on an attribute); `$and`/`$or` are not. */
const whereOperators = new Set([
  '$not', '$in', '$notIn', '$eq', '$eqi', '$ne', '$nei', '$gt', '$gte', '$lt', '$lte', '$null', '$notNull', '$between',
  '$startsWith', '$endsWith', '$startsWithi', '$endsWithi', '$contains', '$notContains', '$containsi', '$notContainsi',
]);


/** The query builder's walk: every key of every object in the claim must be a where operator. */
function builderAccepts(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(builderAccepts);
  if (!isObject(value)) return true;
  return Object.entries(value).every(([key, inner]) => whereOperators.has(key) && builderAccepts(inner));
}

/** SQLite's numeric-text conversion for an INTEGER column: decimal literals, spaces around, no hex. */
const numericText = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** The integer id a scalar compares equal to in SQLite, or undefined when it equals no row id. */
function asRowId(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'boolean') n = value ? 1 : 0; // knex binds booleans as 1/0
  else if (typeof value === 'string' && numericText.test(value)) n = Number(value);
  return n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export type ClaimedUser = { user: UserRecord } | { user: null } | 'rejected';

/**
 * The user `findOne({where: {id: claim}})` returns: `{user}` (null when no row matches), or
 * `'rejected'` when the query builder would throw. `get` is the lookup by id (the fast path for
 * the usual numeric claim); `all` lists users in id order.
 */
export function claimedUser(claim: unknown, major: Major, users: { get(id: number): UserRecord | undefined; all(): UserRecord[] }): ClaimedUser {
  if (typeof claim !== 'object' || claim === null) {
    const id = claim === null ? undefined : asRowId(claim);
    return { user: (id !== undefined && users.get(id)) || null };
  }
  if (!builderAccepts(claim)) return 'rejected';
  if (Array.isArray(claim)) {
    // WHERE id IN (…): objects, arrays and nulls in the list equal no id.
    const ids = claim.map(asRowId).filter((id): id is number => id !== undefined);
    const found = ids.map((id) => users.get(id)).filter((u): u is UserRecord => u !== undefined);
    return { user: found.length ? found.reduce((a, b) => (b.id < a.id ? b : a)) : null };
  }
  const matches = compileFilters(
    { major, model: { uid: 'plugin::users-permissions.user', attributes: {} }, getModel: (uid) => ({ uid, attributes: {} }), related: () => null, canRead: () => false },
    { id: claim },
  );
  return { user: users.all().find((u) => matches(u as unknown as Record<string, unknown>)) ?? null };
}
