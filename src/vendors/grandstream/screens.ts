/**
 * @module Grandstream screens: phones.md documents no Grandstream XML browser object (only "GS XML
 * apps" by name), so screens are plain text — readable, never a guessed phone object.
 */
import type { ScreenLimits } from '../../screens/model.ts';
import type { RenderScreen } from '../types.ts';
import { renderPlainText } from '../shared/plain-text.ts';

export const limits: ScreenLimits = { maxItems: 30, maxLabelChars: 40, maxTitleChars: 40, maxSoftkeys: 4, maxBytes: 10_000 };

export const renderScreen: RenderScreen = (screen) => renderPlainText(screen, limits);
