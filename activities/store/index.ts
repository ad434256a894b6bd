import mongoose from 'mongoose';
import { defineModels, type Models } from './models';

// Filters built from request data can never smuggle in query operators; our
// own operator filters say so explicitly with mongoose.trusted().
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

export interface Store {
  models: Models;
  connection: mongoose.Connection;
  close(): Promise<void>;
}

/** Connects, and creates the indexes the models declare (idempotent). */
export async function openStore(uri: string): Promise<Store> {
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000, autoIndex: false }).asPromise();
  const models = defineModels(connection);
  await Promise.all(Object.values(models).map((m) => m.createIndexes()));
  return { models, connection, close: () => connection.close() };
}

/**
 * Marks the operators in a filter we wrote ourselves as exempt from
 * sanitizeFilter (which looks at each field's value, not at the filter).
 */
export function trusted<T extends Record<string, unknown>>(filter: T): T {
  for (const value of Object.values(filter)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) mongoose.trusted(value);
  }
  return filter;
}

/** True for MongoDB's duplicate-key error: an insert whose unique _id is taken (our atomic "claim"). */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number }).code === 11000;
}

export type { Models } from './models';
