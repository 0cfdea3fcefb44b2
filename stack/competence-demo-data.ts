/**
 * Demo data for the competence lifecycle (issue 11) in the embedded stack. InfoCaption has a published
 * course with historical participants (passed, failed, one e-mail written with capitals and spaces,
 * one participant WinLas does not know), a published physical course, an unpublished course and a guide
 * that is no course. WinLas has a competence tree with Brandskydd (365 days by default), HLR (730) and
 * Introduktion (no default validity, so a link to it is refused), and one person who already holds
 * Brandskydd (kept as it is).
 */
import { guideTypes } from '../adapters/infocaption/types';
import type { InfoCaptionSimulator } from '../simulators/infocaption';
import type { WinLasSimulator } from '../simulators/winlas';

export const competenceDemo = {
  guides: { fireSafety: 2001, cpr: 2002, fireSafetyDraft: 2003, intranetHowTo: 2004 },
  competences: { safety: 'C-100', fireSafety: 'C-101', cpr: 'C-102', introduction: 'C-103' },
  /** The participant with no WinLas person. */
  unmatchedEmail: 'johan.nyberg@example.test',
} as const;

const DAY = 24 * 3600_000;

export function seedCompetenceDemo(
  sims: { infocaption: InfoCaptionSimulator; winlas: WinLasSimulator },
  now = Date.now(),
): void {
  const daysAgo = (d: number, hour = 10): string => {
    const t = new Date(now - d * DAY);
    t.setUTCHours(hour, 0, 0, 0);
    return t.toISOString();
  };
  const { guides, competences } = competenceDemo;
  sims.infocaption.seed({
    guides: [
      { id: guides.fireSafety, name: 'Brandskydd grundkurs', type: guideTypes.course, published: true },
      { id: guides.cpr, name: 'HLR praktisk övning', type: guideTypes.physicalCourse, published: true },
      {
        id: guides.fireSafetyDraft,
        name: 'Brandskydd fördjupning (utkast)',
        type: guideTypes.course,
        published: false,
      },
      { id: guides.intranetHowTo, name: 'Så loggar du in på intranätet', type: 3, published: true },
    ],
    users: [
      {
        userId: 1,
        email: 'anna.larsson@example.test',
        firstName: 'Anna',
        lastName: 'Larsson',
        department: 'Förskola',
      },
      {
        userId: 2,
        email: ' Erik.Berg@Example.TEST ',
        firstName: 'Erik',
        lastName: 'Berg',
        department: 'Kök',
      },
      {
        userId: 3,
        email: 'sara.lind@example.test',
        firstName: 'Sara',
        lastName: 'Lind',
        department: 'Skola',
      },
      {
        userId: 4,
        email: competenceDemo.unmatchedEmail,
        firstName: 'Johan',
        lastName: 'Nyberg',
        department: 'Skola',
      },
      {
        userId: 5,
        email: 'maria.holm@example.test',
        firstName: 'Maria',
        lastName: 'Holm',
        department: 'Fritids',
      },
      {
        userId: 6,
        email: 'lars.ek@example.test',
        firstName: 'Lars',
        lastName: 'Ek',
        department: 'Vaktmästeri',
      },
    ],
    results: [
      { guideId: guides.fireSafety, userId: 1, passed: true, completedAt: daysAgo(400) },
      { guideId: guides.fireSafety, userId: 2, passed: true, completedAt: daysAgo(120) },
      { guideId: guides.fireSafety, userId: 3, passed: false, completedAt: daysAgo(90) },
      { guideId: guides.fireSafety, userId: 4, passed: true, completedAt: daysAgo(60) },
      { guideId: guides.fireSafety, userId: 5, passed: true, completedAt: daysAgo(30) },
      { guideId: guides.fireSafety, userId: 3, passed: true, completedAt: daysAgo(10) },
      { guideId: guides.cpr, userId: 1, passed: true, completedAt: daysAgo(45) },
      { guideId: guides.cpr, userId: 6, passed: true, completedAt: daysAgo(20) },
      { guideId: guides.cpr, userId: 2, passed: false, completedAt: daysAgo(5) },
      { guideId: guides.fireSafetyDraft, userId: 1, passed: true, completedAt: daysAgo(3) },
    ],
  });
  sims.winlas.seed({
    competences: [
      { id: competences.safety, name: 'Säkerhet' },
      {
        id: competences.fireSafety,
        name: 'Brandskydd',
        parentId: competences.safety,
        defaultValidityDays: 365,
      },
      { id: competences.cpr, name: 'HLR', parentId: competences.safety, defaultValidityDays: 730 },
      { id: competences.introduction, name: 'Introduktion', defaultValidityDays: null },
    ],
    persons: [
      { id: 'WP-1', email: 'anna.larsson@example.test', firstName: 'Anna', lastName: 'Larsson' },
      { id: 'WP-2', email: 'erik.berg@example.test', firstName: 'Erik', lastName: 'Berg' },
      { id: 'WP-3', email: 'Sara.Lind@example.test', firstName: 'Sara', lastName: 'Lind' },
      { id: 'WP-5', email: 'maria.holm@example.test', firstName: 'Maria', lastName: 'Holm' },
      { id: 'WP-6', email: 'lars.ek@example.test', firstName: 'Lars', lastName: 'Ek' },
    ],
    registrations: [
      // Registered by hand before any link: the integration must leave it as it is (CW-5).
      {
        personId: 'WP-5',
        competenceId: competences.fireSafety,
        validFrom: daysAgo(200).slice(0, 10),
        validTo: daysAgo(200 - 365).slice(0, 10),
        source: 'manual',
      },
    ],
  });
}
