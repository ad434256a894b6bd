// Bearer tokens: ADMIN_TOKEN from the environment, or a person's own token
// (stored as a SHA-256 hash: tokens are 192 random bits, so a fast hash is safe).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Models } from '../activities/store';
import { AppError } from './errors';
import { presenceTracker } from './presence';

export interface Principal {
  id: string;
  name: string;
  role: 'agent' | 'analyst' | 'operator' | 'supervisor' | 'admin';
}

export const newToken = () => `hl_${randomBytes(24).toString('base64url')}`;
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function sameSecret(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(hashToken(a)), Buffer.from(hashToken(b))];
  return timingSafeEqual(x, y);
}

export function authenticate(models: Models, adminToken: string | undefined) {
  const seen = presenceTracker(models);
  return async (req: Request, res: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) throw new AppError(401, 'missing bearer token (Authorization: Bearer <token>)');
    const token = match[1];
    if (adminToken && sameSecret(token, adminToken)) {
      res.locals.principal = { id: 'admin-token', name: 'Admin (ADMIN_TOKEN)', role: 'admin' } satisfies Principal;
      return next();
    }
    const person = await models.Agent.findOne({ tokenHash: hashToken(token) }).lean();
    if (!person) throw new AppError(401, 'unknown or revoked token');
    res.locals.principal = { id: person._id, name: person.name, role: person.role } satisfies Principal;
    void seen(person._id).catch(() => undefined); // presence only; never fails the request
    next();
  };
}

export function requireRole(...roles: Principal['role'][]) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const p = res.locals.principal as Principal;
    if (!roles.includes(p.role)) throw new AppError(403, `this needs the ${roles.join(' or ')} role`);
    next();
  };
}
