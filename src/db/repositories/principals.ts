import { and, desc, eq, getTableColumns, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx as Db } from '../client';
import { agencies, principals, principalTokens, type Principal, type PrincipalToken } from '../schema';
import { countKeysSql, type WindowCount, type WindowCounting } from './rate-counters';

export interface PrincipalRecord {
  id: string;
  name: string;
  agencyId: string | null;
  roles: string[];
  /** The jurisdiction of the principal's agency, if any. */
  jurisdiction: string | null;
}

/** The token with that sha256 and its principal, whatever the token's state (the caller judges expiry and revocation). */
export async function findPrincipalByTokenHash(
  db: Db,
  tokenHash: string,
): Promise<{ principal: PrincipalRecord; token: Pick<PrincipalToken, 'id' | 'expiresAt' | 'revokedAt'> } | undefined> {
  const [row] = await db
    .select({
      id: principals.id,
      name: principals.name,
      agencyId: principals.agencyId,
      roles: principals.roles,
      jurisdiction: agencies.jurisdiction,
      tokenId: principalTokens.id,
      expiresAt: principalTokens.expiresAt,
      revokedAt: principalTokens.revokedAt,
    })
    .from(principalTokens)
    .innerJoin(principals, eq(principals.id, principalTokens.principalId))
    .leftJoin(agencies, eq(agencies.id, principals.agencyId))
    .where(eq(principalTokens.tokenHash, tokenHash));
  if (!row) return undefined;
  const { tokenId, expiresAt, revokedAt, ...principal } = row;
  return { principal, token: { id: tokenId, expiresAt, revokedAt } };
}

/** A token's principal and state (as findPrincipalByTokenHash), and the count of the principal's event it counted. */
export interface CountedTokenLookup {
  principal: PrincipalRecord;
  token: Pick<PrincipalToken, 'id' | 'expiresAt' | 'revokedAt'>;
  /** The principal's count in `counting`'s current window, this request included; absent when the token was not counted (revoked or expired). */
  counted?: WindowCount;
}

/**
 * findPrincipalByTokenHash and, in the same statement (one round trip), one more event of
 * `principal:<id>` in `counting`'s window when the token is neither revoked nor past its expiry on
 * the database's clock (countInWindow's counter: the same row, the same cap). Undefined when no
 * token has that hash (nothing is counted then).
 */
export async function findPrincipalByTokenHashCounting(db: Db, tokenHash: string, counting: WindowCounting): Promise<CountedTokenLookup | undefined> {
  const { rows } = await db.execute(sql`
    WITH found AS (
      SELECT ${principals.id} AS id, ${principals.name} AS name, ${principals.agencyId} AS agency_id, ${principals.roles} AS roles,
             ${agencies.jurisdiction} AS jurisdiction, ${principalTokens.id} AS token_id,
             (extract(epoch from ${principalTokens.expiresAt}) * 1000)::float8 AS expires_ms,
             (extract(epoch from ${principalTokens.revokedAt}) * 1000)::float8 AS revoked_ms,
             ${principalTokens.revokedAt} IS NULL AND (${principalTokens.expiresAt} IS NULL OR ${principalTokens.expiresAt} > clock_timestamp()) AS valid
      FROM ${principalTokens}
      JOIN ${principals} ON ${principals.id} = ${principalTokens.principalId}
      LEFT JOIN ${agencies} ON ${agencies.id} = ${principals.agencyId}
      WHERE ${principalTokens.tokenHash} = ${tokenHash}),
    counted AS (${countKeysSql(counting, sql`SELECT 'principal:' || id FROM found WHERE valid`)})
    SELECT found.*, counted.count, counted.reset_in_ms FROM found LEFT JOIN counted ON true`);
  const row = rows[0] as
    | { id: string; name: string; agency_id: string | null; roles: string[]; jurisdiction: string | null; token_id: string; expires_ms: number | null; revoked_ms: number | null; count: number | null; reset_in_ms: number | null }
    | undefined;
  if (!row) return undefined;
  const at = (ms: number | null) => (ms === null ? null : new Date(ms));
  return {
    principal: { id: row.id, name: row.name, agencyId: row.agency_id, roles: row.roles, jurisdiction: row.jurisdiction },
    token: { id: row.token_id, expiresAt: at(row.expires_ms), revokedAt: at(row.revoked_ms) },
    ...(row.count === null ? {} : { counted: { count: row.count, resetInMs: row.reset_in_ms! } }),
  };
}

export async function insertPrincipal(db: Db, p: { id: string; name: string; agencyId: string | null; roles: string[] }): Promise<void> {
  await db.insert(principals).values(p);
}

export async function findPrincipalById(db: Db, id: string): Promise<PrincipalRecord | undefined> {
  const [row] = await db
    .select({ id: principals.id, name: principals.name, agencyId: principals.agencyId, roles: principals.roles, jurisdiction: agencies.jurisdiction })
    .from(principals)
    .leftJoin(agencies, eq(agencies.id, principals.agencyId))
    .where(eq(principals.id, id));
  return row;
}

/** Newest first, keyset-paginated on (created_at, id); optionally one agency's. */
export async function listPrincipals(db: Db, q: { agencyId?: string; limit: number; after?: { at: string; id: string } }): Promise<Principal[]> {
  const where: SQL[] = [];
  if (q.agencyId) where.push(eq(principals.agencyId, q.agencyId));
  if (q.after) {
    const at = new Date(q.after.at);
    where.push(or(lt(principals.createdAt, at), and(eq(principals.createdAt, at), lt(principals.id, q.after.id)))!);
  }
  return db
    .select()
    .from(principals)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(principals.createdAt), desc(principals.id))
    .limit(q.limit);
}

export async function insertToken(
  db: Db,
  t: { id: string; principalId: string; tokenHash: string; expiresAt: Date | null; createdBy: string },
): Promise<PrincipalToken> {
  const [row] = await db.insert(principalTokens).values(t).returning();
  return row!;
}

/** The tokens of these principals, oldest first (never their hashes: callers get what they show). */
export async function tokensOf(db: Db, principalIds: string[]): Promise<Omit<PrincipalToken, 'tokenHash'>[]> {
  if (!principalIds.length) return [];
  const { tokenHash: _hash, ...shown } = getTableColumns(principalTokens);
  return db.select(shown).from(principalTokens).where(inArray(principalTokens.principalId, principalIds)).orderBy(principalTokens.createdAt, principalTokens.id);
}

export async function findToken(db: Db, principalId: string, tokenId: string): Promise<PrincipalToken | undefined> {
  const [row] = await db
    .select()
    .from(principalTokens)
    .where(and(eq(principalTokens.principalId, principalId), eq(principalTokens.id, tokenId)));
  return row;
}

/** Revokes a token not revoked yet; undefined when it already was (a concurrent revocation won). */
export async function revokeToken(db: Db, tokenId: string, by: string, at: Date): Promise<PrincipalToken | undefined> {
  const [row] = await db
    .update(principalTokens)
    .set({ revokedAt: at, revokedBy: by })
    .where(and(eq(principalTokens.id, tokenId), isNull(principalTokens.revokedAt)))
    .returning();
  return row;
}
