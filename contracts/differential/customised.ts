// A customised Strapi, as `diff` exists to find: a temp copy of the rich project whose tag
// controller departs from stock (its list answers carry one more meta field).
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { richProject } from '../conformance/rich-client.js';

export const customController = `'use strict';
const { createCoreController } = require('@strapi/strapi').factories;

module.exports = createCoreController('api::tag.tag', () => ({
  async find(ctx) {
    const answer = await super.find(ctx);
    answer.meta.customised = true;
    return answer;
  },
}));
`;

/** The folder of the copy (under the system temp dir). */
export function customisedRich(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'strapi-emulator-customised-')), 'rich');
  cpSync(richProject, dir, { recursive: true });
  mkdirSync(join(dir, 'src', 'api', 'tag', 'controllers'), { recursive: true });
  writeFileSync(join(dir, 'src', 'api', 'tag', 'controllers', 'tag.js'), customController);
  return dir;
}
