import { loadConfig } from '../../../platform/config';
import { desiredSchedules } from '../../../workers/schedules';

const base = {
  CODEC_KEYS: JSON.stringify({ k1: Buffer.alloc(32, 1).toString('base64') }),
  CODEC_ACTIVE_KEY_ID: 'k1',
};
const ids = (env: Record<string, string>) =>
  desiredSchedules(loadConfig({ ...base, ...env })).map((s) => s.scheduleId);

describe('the schedules a worker process ensures', () => {
  it('[PLAT-6] are those of the lifecycles it runs', () => {
    expect(ids({})).toEqual(['moodle-completion-poll']);
    expect(ids({ ROSTER_SYNC_ENABLED: 'true' })).toEqual([
      'roster-sync-daily:procapita-itslearning',
      'store-retention',
      'moodle-completion-poll',
    ]);
    expect(ids({ ROSTER_SYNC_ENABLED: 'true', GRADE_RETURN_ENABLED: 'false' })).toEqual([
      'roster-sync-daily:procapita-itslearning',
      'store-retention',
    ]);
  });

  it('[PC-9] the daily roster sync runs after working hours in Stockholm time and skips while one waits', () => {
    const [roster] = desiredSchedules(
      loadConfig({ ...base, ROSTER_SYNC_ENABLED: 'true', GRADE_RETURN_ENABLED: 'false' }),
    );
    expect(roster?.spec).toEqual({ calendars: [{ hour: 18, minute: 30 }], timezone: 'Europe/Stockholm' });
    expect(roster?.policies?.overlap).toBe('SKIP');
  });
});
