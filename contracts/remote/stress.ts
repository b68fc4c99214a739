// Stress scenarios (only with --stress): a populate nested as deep as the query parser goes on
// every type with a relation or component. The instance must answer (any 4xx or 2xx) and keep answering.
import type { Instance } from './instance.js';
import { CheckFailure, type Scenario } from './runner.js';

/** `populate[a][populate][a]…` `depth` times, as a query string. */
export function deepPopulate(field: string, depth: number): string {
  let key = `populate[${field}]`;
  for (let i = 1; i < depth; i++) key += `[populate][${field}]`;
  return `${encodeURI(key)}=true`;
}

export function stressScenarios(instance: Instance): Scenario[] {
  return Object.entries(instance.contentTypes)
    .filter(([, s]) => s.kind === 'collectionType')
    .flatMap(([uid, schema]) => {
      const field = Object.entries(schema.attributes).find(([, a]) => a.type === 'relation' || a.type === 'component')?.[0];
      if (!field) return [];
      return [
        {
          group: 'stress',
          name: `${uid}: populate ${field} nested 40 deep, and populate=* on 100 pages at once`,
          stress: true,
          async run(ctx) {
            const deep = await ctx.http.send('GET', `/api/${schema.info.pluralName}?${deepPopulate(field, 40)}`, { token: ctx.token, timeoutMs: 120_000 });
            if (deep.status >= 500) throw new CheckFailure(`a deep populate answered ${deep.status}: ${deep.text.slice(0, 200)}`);
            const many = await Promise.all(Array.from({ length: 100 }, (_, i) => ctx.http.send('GET', `/api/${schema.info.pluralName}?populate=*&pagination[page]=${i + 1}`, { token: ctx.token, timeoutMs: 120_000 })));
            const bad = many.find((a) => a.status >= 500);
            if (bad) throw new CheckFailure(`populate=* under load answered ${bad.status}`);
            if (!(await ctx.http.alive())) throw new CheckFailure('the instance stopped answering');
          },
        } satisfies Scenario,
      ];
    });
}
