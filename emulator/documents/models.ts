// The models the content API knows, the way Strapi registers them: every content type of the
// loaded schema.json files (with the system attributes Strapi adds: createdAt, updatedAt,
// publishedAt — on v5 for every type, on v4 only with draftAndPublish — and locale for
// localized types), every component, and the plugin models a relation or a media can point
// at (users-permissions user and role, upload file).
import type { Attribute as SchemaAttribute, Component, ContentType, StrapiSchemas } from '../../spec/content-types.js';
import { isToMany } from '../../spec/content-types.js';
import { addedAttributes } from '../../spec/extensions.js';
import type { Major } from '../config.js';
import type { Model } from '../http/query.js';
import { permissionModel, roleModel, userModel } from '../users-permissions/users.js';

export const USER = 'plugin::users-permissions.user';
export const ROLE = 'plugin::users-permissions.role';
export const FILE = 'plugin::upload.file';

export type Attribute = SchemaAttribute;

export type ModelDef = Model & {
  attributes: Record<string, Attribute>;
  modelType: 'contentType' | 'component' | 'plugin';
  kind?: 'collectionType' | 'singleType';
  info: { singularName: string; pluralName: string; displayName: string };
  /** Rows exist as a draft and a published version (v5), or carry publishedAt null for drafts (v4). */
  draftAndPublish: boolean;
  localized: boolean;
  /** The attributes a client may write (`data` keys), in schema order. */
  writable: string[];
  contentType?: ContentType;
};

const scalarTypes = new Set(['string', 'text', 'richtext', 'blocks', 'email', 'password', 'uid', 'integer', 'biginteger', 'float', 'decimal', 'boolean', 'date', 'datetime', 'time', 'timestamp', 'json', 'enumeration']);
export const isScalar = (a: Attribute | undefined): boolean => !!a && scalarTypes.has(a.type);
export const isRelational = (a: Attribute | undefined): boolean => !!a && (a.type === 'relation' || a.type === 'media');
/** Relations to many and multiple media hold a list. */
export const holdsMany = (a: Attribute): boolean => (a.type === 'media' ? !!a.multiple : a.type === 'relation' ? isToMany(a) : false);
/** What a relation or media points at. */
export const targetOf = (a: Attribute): string | undefined => (a.type === 'media' ? FILE : a.type === 'relation' ? a.target : undefined);
/** Private attributes and passwords never leave the emulator. */
export const isHidden = (a: Attribute): boolean => !!a.private || a.type === 'password';

const system = (major: Major, ct: { options?: { draftAndPublish?: boolean }; pluginOptions?: { i18n?: { localized?: boolean } } }): Record<string, Attribute> => ({
  createdAt: { type: 'datetime' },
  updatedAt: { type: 'datetime' },
  ...(major === 5 || ct.options?.draftAndPublish ? { publishedAt: { type: 'datetime' } } : {}),
  ...(ct.pluginOptions?.i18n?.localized ? { locale: { type: 'string' } } : {}),
});

export function fileModel(major: Major): ModelDef {
  const attributes: Record<string, Attribute> = {
    name: { type: 'string', required: true },
    alternativeText: { type: 'string' },
    caption: { type: 'string' },
    ...(major === 5 ? { focalPoint: { type: 'json' } } : {}),
    width: { type: 'integer' },
    height: { type: 'integer' },
    formats: { type: 'json' },
    hash: { type: 'string', required: true },
    ext: { type: 'string' },
    mime: { type: 'string', required: true },
    size: { type: 'decimal', required: true },
    url: { type: 'string', required: true },
    previewUrl: { type: 'string' },
    provider: { type: 'string', required: true },
    provider_metadata: { type: 'json' },
    related: { type: 'relation', relation: 'morphToMany' },
    folderPath: { type: 'string', private: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    ...(major === 5 ? { publishedAt: { type: 'datetime' } } : {}),
  };
  return { uid: FILE, attributes, modelType: 'plugin', info: { singularName: 'file', pluralName: 'files', displayName: 'File' }, draftAndPublish: false, localized: false, writable: [] };
}

function pluginModel(model: Model, singularName: string, pluralName: string): ModelDef {
  const attributes: Record<string, Attribute> = {};
  // The built-in relations carry no kind; an extension's own relations keep theirs.
  for (const [name, a] of Object.entries(model.attributes)) attributes[name] = { ...a, ...(a.type === 'relation' && !a.relation ? { relation: name === 'users' || name === 'permissions' ? 'oneToMany' : 'manyToOne' } : {}) } as Attribute;
  return { uid: model.uid, attributes, modelType: 'plugin', info: { singularName, pluralName, displayName: singularName }, draftAndPublish: false, localized: false, writable: [] };
}

function contentTypeModel(major: Major, ct: ContentType): ModelDef {
  const own = ct.attributes;
  return {
    uid: ct.uid,
    attributes: { ...own, ...system(major, ct) },
    modelType: 'contentType',
    kind: ct.kind,
    info: { singularName: ct.info.singularName, pluralName: ct.info.pluralName, displayName: ct.info.displayName ?? ct.info.singularName },
    draftAndPublish: !!ct.options?.draftAndPublish,
    localized: !!ct.pluginOptions?.i18n?.localized,
    writable: Object.keys(own),
    contentType: ct,
  };
}

function componentModel(c: Component): ModelDef {
  const name = c.uid.split('.').pop()!;
  return {
    uid: c.uid,
    attributes: c.attributes,
    modelType: 'component',
    info: { singularName: name, pluralName: name, displayName: c.info?.displayName ?? name },
    draftAndPublish: false,
    localized: false,
    writable: Object.keys(c.attributes),
  };
}

/** Every model of one emulator, by uid. */
export class Registry {
  readonly models = new Map<string, ModelDef>();
  readonly contentTypes: ModelDef[] = [];
  readonly components: ModelDef[] = [];

  constructor(
    readonly major: Major,
    readonly schemas: StrapiSchemas,
  ) {
    for (const m of [pluginModel(userModel(major, schemas.extensions?.[USER]), 'user', 'users'), pluginModel(roleModel(major), 'role', 'roles'), pluginModel(permissionModel(major), 'permission', 'permissions'), fileModel(major)]) this.models.set(m.uid, m);
    for (const ct of schemas.contentTypes) {
      const m = contentTypeModel(major, ct);
      this.models.set(m.uid, m);
      this.contentTypes.push(m);
    }
    for (const c of schemas.components) {
      const m = componentModel(c);
      this.models.set(m.uid, m);
      this.components.push(m);
    }
  }

  private userFieldsCache: string[] | undefined;

  /**
   * The user attributes an answer carries, in the model's order: the visible scalars, then
   * the timestamps (the columns real Strapi selects; private ones and passwords never leave).
   */
  userFields(): string[] {
    if (!this.userFieldsCache) {
      const attributes = this.get(USER).attributes;
      const stamps = ['createdAt', 'updatedAt', 'publishedAt'];
      const names = Object.entries(attributes).filter(([name, a]) => isScalar(a) && !isHidden(a) && !stamps.includes(name)).map(([name]) => name);
      this.userFieldsCache = [...names, ...stamps.filter((s) => s in attributes)];
    }
    return this.userFieldsCache;
  }

  /** The attributes a project's extension adds to the user (none without one). */
  userExtras(): Record<string, Attribute> {
    return addedAttributes(this.schemas.extensions?.[USER], Object.keys(userModel(this.major).attributes));
  }

  get(uid: string): ModelDef {
    const m = this.models.get(uid);
    if (!m) throw new Error(`no model ${uid}`);
    return m;
  }

  /** A model for any uid (unknown ones have no attributes), as the query layer wants it. */
  lookup = (uid: string): ModelDef =>
    this.models.get(uid) ?? { uid, attributes: {}, modelType: 'plugin', info: { singularName: uid, pluralName: uid, displayName: uid }, draftAndPublish: false, localized: false, writable: [] };

  isContentType(uid: string | undefined): boolean {
    return !!uid && this.models.get(uid)?.modelType === 'contentType';
  }
}
