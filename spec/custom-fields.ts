// Custom fields (`"type": "customField", "customField": "plugin::<plugin>.<name>"`): Strapi
// stores each one as the type its plugin registers (`strapi.customFields.register({name,
// plugin, type})`) and serves it exactly like an attribute of that type. The emulator has no
// plugin code, so it knows the registered type from this table (each entry read from the
// plugin's server/register source), from the user's own mapping, or falls back to json.

/** `plugin::<plugin>.<name>` → the Strapi type the plugin registers. */
export const knownCustomFields: Readonly<Record<string, string>> = {
  // @ckeditor/strapi-plugin-ckeditor (official, v4 and v5) and its forks (nshenderov's, JonssonWorkwear's)
  'plugin::ckeditor.CKEditor': 'richtext',
  // strapi-plugin-ckeditor5 / @_sh/strapi-plugin-ckeditor for Strapi 5
  'plugin::ckeditor5.CKEditor': 'richtext',
  'plugin::ckeditor5.CKEditor5': 'richtext',
  // @strapi/plugin-color-picker (official)
  'plugin::color-picker.color': 'string',
  // strapi-plugin-country-select
  'plugin::country-select.country': 'string',
  // strapi-plugin-multi-select
  'plugin::multi-select.multi-select': 'json',
  // strapi-plugin-remote-select
  'plugin::remote-select.remote-select': 'text',
  'plugin::remote-select.remote-select-multi': 'json',
  'plugin::remote-select.searchable-remote-select': 'text',
  'plugin::remote-select.searchable-remote-select-multi': 'json',
  // strapi-plugin-editorjs-field
  'plugin::editorjs-field.editorjs-field': 'richtext',
  // strapi-plugin-icon-picker / strapi-plugin-react-icons
  'plugin::icon-picker.icon': 'string',
  'plugin::react-icons.icon': 'string',
  // strapi-plugin-oembed, strapi-plugin-tagsinput, strapi-plugin-google-maps
  'plugin::oembed.oembed': 'text',
  'plugin::tagsinput.tags': 'json',
  'plugin::google-maps.location-picker': 'json',
  // magic-editor-x stores its JSON document as text
  'plugin::magic-editor-x.richtext': 'text',
};

/** The types a custom field can be stored as (Strapi refuses relations, media, components and dynamic zones). */
export const customFieldTypes = ['string', 'text', 'richtext', 'blocks', 'email', 'password', 'uid', 'integer', 'biginteger', 'float', 'decimal', 'boolean', 'date', 'datetime', 'time', 'timestamp', 'json', 'enumeration'];

/**
 * An unknown custom field is served as json: a json attribute takes whatever value a
 * front end sends (a string, a number, an object) and answers it back unchanged, where
 * string or text would refuse objects with a 400 the real plugin may accept.
 */
export const customFieldFallback = 'json';

/** Checks a user's mapping (`customFields` option, `--custom-field uid=type`). */
export function checkCustomFieldMap(map: Record<string, string>): void {
  for (const [uid, type] of Object.entries(map)) {
    if (!/^(plugin::[\w-]+\.[\w-]+|global::[\w-]+)$/.test(uid)) throw new TypeError(`customFields: "${uid}" is not a custom field uid (expected plugin::<plugin>.<name> or global::<name>)`);
    if (!customFieldTypes.includes(type)) throw new TypeError(`customFields: "${uid}" maps to "${type}", which a custom field cannot be (expected one of ${customFieldTypes.join(', ')})`);
  }
}
