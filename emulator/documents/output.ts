// Rows as the content API answers them: the scalar attributes (all visible ones, or `fields`
// — id and, on v5, documentId always stay), the system timestamps, then each populated link
// in schema order (relations and media in v4's `{data: …}` envelopes, components and
// dynamic zones plain), with the populate tree's own fields/filters/sort/pagination applied.
// Private attributes and passwords never leave.
import { type Json, formatEntity, formatFile, formatLink, formatRole, formatUser, formatZoneEntry } from '../http/format.js';
import { compileFilters, sortRows } from '../http/query.js';
import type { RoleRecord, UserRecord } from '../store/records.js';
import { type Links, type Rec } from './links.js';
import { FILE, type ModelDef, ROLE, USER, isHidden, isScalar } from './models.js';
import type { PopulateEnv, PopulateNode, PopulateTree } from './populate.js';

const systemFields = ['createdAt', 'updatedAt', 'publishedAt', 'locale'];

/** model → fields (joined; undefined: all) → what scalarNames answers. */
const scalarNamesCache = new WeakMap<ModelDef, Map<string | undefined, string[]>>();

function computeScalarNames(model: ModelDef, fields?: string[]): string[] {
  const names = Object.entries(model.attributes)
    .filter(([name, a]) => isScalar(a) && !isHidden(a) && !systemFields.includes(name))
    .map(([name]) => name);
  const system = systemFields.filter((f) => f in model.attributes);
  const all = [...names, ...system];
  if (!fields || !fields.length || fields.includes('*')) return all;
  // The columns come back in the order `fields` names them.
  return [...new Set(fields)].filter((n) => all.includes(n));
}

export class Presenter {
  constructor(
    readonly links: Links,
    readonly p: PopulateEnv,
    /** v4 publicationState=preview: populated relations include drafts. */
    readonly preview = false,
    /**
     * Links without v4's `{data: {id, attributes}}` envelopes: users-permissions' own routes
     * (/api/users, /users/me) answer plain entities on both majors.
     */
    readonly flat = false,
  ) {}

  /** The populated links of `tree` only, for a record of `model` (the users routes add them to a user). */
  populated(model: ModelDef, record: Rec, tree: PopulateTree): Json {
    const out: Json = {};
    for (const [name, node] of Object.entries(tree)) if (model.attributes[name]) out[name] = this.link(model, record, name, node);
    return out;
  }

  private envelope(value: Json | Json[] | null): unknown {
    return this.flat ? value : formatLink(this.major, value);
  }

  private entityOf(record: { id: number; documentId?: string }, attributes: Json): Json {
    if (!this.flat) return formatEntity(this.major, record, attributes);
    return { id: record.id, ...(this.major === 5 ? { documentId: record.documentId } : {}), ...attributes };
  }

  /** The ids of the rows being answered together (v5 `localizations` leaves them out). */
  batch: ReadonlySet<number> | undefined;
  /** v4 write answers: populated `localizations` include drafts. */
  draftLocalizations = false;

  get major() {
    return this.links.major;
  }

  /** The scalar attribute names an answer shows for a model, in Strapi's column order. */
  scalarNames(model: ModelDef, fields?: string[]): string[] {
    // Asked once per row of every answer: a populated list recomputed it for each row (a quarter
    // of its CPU time over HTTP). A model's attributes never change, so one answer per fields list.
    let byFields = scalarNamesCache.get(model);
    // Bounded: `fields` comes from the query string, so its combinations are the caller's to multiply.
    if (!byFields || byFields.size > 256) scalarNamesCache.set(model, (byFields = new Map()));
    const key = fields ? fields.join('\u0000') : undefined;
    let names = byFields.get(key);
    if (!names) byFields.set(key, (names = computeScalarNames(model, fields)));
    return names;
  }

  /** A content-type row, top level: `{id, documentId, …}` (v5) or `{id, attributes}` (v4). */
  entity(model: ModelDef, row: Rec, fields: string[] | undefined, tree: PopulateTree): Json {
    return formatEntity(this.major, row as { id: number; documentId?: string }, this.attributes(model, row, fields, tree));
  }

  private attributes(model: ModelDef, record: Rec, fields: string[] | undefined, tree: PopulateTree): Json {
    const out: Json = {};
    for (const name of this.scalarNames(model, fields)) out[name] = record[name] ?? null;
    for (const [name, node] of Object.entries(tree)) {
      if (!model.attributes[name]) continue;
      out[name] = this.link(model, record, name, node);
    }
    return out;
  }

  private link(model: ModelDef, record: Rec, name: string, node: PopulateNode): unknown {
    const attr = model.attributes[name];
    const many = this.links.holdsMany(model, name);
    let items = this.links.linked(record, model, name, this.batch);
    if (attr.type === 'dynamiczone') {
      // Only the zone's own components are read back (an entry of another one was stored but is never joined).
      items = items.filter((i) => (attr.components ?? []).includes(i.__component as string));
      if (node.on) items = items.filter((i) => node.on![i.__component as string]);
      return items.map((item) => {
        const uid = item.__component as string;
        const component = this.p.registry.models.get(uid);
        if (!component) return null;
        const sub = node.on?.[uid] ?? {};
        const { id, ...attributes } = this.component(component, item, sub);
        return formatZoneEntry(this.major, id as number, uid, attributes);
      });
    }
    const target = this.targetOf(model, name);
    if (!target) return many ? [] : null;
    // v4 populates relations to draft & publish types with the request's publicationState (live by default).
    if (this.major === 4 && attr.type === 'relation' && target.draftAndPublish && !this.preview && !(name === 'localizations' && this.draftLocalizations)) items = items.filter((i) => i.publishedAt !== null);
    items = this.refine(target, items, node);
    // v5 answers `count` with the number of links, except for i18n's virtual `localizations` (the list, observed on 5.54.0).
    if (node.count && this.major === 5 && attr.type === 'relation' && !(name === 'localizations' && model.localized)) return { count: items.length };
    if (attr.type === 'component') {
      const values = items.map((item) => this.component(target, item, node));
      return many ? values : (values[0] ?? null);
    }
    const outer = this.batch;
    this.batch = new Set(items.map((i) => i.id as number));
    // i18n's virtual `localizations` keep their column order under a nested sort (observed on 5.54.0).
    const shown = name === 'localizations' && model.localized ? { ...node, sort: undefined } : node;
    const values = items.map((item) => this.related(target, item, shown));
    this.batch = outer;
    // v4's response transform answers an empty multiple media field {data: null}, not {data: []} (seen on real 4.26.2).
    if (this.major === 4 && !this.flat && attr.type === 'media' && many && values.length === 0) return formatLink(4, null);
    return this.envelope(many ? values : (values[0] ?? null));
  }

  /** filters, sort and pagination of a nested populate. */
  private refine(target: ModelDef, items: Rec[], node: PopulateNode): Rec[] {
    let out = items;
    const env = { ...this.p.env, model: target };
    if (node.filters) {
      const test = compileFilters(env, node.filters, target);
      out = out.filter((r) => test(r));
    }
    if (node.sort) out = sortRows(env, out, node.sort);
    if (node.start !== undefined || node.limit !== undefined) out = out.slice(node.start ?? 0, node.limit === undefined ? undefined : (node.start ?? 0) + node.limit);
    return out;
  }

  private targetOf(model: ModelDef, name: string): ModelDef | undefined {
    const attr = model.attributes[name];
    if (attr.type === 'media') return this.p.registry.models.get(FILE);
    if (attr.type === 'relation') return attr.target ? this.p.registry.models.get(attr.target) : undefined;
    if (attr.type === 'component') return attr.component ? this.p.registry.models.get(attr.component) : undefined;
    return undefined;
  }

  /** A component value: `{id, …scalars, …populated}` on both majors. */
  private component(model: ModelDef, value: Rec, node: PopulateNode): Json {
    return { id: value.id, ...this.attributes(model, value, node.fields, node.populate ?? {}) };
  }

  /** A related record (row, user, role or file) inside an entity. */
  private related(model: ModelDef, record: Rec, node: PopulateNode): Json {
    const fields = node.fields && node.fields.length ? node.fields : undefined;
    let flat: Json;
    if (model.uid === USER) {
      const populateRole = !!node.populate?.role;
      flat = formatUser(this.major, record as unknown as UserRecord, {
        fields,
        names: this.p.registry.userFields(),
        role: populateRole ? ((record.role !== null ? this.links.store.roles.get(record.role as number) : null) ?? null) : undefined,
      });
      if (populateRole && flat.role && this.major === 4 && !this.flat) flat.role = formatLink(4, formatEntity(4, flat.role as { id: number }, withoutIds(flat.role as Json)) as Json);
      else if (populateRole && flat.role === null && this.major === 4 && !this.flat) flat.role = formatLink(4, null);
      // A project's user extension: its relations and media populate like any content type's.
      const { role: _role, ...rest } = node.populate ?? {};
      Object.assign(flat, this.populated(model, record, rest));
    } else if (model.uid === ROLE) {
      flat = formatRole(this.major, record as unknown as RoleRecord);
    } else if (model.uid === FILE) {
      flat = formatFile(this.major, record as Json & { id: number }, { fields });
    } else {
      const entity = this.entityOf(record as { id: number; documentId?: string }, this.attributes(model, record, fields, node.populate ?? {}));
      return this.major === 5 && node.sort ? sortColumnsFirst(entity, node.sort) : entity;
    }
    return this.entityOf(flat as { id: number; documentId?: string }, withoutIds(flat));
  }
}

function withoutIds(flat: Json): Json {
  const { id: _id, documentId: _documentId, ...rest } = flat;
  return rest;
}

/** v5 selects a nested populate's sort columns first: they lead the answer's keys. */
function sortColumnsFirst(entity: Json, sort: unknown): Json {
  const names: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string') for (const part of v.split(',')) names.push(part.split(':')[0].trim());
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') names.push(...Object.keys(v));
  };
  visit(sort);
  const first = names.filter((n) => n in entity && n !== 'id' && n !== 'documentId');
  if (!first.length) return entity;
  return { ...Object.fromEntries(first.map((n) => [n, entity[n]])), ...entity };
}
