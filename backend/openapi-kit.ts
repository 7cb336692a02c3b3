import * as z from 'zod';
import { ErrorBody } from './schemas.js';

/** One documented route; backend/openapi.ts lists them all (a test checks the list against the app's routes). */
export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
export interface RouteDoc {
  method: Method;
  path: string;
  summary: string;
  auth?: false;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

export const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [code, { description: ERROR_TEXT[code] ?? 'Error', schema: ErrorBody }]));
const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input; the message names the fields',
  401: 'No or invalid credential',
  403: 'Authenticated, but not allowed',
  404: 'Not found in your workspace',
  409: 'Conflicts with an existing record',
  413: 'Body over 1 MB',
  503: 'Database or Google unavailable; retry after Retry-After seconds',
};

