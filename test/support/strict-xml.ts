/**
 * Test support: libxml2 (xmllint-wasm) as the strict judge of well-formedness, not the library
 * that wrote the XML. One xmllint run costs ~150 ms whatever it checks, so documents are judged
 * in batches: a run of 2,000 screens takes about a second.
 */
import assert from 'node:assert/strict';
import { validateXML } from 'xmllint-wasm';

/** Per malformed document (by index in `docs`), libxml2's first message; empty when all are well-formed. */
export async function strictXmlErrors(docs: readonly string[], batch = 1000): Promise<Map<number, string>> {
  const errors = new Map<number, string>();
  for (let start = 0; start < docs.length; start += batch) {
    const slice = docs.slice(start, start + batch);
    const result = await validateXML({
      xml: slice.map((contents, i) => ({ fileName: `doc${start + i}.xml`, contents })),
      normalization: 'format',
      // --noout: only the verdict; --format output of 1,000 documents is wasted work.
      modifyArguments: (args) => [...args.filter((a) => a !== '--format'), '--noout'],
    });
    if (result.valid) continue;
    for (const e of result.errors) {
      const m = /^doc(\d+)\.xml$/.exec(e.loc?.fileName ?? '');
      if (m?.[1] !== undefined && !errors.has(Number(m[1]))) errors.set(Number(m[1]), e.message);
    }
    if (errors.size === 0) errors.set(start, result.rawOutput.slice(0, 500));
  }
  return errors;
}

/** libxml2's verdict on one document; fails the test with its messages. */
export async function assertStrictXml(name: string, text: string): Promise<void> {
  const errors = await strictXmlErrors([text]);
  assert.equal(errors.size, 0, `${name}: ${[...errors.values()].join('; ')}\n${text.slice(0, 600)}`);
}
