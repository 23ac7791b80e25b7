/**
 * @module Provisioning templates: JSON data files, not a template language. A file holds settings
 * (`key → value`) and vendor knobs (`vars`); values may name a few placeholders (`{{screenUrl}}`).
 * Layers, later wins: for each root (shipped `templates/`, then the site's `provisioning/templates/`)
 * `<vendor>/common.json`, then `<vendor>/<MODEL>.json` beside it. A `null` value removes a setting a
 * lower layer set. Structure comes only from these files and our code, so no inventory value can
 * add a key or an element; every file is checked when loaded and a mistake stops the start.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { VENDOR_NAMES, type VendorName } from '../domain/types.ts';
import type { Setting, VendorProvisioning } from '../vendors/types.ts';

/** What a value may refer to. Per-phone ones are '' in files shared by many phones. */
export const PLACEHOLDERS = [
  'provisionUrl', 'ntpServer', 'ntpServer2', 'timeZone', 'sipServer',
  'mac', 'label', 'extension', 'userName', 'model', 'screenUrl',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export interface ResolvedTemplate {
  settings: Setting[];
  vars: Record<string, string>;
  /** The files that made it, lowest layer first (for the preview). */
  files: string[];
}

export interface TemplateSet {
  resolve(vendor: VendorName, modelKey: string): ResolvedTemplate;
  /** Every file loaded, for the admin view. */
  files(): string[];
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

const scalar = z.union([z.string().max(2048), z.number().finite()]).transform(String);
const fileSchema = z.object({
  description: z.string().max(2000).optional(),
  vars: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/, 'a var name is letters and digits'), scalar).optional(),
  settings: z.record(z.string().max(128), z.union([scalar, z.null()])).optional(),
}).strict();

interface Layer {
  file: string;
  settings: [string, string | null][];
  vars: [string, string][];
}

/** Reads and checks every template under `roots`; throws TemplateError naming the file and the problem. */
export function loadTemplates(roots: readonly string[], provisioning: Partial<Record<VendorName, VendorProvisioning>>): TemplateSet {
  const layers = new Map<string, Layer>();
  const order: string[] = [];
  for (const [r, root] of roots.entries()) {
    for (const vendor of VENDOR_NAMES) {
      const dir = join(root, vendor);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir).sort()) {
        if (!name.endsWith('.json')) continue;
        const file = join(dir, name);
        const m = /^(common|[A-Za-z0-9]{1,32})\.json$/.exec(name);
        if (m?.[1] === undefined) throw new TemplateError(`${file}: name it common.json or <MODEL>.json (letters and digits)`);
        const model = m[1] === 'common' ? 'common' : m[1].toUpperCase();
        layers.set(`${r}/${vendor}/${model}`, readLayer(file, provisioning[vendor]));
        order.push(file);
      }
    }
  }
  const cache = new Map<string, ResolvedTemplate>();
  return {
    resolve(vendor, modelKey) {
      const key = `${vendor}/${modelKey.toUpperCase()}`;
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const settings = new Map<string, string>();
      const vars: Record<string, string> = {};
      const files: string[] = [];
      for (let r = 0; r < roots.length; r++) {
        for (const model of modelKey === '' ? ['common'] : ['common', modelKey.toUpperCase()]) {
          const layer = layers.get(`${r}/${vendor}/${model}`);
          if (layer === undefined) continue;
          files.push(layer.file);
          for (const [k, v] of layer.settings) {
            if (v === null) settings.delete(k);
            else settings.set(k, v);
          }
          for (const [k, v] of layer.vars) vars[k] = v;
        }
      }
      const resolved = { settings: [...settings], vars, files };
      cache.set(key, resolved);
      return resolved;
    },
    files: () => [...order],
  };
}

/** Fill `{{name}}` placeholders; unknown names were refused at load time. */
export function fillPlaceholders(value: string, values: Readonly<Record<Placeholder, string>>): string {
  if (!value.includes('{{')) return value;
  return value.replace(/\{\{\s*([A-Za-z0-9]+)\s*\}\}/g, (_whole, name: string) => values[name as Placeholder] ?? '');
}

// --- Internal helpers ---

function readLayer(file: string, vendor: VendorProvisioning | undefined): Layer {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TemplateError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    throw new TemplateError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')}`);
  }
  const settings = Object.entries(parsed.data.settings ?? {});
  for (const [key, value] of settings) {
    if (vendor !== undefined && !vendor.isKey(key)) throw new TemplateError(`${file}: "${key}" is not a setting name this vendor's files can carry`);
    if (value !== null) checkPlaceholders(file, key, value);
  }
  return { file, settings, vars: Object.entries(parsed.data.vars ?? {}) };
}

function checkPlaceholders(file: string, key: string, value: string): void {
  for (const m of value.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    const name = m[1] ?? '';
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new TemplateError(`${file}: ${key}: unknown placeholder {{${name}}} (known: ${PLACEHOLDERS.join(', ')})`);
    }
  }
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new TemplateError(`${file}: ${key}: value holds a control character`);
}
