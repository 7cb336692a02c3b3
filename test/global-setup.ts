import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { migrate } from '../backend/db/migrate.js';
import { postgresRunner } from '../backend/db/postgres.js';
import { startPostgres, type PostgresServer } from './support/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the throwaway server's admin URL; databases made from rapport_template are migrated */
    pgAdminUrl: string;
  }
}

let server: PostgresServer | undefined;

/**
 * One real PostgreSQL server for the whole run, in a temporary directory, with
 * the migrations applied once to a template database that each test file
 * copies (CREATE DATABASE ... TEMPLATE is a file copy: milliseconds).
 */
export async function setup(project: TestProject) {
  server = await startPostgres();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('create database rapport_template');
  await admin.end();
  const tpl = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, '/rapport_template'), options: '-c TimeZone=UTC' });
  await tpl.connect();
  await migrate(postgresRunner(tpl));
  await tpl.end();
  project.provide('pgAdminUrl', server.url);
}

export async function teardown() {
  await server?.stop();
}
