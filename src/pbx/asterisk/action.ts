/** @module AMI actions: one message to send, as bytes on the wire. */

/**
 * Serialise an action (`{ Action: 'Login', ActionID: '1', … }`) as CRLF lines ended by an empty
 * line. A CR or LF inside a key or value would let it smuggle extra headers or a second action
 * (a secret ending in `\r\nAction: Originate`), so those are refused rather than escaped.
 */
export function formatAction(fields: Readonly<Record<string, string>>): string {
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (/[\r\n:]/.test(key) || key.trim() === '' || /[\r\n]/.test(value)) {
      // The key is named, the value never is: it may be the secret.
      throw new Error(`[ringback] [ami] action header ${JSON.stringify(key)} contains a line break or is invalid`);
    }
    out += `${key}: ${value}\r\n`;
  }
  return `${out}\r\n`;
}
