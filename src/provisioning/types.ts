/** @module Provisioning records kept in the store: what each phone fetched, and what Poly phones uploaded. */

declare module '../store/types.ts' {
  interface Collections {
    /** Per phone (MAC): the provisioning files it fetched and their hashes (issue 4). */
    provisioningFetches: ProvisioningFetch;
    /** Per `<mac>/<name>`: files Poly phones uploaded (overrides, logs) (issue 4). */
    provisioningUploads: ProvisioningUpload;
  }
}

/** One file a phone fetched: its name, the SHA-256 of what we sent, when. */
export interface FetchedFile {
  sha256: string;
  at: string;
}

/** Per phone (id = MAC): the files it fetched, and the base URL it reached us at. */
export interface ProvisioningFetch {
  id: string;
  /** The base URL the phone used (`http://host:port`): its files are rendered with it for the drift view. */
  base: string;
  files: Record<string, FetchedFile>;
}

/** A file a phone PUT (Poly overrides, logs, directory): id = `<mac>/<name>`. */
export interface ProvisioningUpload {
  id: string;
  mac: string;
  name: string;
  kind: string;
  /** Bytes the phone sent. */
  size: number;
  sha256: string;
  /** The stored text: whole for settings and directories, the last part of a log. */
  body: string;
  truncated: boolean;
  at: string;
}
