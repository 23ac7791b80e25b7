/** @module MAC addresses as phones write them: `00:15:65:AA:BB:CC`, `001565aabbcc`, `0015-65aa-bbcc`. */

/** 12 lower-case hex digits, or undefined when the value is not a MAC. */
export function macOf(value: string): string | undefined {
  const mac = value.replace(/[\s:.-]/g, '').toLowerCase();
  return /^[0-9a-f]{12}$/.test(mac) ? mac : undefined;
}
