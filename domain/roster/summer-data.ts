/**
 * Summer data (IMSE-7): extra persons, classes, courses and memberships supplied beside the source
 * for summer activities, with a validity period. While valid they are merged into the source before
 * the diff, so the target keeps them (and the integration creates them when new). The source wins
 * when it names the same key. Pure.
 */
import { z } from 'zod';
import {
  groupSchema,
  isoDateSchema,
  membershipKey,
  membershipSchema,
  personSchema,
  type Roster,
} from './model';

export const summerDataSchema = z
  .object({
    integrationId: z.string().trim().min(1).max(60),
    /** First day the summer data is merged into the source. */
    validFrom: isoDateSchema,
    /** Last day it is merged; from the day after, it is gone from the source like anything else. */
    validUntil: isoDateSchema,
    persons: z.array(personSchema).default([]),
    /** Summer classes, teaching groups and courses. */
    groups: z.array(groupSchema).default([]),
    memberships: z.array(membershipSchema).default([]),
  })
  .strict()
  .refine((s) => s.validFrom <= s.validUntil, { message: 'validUntil must not be before validFrom' });
export type SummerData = z.infer<typeof summerDataSchema>;

export function summerDataActive(
  summer: Pick<SummerData, 'validFrom' | 'validUntil'>,
  asOf: string,
): boolean {
  return summer.validFrom <= asOf && asOf <= summer.validUntil;
}

/** A source step (see `policy.ts`). */
export function mergeSummerData(
  summer: Pick<SummerData, 'persons' | 'groups' | 'memberships'>,
): (source: Roster) => Roster {
  return (source: Roster): Roster => {
    const persons = new Set(source.persons.map((p) => p.sourcedId));
    const hierarchy = new Set([...source.units, ...source.groups].map((g) => g.sourcedId));
    const memberships = new Set(source.memberships.map(membershipKey));
    return {
      ...source,
      persons: [...source.persons, ...summer.persons.filter((p) => !persons.has(p.sourcedId))],
      groups: [...source.groups, ...summer.groups.filter((g) => !hierarchy.has(g.sourcedId))],
      memberships: [
        ...source.memberships,
        ...summer.memberships.filter((m) => !memberships.has(membershipKey(m))),
      ],
    };
  };
}
