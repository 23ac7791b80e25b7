/**
 * @module The phone brands the server speaks (`GET /api/dashboard/vendors`, from its vendor
 * registry), loaded once at sign-in: pickers and vendor names follow the server instead of a list
 * copied into each page.
 */
import { api } from './api.js';

/** @type {[string, string][]} [name, title] in the server's order */
const list = [];

export async function loadVendors() {
  try {
    const items = /** @type {{ name: string, title: string }[]} */ ((await api('GET', '/dashboard/vendors')).items);
    list.splice(0, list.length, ...items.map((v) => /** @type {[string, string]} */ ([v.name, v.title])));
  } catch { /* the pickers stay empty and names show as the server sent them */ }
}

/** For `select()`: [name, title] pairs. */
export function vendorOptions() {
  return list;
}

/** @param {string} name */
export function vendorName(name) {
  return list.find(([v]) => v === name)?.[1] ?? name;
}
