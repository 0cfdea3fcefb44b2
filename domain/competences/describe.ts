/**
 * What an operator reads about a link in the Web UI (PLAT-13): the start's summary and details, and
 * the current details. Course and competence ids and names, phases and counts; never a participant.
 */
import { currentDetails, plural, startMetadata, type StartMetadata } from '../user-metadata';
import type { CompetenceLinkInput } from './link';
import type { LinkStatus } from './status';

export function competenceLinkStartMetadata(input: CompetenceLinkInput | undefined): StartMetadata {
  if (!input) {
    return startMetadata('Competence link InfoCaption → WinLas (the input fails its check)', [
      'The workflow refuses this input; its status names the bad fields.',
    ]);
  }
  const courses = input.guideIds.join(', ');
  const competences = input.competenceIds.join(', ');
  return startMetadata(`Competence link: InfoCaption guides ${courses} → WinLas competences ${competences}`, [
    'Checks the link (published Course or Physical guides; competences with a default validity), then',
    'backfills every historical participant who passed, page by page, and keeps registering new passes',
    'on the competence-sync schedule until the link is removed.',
    '',
    '- Where it stands: the current details here, or the `status` query (pages, registered, already held, unmatched).',
    '- Remove the link: send the update `unlink` with `{"operator": "you@example.se"}`; registrations stay.',
  ]);
}

export function competenceSyncStartMetadata(kind: 'sync' | 'unmatched-report'): StartMetadata {
  return kind === 'sync'
    ? startMetadata('Competence sync: ask every active InfoCaption → WinLas link to register new passes', [
        'Signals `sync` to every running competence link; each reads what passed since its cursor.',
      ])
    : startMetadata('Competence links: the daily e-mail of participants with no WinLas person', [
        'Signals `reportUnmatched` to every running competence link; each e-mails its unmatched participants.',
      ]);
}

const countsLine = (c: {
  registered: number;
  alreadyHeld: number;
  unmatched: number;
  passed: number;
}): string =>
  `${plural(c.registered, 'registration')} made, ${c.alreadyHeld} already held, ` +
  `${c.unmatched} without a WinLas person, of ${plural(c.passed, 'passing result')}`;

export function competenceLinkCurrentDetails(status: LinkStatus): string {
  const lines: string[] = [];
  const competences = status.competences.map((c) => `${c.competenceId} (${c.defaultValidityDays} days)`);
  switch (status.phase) {
    case 'validating':
      lines.push('**Checking the link** with InfoCaption and WinLas.');
      break;
    case 'backfilling':
      lines.push(
        `**Backfilling**: page ${status.backfill.pagesDone} of ${status.backfill.totalPages || '?'}. ` +
          countsLine(status.backfill),
      );
      break;
    case 'unlinked':
      lines.push(
        `**Unlinked** at ${status.unlinked?.at ?? '?'}${status.unlinked?.operator ? ` by ${status.unlinked.operator}` : ''}: ` +
          'no further registrations; those made stay in WinLas.',
      );
      break;
    default:
      lines.push(
        status.phase === 'stale'
          ? '**Stale**: a linked course is deleted in InfoCaption; it updates nothing any more.'
          : '**Active**: new passes are registered on every competence sync.',
      );
  }
  for (const c of status.courses) {
    lines.push(
      `- Course ${c.guideId} ${c.name}: ${c.stale ? `STALE (deleted in InfoCaption, seen ${c.staleSince ?? '?'})` : 'live'}` +
        (c.backfill.done ? '' : `, backfill page ${c.backfill.pagesDone} of ${c.backfill.totalPages ?? '?'}`),
    );
  }
  if (competences.length) lines.push(`Competences: ${competences.join(', ')}.`);
  if (status.backfill.done) lines.push(`Backfill done: ${countsLine(status.backfill)}.`);
  if (status.sync.runs > 0)
    lines.push(
      `Since then, ${plural(status.sync.runs, 'sync')} (last ${status.sync.lastAt}): ${countsLine(status.sync)}.`,
    );
  if (status.unmatched.count > 0)
    lines.push(
      `${plural(status.unmatched.count, 'participant')} without a WinLas person: listed in the \`status\` query ` +
        'and the daily e-mail; registered by a later sync once the person exists or the e-mail is fixed.',
    );
  return currentDetails(lines);
}
