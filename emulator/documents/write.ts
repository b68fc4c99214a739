// Writing documents: what a `data` payload becomes, the way Strapi's controllers, document
// service (v5) / entity service (v4), entity validator and database layer handle it, in
// their order — so the first failing step gives the answer and nothing is half-written:
//   v5: unknown keys → "Invalid key …" (validateInput); documentIds that do not exist →
//       "Document with id …"; the draft is validated (no required/min/regex/unique checks) with
//       missing relation ids; dates and times are parsed; with status=published the whole
//       draft is then validated as a published version. Only then is anything stored.
//   v4: unknown keys are dropped; the entry is validated (a draft when publishedAt is null);
//       missing relation ids; dates and times.
// Relations accept every shape Strapi does: an id, a documentId (v5), a list (= set), `{id}`
// / `{documentId}` objects, and `{connect, disconnect, set}` (connect with `position`).
import type { Major } from '../config.js';
import { ApplicationError, StrapiError, ValidationError, invalidKey } from '../http/errors.js';
import { newDocumentId } from '../users-permissions/user-service.js';
import { type Links, type Rec, asList } from './links.js';
import { FILE, type ModelDef, ROLE, USER, holdsMany, isScalar } from './models.js';
import type { ComponentValue, Content, Row } from './state.js';
import { type Issue, type Mode, parseStored, throwIssues, validateModel } from './validate.js';
import { isObject } from '../http/context.js';


// ---------- v5: the controller's input validation ----------

/** v5 validateInput: every key must be an attribute the client may write. */
export function checkInputKeys(content: Content, model: ModelDef, data: Record<string, unknown>, path: string | null = null): void {
  const allowed = new Set([...model.writable, ...(model.modelType === 'contentType' ? ['publishedAt', ...(model.localized ? ['locale'] : [])] : ['id'])]);
  for (const [key, value] of Object.entries(data)) {
    if (model.modelType === 'contentType' && (key === 'id' || key === 'documentId')) throw invalidKey(key, undefined, { source: 'body' });
    if (!allowed.has(key)) {
      if (key === '__component' && path !== null) continue;
      throw invalidKey(key, path ?? (key in model.attributes ? key : null), { source: 'body' });
    }
    const attr = model.attributes[key];
    if (!attr) continue;
    const here = path ? `${path}.${key}` : key;
    if (attr.type === 'component' && attr.component) {
      const component = content.registry.get(attr.component);
      for (const item of asList(value)) if (isObject(item)) checkInputKeys(content, component, item, here);
    }
    if (attr.type === 'dynamiczone') {
      for (const item of asList(value)) {
        if (!isObject(item) || typeof item.__component !== 'string') continue;
        const component = content.registry.models.get(item.__component);
        if (component?.modelType === 'component') checkInputKeys(content, component, item, here);
      }
    }
  }
}

// ---------- relation inputs the caller may not read ----------

/** Whether the caller may `find` a content type (`${uid}.find`), as `strapi.auth.verify(auth, {scope})` answers it. */
export type CanFind = (uid: string) => boolean;

/**
 * Every relation key of a payload whose target the caller cannot `find`, depth first in key
 * order (components and dynamic zones included), with its attribute path — what Strapi's
 * restricted-relations visitor looks at. Media are not relations there and are never
 * restricted; morph relations are not walked.
 */
function restrictedRelations(content: Content, model: ModelDef, data: Record<string, unknown>, canFind: CanFind, path: string | null, found: Array<{ key: string; path: string }>, stopAtFirst: boolean): void {
  for (const [key, value] of Object.entries(data)) {
    const attr = model.attributes[key];
    if (!attr) continue;
    const here = path ? `${path}.${key}` : key;
    if (attr.type === 'relation') {
      if (attr.relation?.startsWith('morph') || !attr.target) continue;
      if (!canFind(attr.target)) {
        found.push({ key, path: here });
        if (stopAtFirst) return;
      }
    } else if (attr.type === 'component' && attr.component) {
      const component = content.registry.get(attr.component);
      for (const item of asList(value)) if (isObject(item)) restrictedRelations(content, component, item, canFind, here, found, stopAtFirst);
    } else if (attr.type === 'dynamiczone') {
      for (const item of asList(value)) {
        if (!isObject(item) || typeof item.__component !== 'string') continue;
        const component = content.registry.models.get(item.__component);
        if (component?.modelType === 'component') restrictedRelations(content, component, item, canFind, here, found, stopAtFirst);
      }
    }
    if (stopAtFirst && found.length) return;
  }
}

/** v5 validateInput (throwRestrictedRelations): a relation to what the caller cannot `find` → 400 "Invalid key <field>", whatever its value. */
export function checkRestrictedRelations(content: Content, model: ModelDef, data: Record<string, unknown>, canFind: CanFind): void {
  const found: Array<{ key: string; path: string }> = [];
  restrictedRelations(content, model, data, canFind, null, found, true);
  if (found.length) throw invalidKey(found[0].key, found[0].path, { source: 'body' });
}

/** v4 sanitizeInput (removeRestrictedRelations): such relation keys are dropped without a word, in components too. */
export function dropRestrictedRelations(content: Content, model: ModelDef, data: Record<string, unknown>, canFind: CanFind): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const attr = model.attributes[key];
    if (attr?.type === 'relation' && attr.target && !attr.relation?.startsWith('morph') && !canFind(attr.target)) continue;
    if (attr?.type === 'component' && attr.component) {
      const component = content.registry.get(attr.component);
      const clean = (item: unknown) => (isObject(item) ? dropRestrictedRelations(content, component, item, canFind) : item);
      out[key] = Array.isArray(value) ? value.map(clean) : clean(value);
    } else if (attr?.type === 'dynamiczone' && Array.isArray(value)) {
      out[key] = value.map((item) => {
        if (!isObject(item) || typeof item.__component !== 'string') return item;
        const component = content.registry.models.get(item.__component);
        return component?.modelType === 'component' ? dropRestrictedRelations(content, component, item, canFind) : item;
      });
    } else out[key] = value;
  }
  return out;
}

// ---------- relation inputs ----------

type RefInput = { id?: unknown; documentId?: string; position?: Record<string, unknown> };
type RelationInput = { set?: RefInput[]; connect?: RefInput[]; disconnect?: RefInput[] };

function refInput(v: unknown, major: Major): RefInput {
  if (isObject(v)) return { id: v.id, documentId: typeof v.documentId === 'string' ? v.documentId : undefined, position: isObject(v.position) ? v.position : undefined };
  if (major === 5 && typeof v === 'string' && !/^\d+$/.test(v)) return { documentId: v };
  if (major === 5 && typeof v === 'string') return { documentId: v };
  return { id: v };
}

/** Any accepted relation shape → set / connect+disconnect of references. */
function relationInput(value: unknown, major: Major): RelationInput {
  if (value === null) return { set: [] };
  if (Array.isArray(value)) return { set: value.map((v) => refInput(v, major)) };
  if (isObject(value) && ('connect' in value || 'disconnect' in value || 'set' in value)) {
    const list = (v: unknown) => (v === undefined || v === null ? undefined : asList(v).map((x) => refInput(x, major)));
    if (value.set !== undefined && value.set !== null) return { set: list(value.set) };
    return { connect: list(value.connect), disconnect: list(value.disconnect) };
  }
  return { set: [refInput(value, major)] };
}

/** Collects the ids of a payload that point at nothing, per target (Strapi's relations-test). */
export class Missing {
  private byTarget = new Map<string, Set<string>>();
  add(target: string, id: unknown): void {
    let set = this.byTarget.get(target);
    if (!set) this.byTarget.set(target, (set = new Set()));
    set.add(String(id));
  }
  issue(): Issue | undefined {
    for (const [target, ids] of this.byTarget) {
      if (ids.size) return { path: '', message: `${ids.size} relation(s) of type ${target} associated with this entity do not exist`, hasValue: false };
    }
    return undefined;
  }
}

export class Writer {
  readonly major: Major;

  constructor(
    readonly content: Content,
    readonly links: Links,
  ) {
    this.major = content.major;
  }

  /** One reference of a relation input → what a row stores, or undefined (recorded in `missing`). */
  private resolveRef(target: string, input: RefInput, missing: Missing): number | string | undefined {
    const v5 = this.major === 5;
    const registry = this.content.registry;
    if (input.documentId !== undefined && v5) {
      const doc = input.documentId;
      let found: Rec | undefined;
      if (target === USER) found = this.content.store.users.by('documentId', doc)[0];
      else if (target === ROLE) found = this.content.store.roles.by('documentId', doc)[0];
      else if (target === FILE) found = this.content.files.files.by('documentId', doc)[0];
      else if (registry.isContentType(target)) found = this.content.table(target).by('documentId', doc)[0];
      if (!found) {
        const model = registry.models.get(target);
        throw new ValidationError(`Document with id "${doc}", locale "${model?.localized ? 'en' : 'null'}" not found`);
      }
      return this.links.refOf(target, found);
    }
    const raw = input.id;
    // v4 links a media given as a non-numeric string (a v5 documentId) to nothing, without an error (real 4.26.2).
    if (!v5 && target === FILE && typeof raw === 'string' && !/^\d+$/.test(raw)) return undefined;
    const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
    let found: Rec | undefined;
    if (id !== undefined) {
      if (target === USER) found = this.content.store.users.get(id);
      else if (target === ROLE) found = this.content.store.roles.get(id);
      else if (target === FILE) found = this.content.files.files.get(id);
      else if (registry.isContentType(target)) found = this.content.table(target).get(id);
    }
    if (!found) {
      missing.add(target, raw);
      return undefined;
    }
    return this.links.refOf(target, found);
  }

  /** A relation or media input applied to what is stored → the new stored value. */
  private relation(target: string, many: boolean, value: unknown, current: unknown, missing: Missing): unknown {
    const input = relationInput(value, this.major);
    const resolve = (list: RefInput[] | undefined) => (list ?? []).map((r) => ({ ref: this.resolveRef(target, r, missing), position: r.position }));
    let refs: Array<number | string>;
    if (input.set) {
      refs = resolve(input.set)
        .map((r) => r.ref)
        .filter((r): r is number | string => r !== undefined);
    } else {
      const drop = new Set(resolve(input.disconnect).map((r) => r.ref));
      refs = asList(current).filter((r) => !drop.has(r as number | string)) as Array<number | string>;
      for (const { ref, position } of resolve(input.connect)) {
        if (ref === undefined) continue;
        refs = refs.filter((r) => r !== ref);
        refs.splice(this.positionOf(target, refs, position), 0, ref);
      }
    }
    refs = [...new Set(refs)];
    if (many) return refs;
    return refs.length ? refs[refs.length - 1] : null;
  }

  /** connect's `position`: {start}, {end}, {before: ref}, {after: ref} (default: the end). */
  private positionOf(target: string, refs: Array<number | string>, position: Record<string, unknown> | undefined): number {
    if (!position) return refs.length;
    if (position.start) return 0;
    const anchor = position.before ?? position.after;
    if (anchor !== undefined) {
      const ref = this.resolveRef(target, refInput(anchor, this.major), new Missing());
      const at = refs.indexOf(ref as number | string);
      if (at >= 0) return position.before !== undefined ? at : at + 1;
    }
    return refs.length;
  }

  /**
   * Turns validated (cast) data into stored values for `model`, on top of `current` (the
   * stored row or component, for updates): scalars parsed by the database layer, relations
   * and media as references, components with their ids.
   */
  normalize(model: ModelDef, data: Record<string, unknown>, current: Rec | undefined, missing: Missing, fresh: boolean): Rec {
    const out: Rec = {};
    for (const name of model.writable) {
      const attr = model.attributes[name];
      if (!(name in data)) {
        if (fresh && isScalar(attr)) out[name] = null;
        if (fresh && attr.type === 'media') out[name] = attr.multiple ? [] : null;
        if (fresh && attr.type === 'relation' && typeof attr.mappedBy !== 'string') out[name] = holdsMany(attr) ? [] : null;
        continue;
      }
      const value = data[name];
      if (isScalar(attr)) out[name] = value === undefined ? null : parseStored(attr, value);
      else if (attr.type === 'media') {
        // A new row's media are attached from `set` only (the database layer's attachRelations for
        // morph relations): `{connect}` / `{disconnect}` link nothing on create, on both majors.
        const connectOnly = fresh && isObject(value) && !('set' in value) && ('connect' in value || 'disconnect' in value);
        out[name] = connectOnly ? (attr.multiple ? [] : null) : this.relation(FILE, !!attr.multiple, value, current?.[name], missing);
      }
      else if (attr.type === 'relation') {
        if (!attr.target || typeof attr.mappedBy === 'string') continue; // inverse sides are written on their owner (see inverseWrites)
        out[name] = this.relation(attr.target, holdsMany(attr), value, current?.[name], missing);
      } else if (attr.type === 'component') out[name] = this.components(model, name, value, current?.[name], missing, fresh);
      else if (attr.type === 'dynamiczone') out[name] = this.zone(name, value, current?.[name], missing, fresh);
    }
    return out;
  }

  private components(model: ModelDef, name: string, value: unknown, current: unknown, missing: Missing, fresh: boolean): unknown {
    const attr = model.attributes[name];
    const component = this.content.registry.get(attr.component!);
    const existing = asList(current) as ComponentValue[];
    const items = value === null ? [] : asList(value);
    if (!fresh) {
      for (const item of items) {
        const id = (item as Rec).id;
        if (id !== undefined && !existing.some((e) => String(e.id) === String(id))) throw new ApplicationError(`Some of the provided components in ${name} are not related to the entity`);
      }
    }
    const built = items.map((item) => this.component(component, item as Rec, existing, missing, fresh));
    if (attr.repeatable) return built;
    return built[0] ?? null;
  }

  private component(component: ModelDef, item: Rec, existing: ComponentValue[], missing: Missing, fresh: boolean): ComponentValue {
    const same = !fresh && item.id !== undefined ? existing.find((e) => String(e.id) === String(item.id)) : undefined;
    const { id: _id, __component: _c, ...given } = item;
    const data: Record<string, unknown> = { ...given };
    // A new component row gets its attributes' defaults, even during an update.
    if (!same) for (const [name, attr] of Object.entries(component.attributes)) if (data[name] === undefined && attr.default !== undefined && name in component.attributes && component.writable.includes(name)) data[name] = attr.default;
    const values = this.normalize(component, data, same, missing, !same);
    return { id: same ? same.id : this.content.nextComponentId(component.uid), ...(same ? withoutId(same) : {}), ...values };
  }

  private zone(name: string, value: unknown, current: unknown, missing: Missing, fresh: boolean): unknown {
    const existing = asList(current) as ComponentValue[];
    const items = value === null ? [] : (asList(value) as Rec[]);
    if (!fresh) {
      for (const item of items) {
        // Strapi throws a plain Error with status 400 here: the answer is named "Error" and has no details.
        if (item.id !== undefined && !existing.some((e) => String(e.id) === String(item.id) && e.__component === item.__component)) throw new StrapiError(400, 'Error', `Some of the provided components in ${name} are not related to the entity`, null);
      }
    }
    return items.map((item) => {
      const component = this.content.registry.get(item.__component as string);
      const pool = existing.filter((e) => e.__component === item.__component);
      const built = this.component(component, item, pool, missing, fresh);
      const { id, ...rest } = built;
      return { id, __component: component.uid, ...rest };
    });
  }

  /** A stored row/component expanded to every writable attribute (what a database read returns). */
  full(model: ModelDef, record: Rec): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of model.writable) {
      const attr = model.attributes[name];
      const v = record[name];
      if (attr.type === 'component') {
        const component = this.content.registry.get(attr.component!);
        out[name] = attr.repeatable ? asList(v).map((c) => ({ id: (c as Rec).id, ...this.full(component, c as Rec) })) : v ? { id: (v as Rec).id, ...this.full(component, v as Rec) } : null;
      } else if (attr.type === 'dynamiczone') {
        out[name] = asList(v).map((c) => {
          const component = this.content.registry.models.get((c as Rec).__component as string);
          return component ? { id: (c as Rec).id, __component: component.uid, ...this.full(component, c as Rec) } : c;
        });
      } else if (attr.type === 'relation' && typeof attr.mappedBy === 'string') continue;
      else out[name] = v === undefined ? null : v;
    }
    return out;
  }

  /** New ids for every component of a row (publishing clones them, as Strapi does). */
  cloneComponents(model: ModelDef, record: Rec): Rec {
    const out: Rec = { ...record };
    for (const name of model.writable) {
      const attr = model.attributes[name];
      if (attr.type === 'component') {
        const component = this.content.registry.get(attr.component!);
        const clone = (c: Rec) => ({ ...this.cloneComponents(component, c), id: this.content.nextComponentId(component.uid) });
        out[name] = attr.repeatable ? asList(record[name]).map((c) => clone(c as Rec)) : record[name] ? clone(record[name] as Rec) : null;
      } else if (attr.type === 'dynamiczone') {
        out[name] = asList(record[name]).map((c) => {
          const component = this.content.registry.get((c as Rec).__component as string);
          const { id: _id, __component, ...rest } = this.cloneComponents(component, c as Rec);
          return { id: this.content.nextComponentId(component.uid), __component, ...rest };
        });
      }
    }
    return out;
  }

  /** Writes to inverse (`mappedBy`) relations land on the owning side's rows (connect/disconnect start from the current links of `current`). */
  inverseWrites(model: ModelDef, data: Record<string, unknown>, missing: Missing, current?: Row): Array<{ target: string; attribute: string; refs: Array<number | string>; many: boolean }> {
    const out: Array<{ target: string; attribute: string; refs: Array<number | string>; many: boolean }> = [];
    for (const name of model.writable) {
      const attr = model.attributes[name];
      if (attr.type !== 'relation' || typeof attr.mappedBy !== 'string' || !attr.target || !(name in data)) continue;
      const now = current ? this.links.linked(current, model, name).map((r) => this.links.refOf(attr.target!, r)) : [];
      const refs = asList(this.relation(attr.target, true, data[name], now, missing)) as Array<number | string>;
      const owner = this.content.registry.models.get(attr.target);
      const ownerAttr = owner?.attributes[attr.mappedBy];
      if (!owner || !ownerAttr) continue;
      out.push({ target: attr.target, attribute: attr.mappedBy, refs, many: holdsMany(ownerAttr) });
    }
    return out;
  }

  /** Points the owner rows of an inverse relation at `ref` (and only those). */
  async applyInverse(writes: ReturnType<Writer['inverseWrites']>, ref: number | string): Promise<void> {
    for (const w of writes) {
      // The owner is a user (a project's user extension owns the relation): the users table.
      const table = (w.target === USER ? this.content.store.users : this.content.table(w.target)) as unknown as ReturnType<Content['table']>;
      const wanted = new Set(w.refs);
      for (const row of table.all()) {
        const key = this.links.refOf(w.target, row);
        const has = asList(row[w.attribute]).includes(ref);
        const should = wanted.has(key);
        if (has === should) continue;
        let next: unknown;
        if (w.many) next = should ? [...asList(row[w.attribute]), ref] : asList(row[w.attribute]).filter((r) => r !== ref);
        else next = should ? ref : null;
        await table.update(row.id, { [w.attribute]: next } as Partial<Row>);
      }
      this.content.setInverseList(w.target, w.attribute, ref, w.refs);
    }
  }

  /**
   * A relation whose inverse side holds one (oneToOne with inversedBy): real Strapi keeps it
   * exclusive from both sides, so the targets `row` now points at leave every other entry (v5:
   * every other document; the versions of `row`'s own document share them).
   */
  async takeExclusive(model: ModelDef, row: Row): Promise<void> {
    for (const name of model.writable) {
      const attr = model.attributes[name];
      if (attr.type !== 'relation' || typeof attr.inversedBy !== 'string' || !attr.target) continue;
      const inverseAttr = this.content.registry.models.get(attr.target)?.attributes[attr.inversedBy];
      if (!inverseAttr || holdsMany(inverseAttr)) continue;
      const taken = new Set(asList(row[name]));
      if (!taken.size) continue;
      const table = this.content.table(model.uid);
      for (const other of table.all()) {
        if (other.id === row.id || (this.major === 5 && other.documentId === row.documentId)) continue;
        const before = asList(other[name]);
        const kept = before.filter((r) => !taken.has(r));
        if (kept.length === before.length) continue;
        await table.update(other.id, { [name]: holdsMany(attr) ? kept : (kept[0] ?? null) } as Partial<Row>);
      }
    }
  }

  /** Is `value` taken by another entry (unique attributes)? v5 looks at published versions only. */
  isTaken(model: ModelDef, self: { id?: number; documentId?: string }, locale: string | null | undefined) {
    return (m: ModelDef, attribute: string, value: unknown): boolean => {
      if (m.uid !== model.uid) return false; // unique inside components is not checked here
      // A unique attribute of a user extension: the users table.
      if (model.uid === USER) return this.content.store.users.all().some((u) => (u as Record<string, unknown>)[attribute] === value && u.id !== self.id);
      return this.content.table(model.uid).by(attribute, value).some((row) => {
        if (this.major === 5) {
          if (row.documentId === self.documentId) return false;
          if (model.draftAndPublish && row.publishedAt === null) return false;
          if (model.localized && locale && row.locale !== locale) return false;
          return true;
        }
        return row.id !== self.id;
      });
    };
  }

  /** Every relation and media reference of a payload, resolved (v5: unknown documentIds throw here, before validation). */
  collectRelations(model: ModelDef, data: Record<string, unknown>, missing: Missing): void {
    for (const name of model.writable) {
      const attr = model.attributes[name];
      const value = data[name];
      if (value === undefined) continue;
      if (attr.type === 'media') this.relation(FILE, true, value, [], missing);
      else if (attr.type === 'relation' && attr.target) this.relation(attr.target, true, value, [], missing);
      else if (attr.type === 'component' && attr.component) {
        const component = this.content.registry.get(attr.component);
        for (const item of asList(value)) if (isObject(item)) this.collectRelations(component, item, missing);
      } else if (attr.type === 'dynamiczone') {
        for (const item of asList(value)) {
          if (!isObject(item) || typeof item.__component !== 'string') continue;
          const component = this.content.registry.models.get(item.__component);
          if (component?.modelType === 'component') this.collectRelations(component, item, missing);
        }
      }
    }
  }

  /**
   * Validates `data` and turns it into stored values, throwing Strapi's answer for the first
   * failing step (nothing is stored here; component ids are taken from the counters — the
   * caller rolls them back if a later step fails).
   */
  prepare(model: ModelDef, data: Record<string, unknown>, opts: { mode: Mode; isDraft: boolean; current?: Row; self: { id?: number; documentId?: string }; locale?: string | null }) {
    const missing = new Missing();
    if (this.major === 5) this.collectRelations(model, data, missing);
    const { value, issues } = validateModel(model, data, {
      major: this.major,
      mode: opts.mode,
      isDraft: opts.isDraft,
      registry: this.content.registry,
      isTaken: (m, a, v) => (this.major === 4 && opts.current && opts.current[a] === v ? false : this.isTaken(model, opts.self, opts.locale)(m, a, v)),
    });
    if (this.major === 4) this.collectRelations(model, value, missing);
    // The relations-test walks the data too: a zone entry without a component fails it, one with an unknown component breaks it.
    const componentIssue = (test: (i: Issue) => boolean) => issues.some((i) => /\.__component$/.test(i.path) && test(i));
    const zoneIssues: Issue[] = componentIssue((i) => i.message.endsWith('is a required field'))
      ? [{ path: '', message: 'Cannot build relations store from dynamiczone, component identifier is undefined', hasValue: false }]
      : componentIssue((i) => i.message.includes('must be one of the following values'))
        ? [{ path: '', message: 'Invalid relations', hasValue: false }]
        : [];
    const relationIssue = missing.issue();
    const rootIssues = [...zoneIssues, ...(relationIssue ? [relationIssue] : [])];
    // v5: the relations-test error carries the data it was given (see rootValue).
    if (this.major === 5) for (const i of rootIssues) Object.assign(i, { value: this.rootValue(model, data, value, opts.mode), hasValue: true });
    throwIssues([...issues, ...rootIssues], this.major);
    const stored = this.normalize(model, value, opts.current, new Missing(), opts.mode === 'creation');
    const inverse = this.inverseWrites(model, value, new Missing(), opts.current);
    return { value, stored, inverse };
  }

  /**
   * What yup hands Strapi's relations-test on v5: the payload with relations as `{set|connect:
   * [{id}]}` and `publishedAt: null`; when casting changed anything (a default, a cast value)
   * yup rebuilds the object, in reverse attribute order.
   */
  private rootValue(model: ModelDef, data: Record<string, unknown>, cast: Record<string, unknown>, mode: Mode): Record<string, unknown> {
    const refs = (value: unknown) => {
      const asRef = (v: unknown) => (isObject(v) ? { id: v.id ?? v.documentId } : { id: v });
      if (isObject(value) && ('connect' in value || 'disconnect' in value || 'set' in value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v.map(asRef) : v]));
      }
      return { set: asList(value).map(asRef) };
    };
    const normalize = (source: Record<string, unknown>): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(source)) {
        const attr = model.attributes[k];
        out[k] = attr && (attr.type === 'relation' || attr.type === 'media') && v !== null && v !== undefined ? refs(v) : v;
      }
      return { ...out, publishedAt: null };
    };
    const original = normalize(data);
    const changed = mode === 'creation' && Object.keys(cast).some((k) => !(k in data));
    if (!changed) return original;
    const castOut = normalize(cast);
    const order = [...Object.keys(model.attributes)].reverse();
    return Object.fromEntries(order.filter((k) => castOut[k] !== undefined).map((k) => [k, castOut[k]]));
  }

  /** The v5 publish validation: the whole draft, as a published version. */
  validatePublished(model: ModelDef, draft: Rec, locale: string | null | undefined): void {
    const { issues } = validateModel(model, this.full(model, draft), {
      major: this.major,
      mode: 'creation',
      isDraft: false,
      registry: this.content.registry,
      isTaken: this.isTaken(model, { documentId: draft.documentId as string }, locale),
    });
    throwIssues(issues, this.major);
  }

  newDocumentId(): string {
    return newDocumentId();
  }
}

function withoutId(c: ComponentValue): Rec {
  const { id: _id, ...rest } = c;
  return rest;
}
