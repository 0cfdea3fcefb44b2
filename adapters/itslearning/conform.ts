/**
 * Fits a roster into the field limits of IMS Enterprise 1.1 before it is planned (IMSE-12). Each
 * value that does not fit is handled on its own entity, with a warning, so one long name never
 * stops a run; and because the source is fitted before the diff, the next run compares the fitted
 * value with what the target holds and plans no update for it again.
 *
 * - A name longer than `description/short` (60) is cut to 60 with an ellipsis; the whole name goes
 *   to `description/long` when the group has no description of its own.
 * - A description longer than `description/long` (256), or a person's names longer than `fn` (256),
 *   are cut the same way.
 * - A user name, e-mail or national id too long for `userid` / `email` (256) is left out: a cut
 *   login or address would be a wrong one.
 * - A term id too long for `adminperiod` (32) is left out: the course is sent without its term.
 * - An entity whose sync key is longer than `sourcedid/id` (256) cannot be addressed at all: it is
 *   left out with its memberships. The canonical model already refuses such keys, so this is a net.
 *
 * The sync key source (`sourcedid/source`, 32) is one value per integration and is checked when the
 * worker's configuration is read.
 */
import type { Group, Membership, Person, Roster, Unit } from '../../domain/roster';
import { charLength, imseLimits } from './imse-document';

const ELLIPSIS = '…';

/** UTF-16 length is never below the code-point count, so most values are settled without counting. */
const tooLong = (value: string, max: number): boolean => value.length > max && charLength(value) > max;

/** Cuts to `max` code points, the last one an ellipsis. */
export function cutTo(value: string, max: number): string {
  const chars = Array.from(value);
  return chars.length <= max ? value : chars.slice(0, max - 1).join('') + ELLIPSIS;
}

export interface ConformedRoster {
  roster: Roster;
  /** One line per value that did not fit, naming the entity, the field and what was done. */
  warnings: string[];
}

export function conformRosterToImse(roster: Roster): ConformedRoster {
  const warnings: string[] = [];
  const dropped = new Set<string>();
  const tooLongKey = (kind: string, key: string): boolean => {
    if (!tooLong(key, imseLimits.id)) return false;
    dropped.add(key);
    warnings.push(
      `${kind} ${cutTo(key, 40)}: sync key has ${charLength(key)} characters, IMS Enterprise 1.1 allows ${imseLimits.id} in sourcedid/id; left out with its memberships`,
    );
    return true;
  };

  const persons: Person[] = [];
  for (const person of roster.persons) {
    if (tooLongKey('person', person.sourcedId)) continue;
    let p = person;
    const full = `${p.givenName} ${p.familyName}`;
    if (tooLong(full, imseLimits.fn)) {
      const givenName = cutTo(p.givenName, Math.floor(imseLimits.fn / 2));
      const familyName = cutTo(p.familyName, imseLimits.fn - 1 - charLength(givenName));
      p = { ...p, givenName, familyName };
      warnings.push(
        `person ${p.sourcedId}: name has ${charLength(full)} characters, IMS Enterprise 1.1 allows ${imseLimits.fn} in name/fn; sent cut`,
      );
    }
    for (const [field, element, max] of [
      ['userName', 'userid', imseLimits.userid],
      ['email', 'email', imseLimits.email],
      ['nationalId', 'userid', imseLimits.userid],
    ] as const) {
      const value = p[field];
      if (value !== undefined && tooLong(value, max)) {
        const { [field]: _, ...rest } = p;
        p = rest;
        warnings.push(
          `person ${p.sourcedId}: ${field} has ${charLength(value)} characters, IMS Enterprise 1.1 allows ${max} in ${element}; left out`,
        );
      }
    }
    persons.push(p);
  }

  const fitName = <T extends Unit | Group>(kind: string, entity: T): T => {
    let e = entity;
    if (tooLong(e.name, imseLimits.short)) {
      const name = cutTo(e.name, imseLimits.short);
      const keepWhole = !('description' in e && e.description !== undefined);
      e =
        keepWhole && 'kind' in e
          ? { ...e, name, description: cutTo(e.name, imseLimits.long) }
          : { ...e, name };
      warnings.push(
        `${kind} ${e.sourcedId}: name has ${charLength(entity.name)} characters, IMS Enterprise 1.1 allows ${imseLimits.short} in description/short; sent as "${name}"${keepWhole && 'kind' in e ? ', the whole name in description/long' : ''}`,
      );
    }
    return e;
  };

  const units: Unit[] = [];
  for (const unit of roster.units) {
    if (tooLongKey('unit', unit.sourcedId)) continue;
    units.push(fitName('unit', unit));
  }

  const groups: Group[] = [];
  for (const group of roster.groups) {
    if (tooLongKey(group.kind, group.sourcedId)) continue;
    let g = group;
    if (g.description !== undefined && tooLong(g.description, imseLimits.long)) {
      warnings.push(
        `${g.kind} ${g.sourcedId}: description has ${charLength(g.description)} characters, IMS Enterprise 1.1 allows ${imseLimits.long} in description/long; sent cut`,
      );
      g = { ...g, description: cutTo(g.description, imseLimits.long) };
    }
    g = fitName(g.kind, g);
    if (g.termId !== undefined && tooLong(g.termId, imseLimits.adminperiod)) {
      warnings.push(
        `${g.kind} ${g.sourcedId}: term ${g.termId} has ${charLength(g.termId)} characters, IMS Enterprise 1.1 allows ${imseLimits.adminperiod} in timeframe/adminperiod; sent without its term`,
      );
      const { termId: _, ...rest } = g;
      g = rest;
    }
    groups.push(g);
  }

  const memberships: Membership[] =
    dropped.size === 0
      ? roster.memberships
      : roster.memberships.filter((m) => !dropped.has(m.groupId) && !dropped.has(m.personId));
  return { roster: { persons, units, groups, memberships }, warnings };
}
