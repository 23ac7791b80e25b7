/**
 * `tsx bench/heap-top.ts <file.heapsnapshot> [n]`: what holds a heap snapshot's memory. Prints the
 * self size by constructor and the n objects that retain the most (their dominator-tree size) with
 * the chain of objects that dominate them, so "the heap grew" becomes "this Map of that module".
 * Weak edges do not retain (the way DevTools counts).
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number };
  nodes: number[]; edges: number[]; strings: string[];
}
const args = process.argv.slice(2);
const whoAt = args.indexOf('--who');
const who = whoAt >= 0 ? args.splice(whoAt, 2)[1] : undefined;
const [file, top = '25'] = args;
if (file === undefined) throw new Error('usage: tsx bench/heap-top.ts <file.heapsnapshot> [n]');
const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const { meta } = s.snapshot;
const NF = meta.node_fields.length, EF = meta.edge_fields.length;
const nType = meta.node_fields.indexOf('type'), nName = meta.node_fields.indexOf('name'), nSelf = meta.node_fields.indexOf('self_size'), nEdges = meta.node_fields.indexOf('edge_count');
const eType = meta.edge_fields.indexOf('type'), eName = meta.edge_fields.indexOf('name_or_index'), eTo = meta.edge_fields.indexOf('to_node');
const nodeTypes = meta.node_types[0], edgeTypes = meta.edge_types[0];
const WEAK = edgeTypes.indexOf('weak'), SHORTCUT = edgeTypes.indexOf('shortcut');
const N = s.nodes.length / NF;
const firstEdge = new Uint32Array(N + 1);
for (let i = 0, e = 0; i < N; i++) { firstEdge[i] = e; e += (s.nodes[i * NF + nEdges] ?? 0) * EF; firstEdge[i + 1] = e; }
const at = (a: number[], i: number) => a[i] ?? 0;
const label = (i: number) => `${nodeTypes[at(s.nodes, i * NF + nType)]}:${s.strings[at(s.nodes, i * NF + nName)]?.slice(0, 60)}`;
const retains = (e: number) => { const t = at(s.edges, e + eType); return t !== WEAK && t !== SHORTCUT; };

// Postorder from the root (node 0), iteratively.
const order = new Int32Array(N).fill(-1); const post: number[] = [];
const stack: number[] = [0]; const cursor = new Uint32Array(N); order[0] = -2;
for (let i = 0; i < N; i++) cursor[i] = firstEdge[i] ?? 0;
while (stack.length > 0) {
  const v = stack[stack.length - 1] ?? 0;
  let pushed = false;
  while ((cursor[v] ?? 0) < (firstEdge[v + 1] ?? 0)) {
    const e = cursor[v] ?? 0; cursor[v] = e + EF;
    if (!retains(e)) continue;
    const w = at(s.edges, e + eTo) / NF;
    if (order[w] === -1) { order[w] = -2; stack.push(w); pushed = true; break; }
  }
  if (!pushed) { stack.pop(); order[v] = post.length; post.push(v); }
}
// Predecessors, then Cooper–Harvey–Kennedy's iterative dominators.
const predCount = new Uint32Array(N + 1);
for (let v = 0; v < N; v++) for (let e = firstEdge[v] ?? 0; e < (firstEdge[v + 1] ?? 0); e += EF) if (retains(e)) predCount[at(s.edges, e + eTo) / NF + 1]! += 1;
for (let i = 0; i < N; i++) predCount[i + 1]! += predCount[i] ?? 0;
const preds = new Uint32Array(predCount[N] ?? 0); const fill = predCount.slice();
for (let v = 0; v < N; v++) for (let e = firstEdge[v] ?? 0; e < (firstEdge[v + 1] ?? 0); e += EF) if (retains(e)) { const w = at(s.edges, e + eTo) / NF; preds[fill[w]!++] = v; }
const idom = new Int32Array(N).fill(-1); idom[0] = 0;
const intersect = (a: number, b: number) => { while (a !== b) { while ((order[a] ?? 0) < (order[b] ?? 0)) a = idom[a] ?? 0; while ((order[b] ?? 0) < (order[a] ?? 0)) b = idom[b] ?? 0; } return a; };
for (let changed = true; changed;) {
  changed = false;
  for (let k = post.length - 2; k >= 0; k--) {
    const v = post[k] ?? 0; let d = -1;
    for (let p = predCount[v] ?? 0; p < (predCount[v + 1] ?? 0); p++) { const u = preds[p] ?? 0; if (idom[u] === -1 || (order[u] ?? -1) < 0) continue; d = d === -1 ? u : intersect(u, d); }
    if (d !== -1 && idom[v] !== d) { idom[v] = d; changed = true; }
  }
}
const retained = new Float64Array(N);
for (const v of post) retained[v]! += at(s.nodes, v * NF + nSelf);
for (const v of post) if (v !== 0 && (idom[v] ?? -1) >= 0) retained[idom[v] ?? 0]! += retained[v] ?? 0;

const mb = (x: number) => `${(x / 1048576).toFixed(1)} MB`;
const byCtor = new Map<string, [number, number]>();
for (let v = 0; v < N; v++) { const k = label(v); const c = byCtor.get(k) ?? [0, 0]; c[0] += at(s.nodes, v * NF + nSelf); c[1] += 1; byCtor.set(k, c); }
console.log(`total self ${mb(retained[0] ?? 0)} in ${N} nodes\nself size by type:name`);
for (const [k, [b, c]] of [...byCtor].sort((a, b) => b[1][0] - a[1][0]).slice(0, 25)) console.log(`  ${mb(b).padStart(9)} ${String(c).padStart(8)}  ${k}`);
// Biggest retainers that are not just the root's synthetic groups: with the edge name that holds them.
const edgeName = (from: number, to: number) => {
  for (let e = firstEdge[from] ?? 0; e < (firstEdge[from + 1] ?? 0); e += EF) if (at(s.edges, e + eTo) / NF === to) {
    const t = edgeTypes[at(s.edges, e + eType)]; const n = at(s.edges, e + eName);
    return t === 'element' || t === 'hidden' ? `[${n}]` : String(s.strings[n]);
  }
  return '?';
};
// The dominator tree from the root down: every object retaining at least 1/400 of the heap, with
// what its smaller children retain together, so "the heap grew" becomes "this Map of that module".
const children = new Map<number, number[]>();
for (const v of post) if (v !== 0 && (idom[v] ?? -1) >= 0) { const d = idom[v] ?? 0; const c = children.get(d); if (c === undefined) children.set(d, [v]); else c.push(v); }
const floor = (retained[0] ?? 0) / Number(top === '25' ? 400 : top);
console.log(`\ndominator tree (retained ≥ ${mb(floor)})`);
const walk = (v: number, depth: number) => {
  const kids = (children.get(v) ?? []).sort((a, b) => (retained[b] ?? 0) - (retained[a] ?? 0));
  const big = kids.filter((k) => (retained[k] ?? 0) >= floor);
  const small = kids.length - big.length;
  const smallSum = kids.slice(big.length).reduce((t, k) => t + (retained[k] ?? 0), 0);
  for (const k of big) {
    console.log(`${'  '.repeat(depth)}${mb(retained[k] ?? 0)} .${edgeName(v, k)} ${label(k)} (self ${mb(at(s.nodes, k * NF + nSelf))})`);
    if (depth < 14) walk(k, depth + 1);
  }
  if (small > 0 && smallSum >= floor) console.log(`${'  '.repeat(depth)}${mb(smallSum)} in ${small} smaller (e.g. ${label(kids[big.length] ?? 0)})`);
};
walk(0, 0);

// --who <name prefix>: the retaining path (shortest from the root) of a few objects of that name.
if (who !== undefined) {
  const dist = new Int32Array(N).fill(-1); const via = new Int32Array(N).fill(-1);
  const queue = [0]; dist[0] = 0;
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q] ?? 0;
    for (let e = firstEdge[v] ?? 0; e < (firstEdge[v + 1] ?? 0); e += EF) {
      if (!retains(e)) continue;
      const w = at(s.edges, e + eTo) / NF;
      if (dist[w] === -1) { dist[w] = (dist[v] ?? 0) + 1; via[w] = v; queue.push(w); }
    }
  }
  const matches: number[] = [];
  for (let v = 0; v < N; v++) if ((s.strings[at(s.nodes, v * NF + nName)] ?? '').startsWith(who)) matches.push(v);
  // The largest few: where most of that kind's memory is.
  for (const v of matches.sort((a, b) => at(s.nodes, b * NF + nSelf) - at(s.nodes, a * NF + nSelf)).slice(0, 4)) {
    const path: string[] = [];
    for (let u = v; u > 0 && path.length < 30; u = via[u] ?? 0) path.unshift(`${label(u)} .${edgeName(via[u] ?? 0, u)}`);
    console.log(`\n${who} (${mb(at(s.nodes, v * NF + nSelf))}): ${path.join('\n  < ')}`);
  }
}
