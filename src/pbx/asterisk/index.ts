/** @module Asterisk AMI source: URL → client → tracker → PbxCall (what the rest of the server uses of it). */
export { parseAmiUrl, DEFAULT_AMI_PORT, type AmiConnection } from './ami-url.ts';
export { startAmiClient, type AmiClient, type AmiLog, type AmiStatus } from './client.ts';
