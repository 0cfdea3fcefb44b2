/**
 * Demo data for the embedded stack, so a newcomer sees a grade return happen and one wait:
 * Coachview knows learner P-1001 (and aNewSpring's u-17 as an external id) but not P-2999.
 */
import type { CoachviewSimulator } from '../simulators/coachview';
import type { MoodleSimulator } from '../simulators/moodle';
import type { IliasSimulator } from '../simulators/ilias';
import type { AnewspringSimulator } from '../simulators/anewspring';
import type { ItslearningSimulator } from '../simulators/itslearning';

export function seedDemoData(sims: {
  coachview: CoachviewSimulator;
  moodle: MoodleSimulator;
  ilias: IliasSimulator;
  anewspring: AnewspringSimulator;
  itslearning: ItslearningSimulator;
}): void {
  // A site administrator made by hand, without sync key: the roster sync must never touch it (IMSE-2).
  sims.itslearning.state.seed({
    persons: [
      {
        firstName: 'Site',
        lastName: 'Administrator',
        userName: 'site.admin',
        institutionRoles: ['Administrator'],
      },
    ],
  });
  sims.coachview.seed({
    persons: [
      { id: 'P-1001', firstName: 'Anna', lastName: 'de Vries', email: 'anna.devries@example.test' },
      {
        id: 'P-1002',
        externalId: 'u-17',
        firstName: 'Daan',
        lastName: 'Bakker',
        email: 'daan.bakker@example.test',
      },
      { id: 'P-1003', firstName: 'Sanne', lastName: 'Jansen', email: 'sanne.jansen@example.test' },
    ],
    enrolments: [
      { personId: 'P-1001', trainingId: 'T-VCA', elearningCourseId: '2' },
      { personId: 'P-1002', trainingId: 'T-BHV', elearningCourseId: 'C-BHV-1' },
      { personId: 'P-1003', trainingId: 'T-EHBO', elearningCourseId: '310' },
    ],
  });
  const now = Date.now();
  sims.moodle.state.seed({
    courses: [{ id: 2, shortname: 'VCA', fullname: 'VCA Basisveiligheid' }],
    users: [
      {
        id: 5,
        username: 'anna',
        firstname: 'Anna',
        lastname: 'de Vries',
        email: 'anna.devries@example.test',
        idnumber: 'P-1001',
      },
      {
        id: 6,
        username: 'piet',
        firstname: 'Piet',
        lastname: 'Visser',
        email: 'piet.visser@example.test',
        idnumber: 'P-2999',
      },
    ],
    enrolments: [
      { courseid: 2, userid: 5 },
      { courseid: 2, userid: 6 },
    ],
    completions: [
      { courseid: 2, userid: 5, grade: 8.5, timecompleted: Math.floor((now - 2 * 3600_000) / 1000) },
      { courseid: 2, userid: 6, grade: 6.8, timecompleted: Math.floor((now - 3600_000) / 1000) },
    ],
  } as Parameters<MoodleSimulator['state']['seed']>[0]);
  sims.ilias.state.seed({
    users: [{ usr_id: 311, login: 'sjansen', firstname: 'Sanne', lastname: 'Jansen', ext_account: 'P-1003' }],
    courses: [{ obj_id: 900, ref_id: 310, title: 'EHBO' }],
  });
  sims.anewspring.state.seed({
    users: [{ userId: 'u-17', name: 'Daan Bakker' }],
    courses: [{ courseId: 'C-BHV-1', name: 'BHV Basis' }],
  });
}
