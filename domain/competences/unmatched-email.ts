/** The daily e-mail of participants with no WinLas person (CW-3), grouped by course. */
import { plural } from '../user-metadata';
import type { UnmatchedParticipant } from './status';

export function unmatchedEmail(input: {
  linkId: string;
  workflowId: string;
  unmatched: readonly UnmatchedParticipant[];
}): { subject: string; text: string } {
  const byCourse = new Map<string, UnmatchedParticipant[]>();
  for (const u of input.unmatched) {
    const course = `${u.guideId} ${u.course}`;
    byCourse.set(course, [...(byCourse.get(course) ?? []), u]);
  }
  const lines = [
    `Competence link ${input.linkId} (workflow ${input.workflowId}): ` +
      `${plural(input.unmatched.length, 'participant')} passed a linked course but no WinLas person has their e-mail.`,
    'Check the e-mail addresses in both systems (or add the person in WinLas); the next sync registers them.',
    '',
  ];
  for (const [course, people] of [...byCourse].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`Course ${course}:`);
    for (const p of people)
      lines.push(`  - ${p.email} (${p.firstName} ${p.lastName}), passed ${p.completedAt.slice(0, 10)}`);
    lines.push('');
  }
  return {
    subject: `Competence link ${input.linkId}: ${plural(input.unmatched.length, 'participant')} without a WinLas person`,
    text: lines.join('\n'),
  };
}
