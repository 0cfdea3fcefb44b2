import { buildImseXml, parseImseXml, toImseDocument, toImseModel } from '../../../adapters/itslearning';
import { batchPlan, emptyTargetState, planSync, syncPlanSchema } from '../../../domain/roster';
import { smallRoster, SOURCE, syncedTarget } from './roster-fixture';

const fullPlan = () => planSync(smallRoster(), emptyTargetState(), { syncKeySource: SOURCE });

describe('IMS Enterprise XML', () => {
  it('[IMSE-1] builds, validates and parses back every batch of a plan without loss', () => {
    for (const batch of batchPlan(fullPlan(), 4, { createdAt: '2024-06-20T18:00:00.000Z' })) {
      const xml = toImseDocument(batch);
      expect(toImseDocument(batch)).toBe(xml);
      const parsed = parseImseXml(xml);
      if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
      expect(parsed.document).toEqual(JSON.parse(JSON.stringify(toImseModel(batch))));
      expect(parsed.document.properties.datetime).toBe('2024-06-20T18:00:00.000Z');
    }
  });

  it('[IMSE-1] writes the v1.1 elements itslearning reads: sourcedid, recstatus, name, grouptype, relationship, timeframe, role', () => {
    const [persons, , term, , , course, memberships] = batchPlan(fullPlan(), 100);
    const personXml = toImseDocument(persons!);
    expect(personXml).toContain('<enterprise>');
    expect(personXml).toMatch(
      /<person recstatus="1">\s*<sourcedid>\s*<source>procapita-test<\/source>\s*<id>p-anna<\/id>/,
    );
    expect(personXml).toMatch(
      /<name>\s*<fn>Anna Andersson<\/fn>\s*<n>\s*<family>Andersson<\/family>\s*<given>Anna<\/given>/,
    );
    expect(personXml).toContain('<userid useridtype="NationalIdentityNumber">201001012384</userid>');
    expect(personXml).toContain('<institutionrole primaryrole="Yes" institutionroletype="Faculty"/>');
    expect(toImseDocument(term!)).toMatch(
      /<timeframe>\s*<begin restrict="0">2024-08-19<\/begin>\s*<end restrict="0">2025-01-17<\/end>/,
    );
    expect(toImseDocument(course!)).toMatch(
      /<relationship relation="1">\s*<sourcedid>\s*<source>procapita-test<\/source>\s*<id>c-7a<\/id>\s*<\/sourcedid>\s*<label>Parent<\/label>/,
    );
    const membershipXml = toImseDocument(memberships!);
    expect(membershipXml).toMatch(
      /<member>\s*<sourcedid>[\s\S]*?<idtype>1<\/idtype>\s*<role roletype="02" recstatus="1">\s*<status>1<\/status>/,
    );
    // One <membership> per group: c-7a, c-7b, k-ma7a, tg-ma7, u-norra.
    expect(membershipXml.match(/<membership>/g)).toHaveLength(5);
  });

  it('[IMSE-1] marks updates with recstatus 2 and deletes with recstatus 3', () => {
    const roster = smallRoster();
    const source = {
      ...roster,
      persons: roster.persons
        .filter((p) => p.sourcedId !== 'p-cia')
        .map((p) => ({ ...p, familyName: `${p.familyName}-X` })),
    };
    const plan = planSync(
      { ...source, memberships: roster.memberships.filter((m) => m.personId !== 'p-cia') },
      syncedTarget(roster),
      { syncKeySource: SOURCE },
    );
    const xml = batchPlan(plan, 100)
      .map((b) => toImseDocument(b))
      .join('\n');
    expect(xml.match(/<person recstatus="2">/g)).toHaveLength(3);
    expect(xml.match(/<person recstatus="3">/g)).toHaveLength(1);
    expect(xml).toMatch(/<role roletype="01" recstatus="3">/);
  });

  it('keeps ids that look like numbers as text', () => {
    const doc = {
      properties: { datasource: 'x', datetime: '2024-01-01T00:00:00Z' },
      persons: [
        {
          recstatus: 1 as const,
          sourcedId: { source: 'x', id: '007' },
          name: { full: 'James Bond' },
          institutionRoles: [],
        },
      ],
      groups: [],
      memberships: [],
    };
    const parsed = parseImseXml(buildImseXml(doc));
    expect(parsed.ok && parsed.document.persons[0]?.sourcedId.id).toBe('007');
  });

  it.each([
    ['not XML at all', 'hello', /not well-formed/],
    ['a broken tag', '<enterprise><properties></enterprise>', /not well-formed/],
    [
      'no properties',
      '<enterprise><person><sourcedid><source>s</source><id>1</id></sourcedid><name><fn>A</fn></name></person></enterprise>',
      /enterprise\.properties/,
    ],
    [
      'a person without a name',
      '<enterprise><properties><datasource>s</datasource><datetime>now</datetime></properties><person recstatus="1"><sourcedid><source>s</source><id>1</id></sourcedid></person></enterprise>',
      /enterprise\.person\.0\.name/,
    ],
    [
      'a group without sourcedid',
      '<enterprise><properties><datasource>s</datasource><datetime>now</datetime></properties><group><grouptype><scheme>S</scheme><typevalue>Class</typevalue></grouptype><description><short>7A</short></description></group></enterprise>',
      /enterprise\.group\.0\.sourcedid/,
    ],
    [
      'an unknown group type',
      '<enterprise><properties><datasource>s</datasource><datetime>now</datetime></properties><group><sourcedid><source>s</source><id>g</id></sourcedid><grouptype><scheme>S</scheme><typevalue>Club</typevalue></grouptype><description><short>7A</short></description></group></enterprise>',
      /document\.groups\.0\.type\.value/,
    ],
    [
      'a member that is a group',
      '<enterprise><properties><datasource>s</datasource><datetime>now</datetime></properties><membership><sourcedid><source>s</source><id>g</id></sourcedid><member><sourcedid><source>s</source><id>p</id></sourcedid><idtype>2</idtype><role roletype="01"><status>1</status></role></member></membership></enterprise>',
      /idtype 1/,
    ],
    [
      'a bad recstatus',
      '<enterprise><properties><datasource>s</datasource><datetime>now</datetime></properties><person recstatus="4"><sourcedid><source>s</source><id>1</id></sourcedid><name><fn>A</fn></name></person></enterprise>',
      /recstatus/,
    ],
  ])('rejects %s', (_what, xml, problem) => {
    const result = parseImseXml(xml);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toMatch(problem);
  });

  it('refuses to build a document that breaks its schema', () => {
    const doc = { properties: { datasource: '', datetime: 'now' }, persons: [], groups: [], memberships: [] };
    expect(() => buildImseXml(doc)).toThrow();
  });

  it('a stored plan passes its schema', () => {
    expect(syncPlanSchema.parse(JSON.parse(JSON.stringify(fullPlan())))).toEqual(fullPlan());
  });
});
