/**
 * A link from InfoCaption courses to WinLas competences (CW-1, CW-6): its input, its id and the
 * rules that refuse it. No imports beyond the input check: workflow code uses this module.
 */
import { FieldChecker, type InputCheck } from '../input-check';

/** InfoCaption's guide types that can be linked (seed 000: only published Course or Physical guides). */
export const linkableGuideTypes = { course: 14, physicalCourse: 18 } as const;
const linkableTypes: readonly number[] = Object.values(linkableGuideTypes);

export const MAX_LINKED = 50;

/** One link: every course gives every competence (many-to-many, CW-1). */
export interface CompetenceLinkInput {
  guideIds: number[];
  competenceIds: string[];
  /** Operator setting: continue as new once the run's history has this many events (default 2,000). */
  continueAsNewAfterEvents?: number;
}

/** Continue as new well before Temporal's warnings (10,240 events, 10 MB). */
export const LINK_HISTORY_EVENTS_DEFAULT = 2_000;
const LINK_HISTORY_EVENTS_RANGE = { min: 50, max: 10_000, default: LINK_HISTORY_EVENTS_DEFAULT };

export interface GuideFacts {
  id: number;
  name: string;
  type: number;
  published: boolean;
}

export interface CompetenceFacts {
  id: string;
  name: string;
  defaultValidityDays: number | null;
}

/** A competence the link registers, with what its registrations need (CW-6). */
export interface LinkedCompetence {
  competenceId: string;
  name: string;
  defaultValidityDays: number;
}

const COMPETENCE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Checks a link's input (plain JSON from the Web UI or the CLI); every bad field by name, never its value. */
export function checkLinkInput(raw: unknown): InputCheck<CompetenceLinkInput> {
  const check = new FieldChecker(raw);
  const guides = check.raw('guideIds');
  const competences = check.raw('competenceIds');
  let guideIds: number[] = [];
  let competenceIds: string[] = [];
  if (!Array.isArray(guides) || guides.length === 0 || guides.length > MAX_LINKED) {
    check.fail('guideIds', `expected a list of 1 to ${MAX_LINKED} InfoCaption guide ids`, null);
  } else if (!guides.every((g) => typeof g === 'number' && Number.isInteger(g) && g > 0)) {
    check.fail('guideIds', 'every guide id must be a positive integer', null);
  } else {
    guideIds = [...new Set(guides as number[])].sort((a, b) => a - b);
  }
  if (!Array.isArray(competences) || competences.length === 0 || competences.length > MAX_LINKED) {
    check.fail('competenceIds', `expected a list of 1 to ${MAX_LINKED} WinLas competence ids`, null);
  } else if (!competences.every((c) => typeof c === 'string' && COMPETENCE_ID.test(c.trim()))) {
    check.fail('competenceIds', 'every competence id must be 1 to 64 letters, digits, ".", "_" or "-"', null);
  } else {
    competenceIds = [...new Set((competences as string[]).map((c) => c.trim()))].sort();
  }
  const eventsLimit =
    check.raw('continueAsNewAfterEvents') === undefined
      ? undefined
      : check.integer('continueAsNewAfterEvents', LINK_HISTORY_EVENTS_RANGE);
  return check.result({
    guideIds,
    competenceIds,
    ...(eventsLimit === undefined ? {} : { continueAsNewAfterEvents: eventsLimit }),
  });
}

/** The link's own id, from its courses and competences: the same link always gets the same id. */
export function competenceLinkId(input: CompetenceLinkInput): string {
  const guides = [...new Set(input.guideIds)].sort((a, b) => a - b).join('+');
  const competences = [...new Set(input.competenceIds)].sort().join('+');
  return `${guides}_${competences}`;
}

/** One workflow per link (deterministic id): a second start of the same link is refused by Temporal. */
export function competenceLinkWorkflowId(input: CompetenceLinkInput): string {
  return `competence-link:${competenceLinkId(input)}`;
}

export type LinkVerdict = { ok: true; competences: LinkedCompetence[] } | { ok: false; problems: string[] };

/**
 * Whether the link may be made (CW-1, CW-6): every guide exists, is published and is a Course (14)
 * or Physical (18) guide; every competence exists and has a default validity in the competence tree.
 * `undefined` means InfoCaption or WinLas does not know the id.
 */
export function judgeLink(
  guides: ReadonlyArray<{ guideId: number; guide: GuideFacts | undefined }>,
  competences: ReadonlyArray<{ competenceId: string; competence: CompetenceFacts | undefined }>,
): LinkVerdict {
  const problems: string[] = [];
  for (const { guideId, guide } of guides) {
    if (!guide) problems.push(`guide ${guideId} does not exist in InfoCaption`);
    else if (!linkableTypes.includes(guide.type))
      problems.push(`guide ${guideId} is of type ${guide.type}, not a Course (14) or Physical (18) guide`);
    else if (!guide.published) problems.push(`guide ${guideId} is not published`);
  }
  const linked: LinkedCompetence[] = [];
  for (const { competenceId, competence } of competences) {
    if (!competence) problems.push(`competence ${competenceId} does not exist in WinLas`);
    else if (competence.defaultValidityDays === null || !(competence.defaultValidityDays > 0))
      problems.push(
        `competence ${competenceId} has no default validity in the competence tree: set it there before linking`,
      );
    else
      linked.push({
        competenceId,
        name: competence.name,
        defaultValidityDays: competence.defaultValidityDays,
      });
  }
  return problems.length ? { ok: false, problems } : { ok: true, competences: linked };
}

/** The refusal's message: one line naming every reason (ids of courses and competences, no person). */
export function refusalMessage(problems: readonly string[]): string {
  return `Link refused: ${problems.join('; ')}`;
}
