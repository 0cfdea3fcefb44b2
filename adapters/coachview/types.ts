/** What the Coachview client takes and gives, as zod schemas so activities can validate them too. */
import { z } from 'zod';

const id = z.string().trim().min(1).max(100);
const ownResultSchema = z.object({ result: z.string().min(1), approvalDates: z.array(z.iso.date()).min(1) });

export const registrationLookupInputSchema = z.object({
  /** The person id in the e-learning system: Coachview's person id or external id (CV-5). */
  learnerId: id,
  /** The e-learning course id filled in on Coachview's e-learning component (CV-5). */
  courseId: id,
  /**
   * The result this grade return pushes, as Coachview stores it: the grade and the approval dates it
   * may carry. A component that already holds it is this grade return's own earlier registration and
   * is reported before any open one, so a retry after a lost answer does not push again (CV-7).
   */
  ownResult: ownResultSchema.optional(),
  /**
   * Results this grade return pushed before a newer completion replaced them (CV-7): a component holding
   * one of them is its own earlier registration too (a push processed whose answer never arrived).
   */
  earlierOwnResults: z.array(ownResultSchema).max(20).optional(),
});

export const registrationLookupSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person-not-found') }),
  /** The learner id is one person's id and another's external id, or several persons' (CV-5). */
  z.object({ kind: z.literal('person-ambiguous'), matches: z.number().int().min(2) }),
  z.object({ kind: z.literal('component-not-found'), personId: z.string() }),
  z.object({ kind: z.literal('open'), personId: z.string(), componentId: z.string() }),
  z.object({
    kind: z.literal('registered'),
    personId: z.string(),
    componentId: z.string(),
    result: z.string(),
    approvalDate: z.iso.date().optional(),
  }),
]);

export const pushResultInputSchema = z.object({
  /** Coachview's person id (or external id; Coachview matches either). */
  personId: id,
  courseId: id,
  grade: z.string().trim().min(1).max(20),
  /** The date the course was completed in the e-learning system; becomes the approval date. */
  completionDate: z.iso.date(),
  passed: z.boolean(),
});

export const pushOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('processed') }),
  /** Coachview answered 404: learner or course not recognized, or the component already has a result. */
  z.object({ kind: z.literal('not-processed') }),
]);

export type RegistrationLookupInput = z.input<typeof registrationLookupInputSchema>;
export type RegistrationLookup = z.output<typeof registrationLookupSchema>;
export type PushResultInput = z.input<typeof pushResultInputSchema>;
export type PushOutcome = z.output<typeof pushOutcomeSchema>;
