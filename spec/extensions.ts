// Plugin extensions of a Strapi project: `src/extensions/<plugin>/content-types/<name>/schema.json`.
// Strapi's plugin loader (applyUserExtension, 4.26.2 and 5.54.0) merges such a file over the
// plugin's own schema with a shallow spread: every top-level key of the extension replaces the
// plugin's, so its `attributes` are the model's attributes from then on (the content-type
// builder writes the plugin's own attributes into the file along with the new ones).
// Only the plugin types the emulator serves can be extended; any other is refused with its path.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Attribute, type StrapiSchemas, SchemaFileError, checkAttributes, readJson } from './content-types.js';

/** The plugin content types an extension may change: the ones the emulator serves. */
export const extensibleTypes = ['plugin::users-permissions.user', 'plugin::users-permissions.role', 'plugin::upload.file'] as const;
export type ExtensibleType = (typeof extensibleTypes)[number];

export type PluginExtension = {
  uid: ExtensibleType;
  /** The model's attributes from now on, in the file's order. */
  attributes: Record<string, Attribute>;
  file: string;
  /** The plugin's own attributes the file leaves out: kept (the plugin's code needs them), with a warning. */
  dropped: string[];
};

/** `uid → extension`; empty when the project extends nothing. */
export type PluginExtensions = Partial<Record<ExtensibleType, PluginExtension>>;

/** The attributes each plugin model must keep for the emulator's own code (and Strapi's). */
const required: Record<ExtensibleType, string[]> = {
  'plugin::users-permissions.user': ['username', 'email', 'provider', 'password', 'resetPasswordToken', 'confirmationToken', 'confirmed', 'blocked', 'role'],
  'plugin::users-permissions.role': ['name', 'description', 'type', 'permissions', 'users'],
  'plugin::upload.file': [],
};

const dirs = (dir: string) => readdirSync(dir).filter((n) => !n.startsWith('.') && statSync(join(dir, n)).isDirectory()).sort();

/**
 * Reads the plugin extensions below `extensionsDir` (a project's `src/extensions`). A missing
 * folder extends nothing; a file naming a plugin type the emulator does not serve or a broken
 * schema is one error naming the file. The plugin's own attributes a file leaves out are kept
 * (`dropped`: the plugin's code needs them; the caller warns).
 */
export function loadPluginExtensions(extensionsDir: string): PluginExtensions {
  const out: PluginExtensions = {};
  if (!existsSync(extensionsDir)) return out;
  for (const plugin of dirs(extensionsDir)) {
    const typesDir = join(extensionsDir, plugin, 'content-types');
    if (!existsSync(typesDir)) continue;
    for (const name of dirs(typesDir)) {
      const file = join(typesDir, name, 'schema.json');
      if (!existsSync(file)) continue;
      const uid = `plugin::${plugin}.${name}`;
      if (!(extensibleTypes as readonly string[]).includes(uid)) {
        throw new SchemaFileError(file, `extends ${uid}, which the emulator does not serve (it serves ${extensibleTypes.join(', ')})`);
      }
      const json = readJson(file);
      const attributes = checkAttributes(file, json.attributes);
      const dropped = required[uid as ExtensibleType].filter((a) => !(a in attributes));
      out[uid as ExtensibleType] = { uid: uid as ExtensibleType, attributes, file, dropped };
    }
  }
  return out;
}

/** The attributes an extension adds to a plugin model (those the plugin itself does not define). */
export function addedAttributes(extension: { attributes: Record<string, Attribute> } | undefined, builtIn: Iterable<string>): Record<string, Attribute> {
  if (!extension) return {};
  const own = new Set(builtIn);
  return Object.fromEntries(Object.entries(extension.attributes).filter(([name]) => !own.has(name)));
}

/**
 * `schemas` with the project's plugin extensions, their references checked like a content
 * type's: components must exist, relations must target a known type.
 */
export function withExtensions(schemas: StrapiSchemas, extensions: PluginExtensions): StrapiSchemas {
  const componentUids = new Set(schemas.components.map((c) => c.uid));
  const targets = new Set([...schemas.contentTypes.map((c) => c.uid), ...extensibleTypes, 'plugin::users-permissions.permission']);
  for (const ext of Object.values(extensions)) {
    for (const [name, attr] of Object.entries(ext.attributes)) {
      const used = attr.type === 'component' ? [attr.component!] : attr.type === 'dynamiczone' ? attr.components! : [];
      for (const uid of used) if (!componentUids.has(uid)) throw new SchemaFileError(ext.file, `attribute "${name}" uses the component "${uid}", which is not defined under components/`);
      if (attr.type === 'relation' && attr.target && !targets.has(attr.target)) throw new SchemaFileError(ext.file, `attribute "${name}" targets "${attr.target}", which is not a known content type`);
    }
  }
  return { ...schemas, extensions };
}

/** One warning line per extension that leaves out attributes of its plugin (kept anyway). */
export function droppedAttributeWarnings(extensions: PluginExtensions): string[] {
  return Object.values(extensions)
    .filter((ext) => ext.dropped.length)
    .map((ext) => `${ext.file}: leaves out ${ext.dropped.join(', ')} of ${ext.uid}; kept, as the plugin needs them (real Strapi would drop them)`);
}
