/**
 * @module What a saved settings change does at once: SMTP and retention go to the follow-up
 * services, NTP servers to the clock check (checked again right away). The PBX webhook reads its
 * secret per request. Provisioning credentials need a restart (the provisioning routes are built at start).
 */
import type { SwitchableClock } from '../time/switchable-clock.ts';
import type { FollowUp } from './follow-up.ts';
import type { Settings } from './settings.ts';

export interface LiveSettingsTargets {
  followUp: Pick<FollowUp, 'reconfigure'>;
  clock: SwitchableClock;
  /** Runs the clock check now (the job's own run, so its status is recorded). */
  checkClock: () => void;
}

export function applySettingsLive(settings: Settings, to: LiveSettingsTargets): void {
  settings.onChange((config, changed) => {
    const f = config.followUp;
    if (changed.includes('smtpUrl') || changed.includes('smtpFrom')) {
      to.followUp.reconfigure({ smtp: f.smtpUrl === null ? null : { url: f.smtpUrl, from: f.smtpFrom } });
    }
    if (changed.includes('retentionDays')) to.followUp.reconfigure({ retentionDays: f.retentionDays });
    if (changed.includes('ntpServers')) {
      to.clock.setServers(config.ntpServers);
      to.checkClock();
    }
  });
}
