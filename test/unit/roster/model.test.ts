import { groupSchema, personSchema, rosterIssues, rosterSchema } from '../../../domain/roster';
import { smallRoster } from './roster-fixture';

describe('roster model', () => {
  it('accepts the fixture and keeps it as it is', () => {
    expect(rosterSchema.parse(smallRoster())).toEqual(smallRoster());
    expect(rosterIssues(smallRoster())).toEqual([]);
  });

  it('needs dates on a term, in order, and terms only on courses', () => {
    expect(groupSchema.safeParse({ sourcedId: 't', kind: 'term', name: 'HT' }).success).toBe(false);
    expect(
      groupSchema.safeParse({
        sourcedId: 't',
        kind: 'term',
        name: 'HT',
        start: '2025-01-01',
        end: '2024-01-01',
      }).success,
    ).toBe(false);
    expect(groupSchema.safeParse({ sourcedId: 'c', kind: 'class', name: '7A', termId: 't' }).success).toBe(
      false,
    );
  });

  it('needs a role and a valid e-mail on a person', () => {
    expect(
      personSchema.safeParse({ sourcedId: 'p', givenName: 'A', familyName: 'B', roles: [] }).success,
    ).toBe(false);
    expect(
      personSchema.safeParse({
        sourcedId: 'p',
        givenName: 'A',
        familyName: 'B',
        roles: ['student'],
        email: 'nope',
      }).success,
    ).toBe(false);
  });

  it('names broken references, duplicates and cycles', () => {
    const roster = smallRoster();
    roster.units.push(
      { sourcedId: 'u-x', name: 'X', parentId: 'u-y' },
      { sourcedId: 'u-y', name: 'Y', parentId: 'u-x' },
    );
    roster.groups.push(
      { sourcedId: 'c-7a', kind: 'class', name: 'again' },
      { sourcedId: 'k-2', kind: 'course', name: 'K', termId: 'c-7a' },
    );
    roster.memberships.push(
      { groupId: 'c-9z', personId: 'p-anna', role: 'Learner' },
      { groupId: 'c-7a', personId: 'p-anna', role: 'Learner' },
    );
    const problems = rosterIssues(roster).map((i) => `${i.key}: ${i.problem}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'u-x: the unit is its own ancestor',
        'c-7a: duplicate sync key',
        'k-2: term c-7a is not in the roster',
        'c-9z\u001fp-anna: group c-9z is not in the roster',
        'c-7a\u001fp-anna: duplicate membership',
      ]),
    );
  });
});
