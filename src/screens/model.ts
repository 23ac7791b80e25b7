/** @module The vendor-neutral screen model: what a phone shows, before any vendor's XML. */

/** What pressing a key or choosing an item does. URLs are absolute and carry the phone's token. */
export type ScreenAction =
  | { type: 'open'; url: string }
  | { type: 'dial'; number: string }
  /** Open the highlighted list item (its `url`). */
  | { type: 'select' }
  /** Dial the highlighted list item (its `dial`). */
  | { type: 'dial-selected' }
  /**
   * Open `url` for the highlighted list item: the phone appends the item's `selection`
   * (Yealink: `selection=<value>`), so one key serves the whole list. Vendors without it drop the key.
   */
  | { type: 'open-selected'; url: string }
  | { type: 'back' }
  | { type: 'exit' };

export interface Softkey {
  label: string;
  action: ScreenAction;
}

export interface ListItem {
  label: string;
  /** Opened when the item is chosen. */
  url: string;
  /** Number dialled by a Dial key while the item is highlighted. */
  dial?: string;
  /** The value an `open-selected` key sends for this item (a missed call's id). */
  selection?: string;
}

export interface ListScreen {
  kind: 'list';
  title: string;
  items: ListItem[];
  softkeys: Softkey[];
}

export interface TextScreen {
  kind: 'text';
  title: string;
  /** Paragraphs, shown one per line. */
  lines: string[];
  softkeys: Softkey[];
}

export type Screen = ListScreen | TextScreen;

/** What a vendor's XML browser can hold; the screen builders page and cut to fit. */
export interface ScreenLimits {
  /** Most list items in one object (Yealink 30, Cisco 100). */
  maxItems: number;
  /** Most characters of one item label (Cisco 64). */
  maxLabelChars: number;
  maxTitleChars: number;
  maxSoftkeys: number;
  /**
   * Softkeys the phone shows at once when it pages the rest (Yealink: 6 in all, 4 per page). Absent:
   * all `maxSoftkeys` show. The screens keep Back on the first page.
   */
  softkeysPerPage?: number;
  /** Largest object the phone accepts, bytes (Yealink ~10 KB). */
  maxBytes: number;
}
