import mongoose from 'mongoose';
import { Release } from '../models/release.js';
import { Route } from '../models/route.js';
import { Story } from '../models/story.js';
import { User } from '../models/user.js';

/** Models whose indexes are created at start; features add theirs with `registerModel`. */
const models: mongoose.Model<never>[] = [Story, Release, Route, User] as never;

export function registerModel(model: mongoose.Model<never>): void {
  if (!models.includes(model)) models.push(model);
}

/** Connects Mongoose and makes sure every registered model's indexes exist. */
export async function connectMongo(uri: string): Promise<mongoose.Connection> {
  mongoose.set('strictQuery', true);
  // Never let a query wait silently for a connection: fail so /readyz and callers see it.
  mongoose.set('bufferCommands', false);
  await mongoose.connect(uri, {
    serverSelectionTimeoutMS: 5_000,
    directConnection: !uri.includes('replicaSet=') && !uri.startsWith('mongodb+srv'),
    autoIndex: false,
  });
  await Promise.all(models.map((m) => m.createCollection().catch(() => undefined)));
  await Promise.all(models.map((m) => m.createIndexes()));
  return mongoose.connection;
}

export async function disconnectMongo(): Promise<void> {
  await mongoose.disconnect();
}
