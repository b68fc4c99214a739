// Password hashing as users-permissions does it: bcryptjs, cost 10 by default. Any bcrypt
// hash verifies whatever its cost or prefix ($2a$ from Strapi, $2b$ from bcryptjs 3), so
// users seeded from a real Strapi database log in. A lower cost (bcryptCost option) only
// changes new hashes, which keeps test suites fast.
import bcrypt from 'bcryptjs';

export class Passwords {
  constructor(private readonly cost: number) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  async verify(password: unknown, hash: string | null): Promise<boolean> {
    if (typeof password !== 'string' || !hash) return false;
    try {
      return await bcrypt.compare(password, hash);
    } catch {
      return false;
    }
  }
}
