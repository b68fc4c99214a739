// Checks one HTTP answer against the spec: the status must be documented for the operation,
// the content type and body must match the documented schema, and required headers must be
// present with the documented type. Returns the list of violations (empty = conforms).
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { type Match, type Route, matchRoute, routesOf } from '../spec/router.js';
import type { Schema } from '../spec/openapi.js';

// ajv-formats is CommonJS whose default export ESM typings cannot call; its module.exports is the
// function. A static import (not createRequire) so the package's bundle carries it: check needs it.
const addFormats = ((ajvFormats as unknown as { default?: unknown }).default ?? ajvFormats) as (ajv: Ajv2020) => Ajv2020;

export type Answer = { method: string; url: string; status: number; headers: Headers; body: string };
export type Verdict = { operationId?: string; status: number; violations: string[] };

const pointer = (...parts: string[]) => '#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export class SpecValidator {
  readonly routes: Route[];
  private ajv: Ajv2020;
  private compiled = new Map<string, ValidateFunction>();

  constructor(readonly spec: { paths: Record<string, Record<string, unknown>> }) {
    this.routes = routesOf(spec);
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ ...spec, $id: 'spec.json' });
  }

  private validator(ptr: string): ValidateFunction {
    let fn = this.compiled.get(ptr);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `spec.json${ptr}` });
      this.compiled.set(ptr, fn);
    }
    return fn;
  }

  match(method: string, url: string): Match | undefined {
    return matchRoute(this.routes, method, new URL(url).pathname);
  }

  check(answer: Answer): Verdict {
    const match = this.match(answer.method, answer.url);
    if (!match) return { status: answer.status, violations: [`${answer.method} ${new URL(answer.url).pathname} is not an operation of the spec`] };
    const { route } = match;
    const operationId = route.operation.operationId;
    const where = `${operationId} ${answer.status}`;
    const response = route.operation.responses[String(answer.status)] as Schema | undefined;
    if (!response) return { operationId, status: answer.status, violations: [`${where}: status not documented (documented: ${Object.keys(route.operation.responses).join(', ')}); body: ${answer.body.slice(0, 300)}`] };
    const violations: string[] = [];
    for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, Schema>)) {
      const value = answer.headers.get(name);
      if (value === null) {
        if (header.required) violations.push(`${where}: header ${name} missing`);
        continue;
      }
      const type = (header.schema as Schema | undefined)?.type;
      if (type === 'integer' && !/^-?\d+$/.test(value)) violations.push(`${where}: header ${name}=${value} is not an integer`);
    }
    const content = response.content as Record<string, { schema: Schema }> | undefined;
    const contentType = answer.headers.get('content-type') ?? '';
    if (!content) {
      if (answer.body.length > 0) violations.push(`${where}: documented without a body, got ${answer.body.length} bytes`);
      return { operationId, status: answer.status, violations };
    }
    const mediaType = Object.keys(content).find((t) => contentType.startsWith(t));
    if (!mediaType) {
      violations.push(`${where}: content-type "${contentType}" is not one of ${Object.keys(content).join(', ')}`);
      return { operationId, status: answer.status, violations };
    }
    let body: unknown = answer.body;
    if (mediaType === 'application/json') {
      try {
        body = JSON.parse(answer.body);
      } catch {
        violations.push(`${where}: body is not JSON: ${answer.body.slice(0, 200)}`);
        return { operationId, status: answer.status, violations };
      }
    }
    const validate = this.validator(pointer('paths', route.template, route.method.toLowerCase(), 'responses', String(answer.status), 'content', mediaType, 'schema'));
    if (!validate(body)) {
      for (const e of validate.errors ?? []) violations.push(`${where}: body${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`);
      violations.push(`${where}: the body was ${JSON.stringify(body).slice(0, 400)}`);
    }
    return { operationId, status: answer.status, violations };
  }
}
