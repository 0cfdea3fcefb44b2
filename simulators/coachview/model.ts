/**
 * Coachview's records as the simulator holds them, and the zod schemas that admit seed data.
 * Ids are strings: Coachview shows numbers, but the e-learning systems compare them as text (CV-5).
 */
import { z } from 'zod';

const id = z.string().trim().min(1).max(100);
const isoDate = z.iso.date();

export const personSeedSchema = z.object({
  id,
  externalId: id.optional(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  email: z.email(),
});

/** An enrolment on a training that has an e-learning component; `registered` seeds an earlier result. */
export const enrolmentSeedSchema = z.object({
  componentId: id.optional(),
  personId: id,
  trainingId: id,
  elearningCourseId: id,
  trainingRequestComponentId: id.optional(),
  registered: z
    .object({
      result: z.string().min(1),
      passed: z.boolean().default(true),
      approvalDate: isoDate.optional(),
    })
    .optional(),
});

export const seedSchema = z.object({
  persons: z.array(personSeedSchema).default([]),
  enrolments: z.array(enrolmentSeedSchema).default([]),
});

export type PersonSeed = z.input<typeof personSeedSchema>;
export type EnrolmentSeed = z.input<typeof enrolmentSeedSchema>;
export type Seed = z.input<typeof seedSchema>;

export interface Person {
  id: string;
  externalId?: string;
  firstName: string;
  lastName: string;
  email: string;
}

/** The "opleidingsvraagonderdeel": the training-request line the e-learning component belongs to. */
export interface TrainingRequestComponent {
  id: string;
  completed: boolean;
  approved: boolean;
  approvalDate?: string;
}

export interface ElearningComponent {
  componentId: string;
  personId: string;
  trainingId: string;
  elearningCourseId: string;
  result?: string;
  presence: boolean;
  passed: boolean;
  /** Presence and pass cannot be changed once a result came from the e-learning system. */
  locked: boolean;
  trainingRequestComponent: TrainingRequestComponent;
}

export interface CoachviewSnapshot {
  persons: Person[];
  enrolments: ElearningComponent[];
}

/** The result push as Coachview documents it (see docs/coachview.md). */
export const resultPushSchema = z.object({
  personId: id,
  courseId: id,
  grade: z.string().trim().min(1).max(20),
  passed: z.boolean(),
  completionDate: isoDate,
});

export type ResultPush = z.output<typeof resultPushSchema>;

/** Why a push was answered as it was; Coachview itself only says 404 for the last three. */
export type PushOutcome =
  | 'processed'
  | 'person-not-recognized'
  | 'course-not-recognized'
  | 'already-completed'
  | 'bad-signature'
  | 'malformed'
  | 'fault';

export interface PushLogEntry {
  receivedAt: string;
  status: number;
  outcome: PushOutcome;
  /** The parsed body when it was JSON, else the raw text. */
  body: unknown;
  componentId?: string;
}
