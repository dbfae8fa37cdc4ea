import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { signingKeys } from '../schema';

/** The named key (32 bytes), created on first use; concurrent first uses agree on one key. */
export async function signingKey(db: DbOrTx, name: string): Promise<Buffer> {
  await db.insert(signingKeys).values({ name, key: randomBytes(32).toString('base64') }).onConflictDoNothing();
  const [row] = await db.select({ key: signingKeys.key }).from(signingKeys).where(eq(signingKeys.name, name));
  return Buffer.from(row!.key, 'base64');
}
