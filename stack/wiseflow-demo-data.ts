/**
 * Demo data for the Praktikportalen → WISEflow flow sync (issue 12) in the embedded stack. WISEflow's
 * licence carries the Praktikportalen user data type and the access-token module; flow 501 is
 * ACTIVATED, with participation and marking dates ahead; its webhook registration points at the
 * intake's `/webhooks/wiseflow`. Praktikportalen has internship period PP-2027-04 with two supervisors
 * and three students. Linking flow 501 to PP-2027-04 (README "Try a WISEflow flow") starts the sync.
 */
import type { PraktikportalenSimulator } from '../simulators/praktikportalen';
import type { WiseflowSimulator } from '../simulators/wiseflow';

export const wiseflowDemo = {
  flowId: 501,
  periodNumber: 'PP-2027-04',
  praktikportalenUserDataTypeId: 7,
} as const;

const DAY = 24 * 3600;

export function seedWiseflowDemo(
  sims: { wiseflow: WiseflowSimulator; praktikportalen: PraktikportalenSimulator },
  webhook: { url: string; secret: string },
  now = Math.floor(Date.now() / 1000),
): void {
  sims.wiseflow.state.seed({
    licence: {
      licenseId: 1001,
      name: 'Demo University College',
      userDataTypes: [
        { id: 3, name: 'CPR' },
        { id: wiseflowDemo.praktikportalenUserDataTypeId, name: 'Praktikportalen' },
      ],
      accessTokenModule: true,
    },
    flows: [
      {
        id: wiseflowDemo.flowId,
        title: 'Praktik 4. semester, forår 2027',
        state: 'ACTIVATED',
        participationStart: now + 7 * DAY,
        participationEnd: now + 70 * DAY,
        markingStart: now + 71 * DAY,
        markingEnd: now + 90 * DAY,
      },
      { id: 502, title: 'Bachelorprojekt 2026 (archived)', state: 'ARCHIVED' },
    ],
    // A teacher made by hand as an ordinary user: the integration never touches her.
    users: [
      {
        firstName: 'Karen',
        lastName: 'Madsen',
        emails: ['karen.madsen@ucdemo.example.dk'],
        roles: ['manager'],
      },
    ],
    webhooks: [{ url: webhook.url, secret: webhook.secret, events: ['FLOW_EXTERNAL_SOURCE'], active: true }],
  });
  const person = (id: string, firstName: string, lastName: string, domain: string) => ({
    praktikportalenId: id,
    firstName,
    lastName,
    email: `${firstName}.${lastName}@${domain}`.toLowerCase(),
  });
  sims.praktikportalen.state.seed({
    periods: [
      {
        periodNumber: wiseflowDemo.periodNumber,
        title: 'Praktikperiode 4, forår 2027',
        startDate: '2027-02-01',
        endDate: '2027-04-30',
        students: [
          person('pp-stud-101', 'Emma', 'Nielsen', 'stud.ucdemo.example.dk'),
          person('pp-stud-102', 'Oliver', 'Jensen', 'stud.ucdemo.example.dk'),
          person('pp-stud-103', 'Ida', 'Larsen', 'stud.ucdemo.example.dk'),
        ],
        supervisors: [
          person('pp-sup-201', 'Mette', 'Pedersen', 'skole-nord.example.dk'),
          person('pp-sup-202', 'Lars', 'Christensen', 'boernehus-syd.example.dk'),
        ],
      },
    ],
  });
}
