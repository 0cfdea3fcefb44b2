/**
 * IMSE-12: the documents the roster sync sends, checked by a real XML Schema validator (libxml2's
 * xmllint, installed by scripts/setup.sh) against a subset of the IMS Enterprise 1.1 binding with
 * its maxLength facets (test/fixtures/imse/ims-enterprise-1.1-subset.xsd).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { conformRosterToImse, parseImseXml, toImseDocument } from '../../../adapters/itslearning';
import { batchPlan, emptyTargetState, planSync, type Roster } from '../../../domain/roster';
import { procapitaToRoster } from '../../../domain/roster-sync';
import { repoRoot } from '../../../platform/tools';
import { smallRoster, SOURCE } from '../../unit/roster/roster-fixture';

const XSD = path.join(repoRoot, 'test/fixtures/imse/ims-enterprise-1.1-subset.xsd');
const longName = 'Matematik 1c för naturvetenskapsprogrammet och teknikprogrammet, grupp A, läsåret 26/27';

/** xmllint's verdict on each document: '' when valid, else its messages. */
function validate(documents: string[]): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'imse-xsd-'));
  try {
    return documents.map((xml, i) => {
      const file = path.join(dir, `doc-${i}.xml`);
      writeFileSync(file, xml);
      const run = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
      if (run.error)
        throw new Error(`xmllint is needed (bash scripts/setup.sh installs it): ${run.error.message}`);
      return run.status === 0 ? '' : run.stderr.trim();
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A roster with values past the limits: an 87-character group name, long texts, a long term id. */
function oversizedRoster(): Roster {
  const r = smallRoster();
  const longTerm = 'term-2026-27-hostterminen-naturvetenskap';
  return {
    ...r,
    persons: r.persons.map((p) =>
      p.sourcedId === 'p-bo'
        ? {
            ...p,
            email: `${'b'.repeat(300)}@skola.test`,
            givenName: 'B'.repeat(200),
            familyName: 'Berg'.repeat(30),
          }
        : p,
    ),
    groups: [
      ...r.groups.map((g) =>
        g.sourcedId === 'tg-ma7' ? { ...g, name: longName, description: 'x'.repeat(300) } : g,
      ),
      {
        sourcedId: 'tg-ma1c',
        kind: 'teaching-group',
        name: longName,
        parentId: 'u-norra',
        start: '2026-08-17',
        end: '2027-06-11',
      },
      { sourcedId: longTerm, kind: 'term', name: 'HT 2026', start: '2026-08-17', end: '2027-01-15' },
      { sourcedId: 'k-ma1c', kind: 'course', name: 'Ma 1c', parentId: 'tg-ma1c', termId: longTerm },
    ],
  };
}

describe('IMS Enterprise 1.1 conformance (IMSE-12)', () => {
  it('[IMSE-12] xmllint is a real schema check: it refuses a 61-character short, a 33-character source and relation 4', () => {
    const plan = planSync(smallRoster(), emptyTargetState(), { syncKeySource: SOURCE });
    const [good] = batchPlan(plan, 1000)
      .filter((b) => b.phase === 'upsert:class')
      .map((b) => toImseDocument(b));
    expect(validate([good!])).toEqual(['']);
    const broken = [
      good!.replace('<short>7A</short>', `<short>${'a'.repeat(61)}</short>`),
      good!.replaceAll(`<source>${SOURCE}</source>`, `<source>${'s'.repeat(33)}</source>`),
      good!.replace('relation="1"', 'relation="4"'),
    ];
    const verdicts = validate(broken);
    expect(verdicts[0]).toMatch(/short.*(maxLength|length)/i);
    expect(verdicts[1]).toMatch(/source.*(maxLength|length)/i);
    expect(verdicts[2]).toMatch(/relation/);
  });

  it('[IMSE-12] every document of a roster with oversized values validates against the schema; each value is handled on its entity with a warning', () => {
    const conformed = conformRosterToImse(oversizedRoster());
    expect(conformed.warnings).toEqual([
      expect.stringMatching(/^person p-bo: name has \d+ characters, .* 256 in name\/fn; sent cut$/),
      expect.stringMatching(/^person p-bo: email has 311 characters, .* 256 in email; left out$/),
      expect.stringMatching(
        /^teaching-group tg-ma7: description has 300 characters, .* 256 in description\/long; sent cut$/,
      ),
      expect.stringMatching(
        /^teaching-group tg-ma7: name has 87 characters, .* 60 in description\/short; sent as ".{59}…"$/,
      ),
      expect.stringMatching(
        /^teaching-group tg-ma1c: name has 87 characters, .*; sent as ".*", the whole name in description\/long$/,
      ),
      expect.stringMatching(
        /^course k-ma1c: term term-2026-27-.* has 40 characters, .* 32 in timeframe\/adminperiod; sent without its term$/,
      ),
    ]);
    const plan = planSync(conformed.roster, emptyTargetState(), { syncKeySource: SOURCE });
    // Nothing else was left out: every entity of the source is created.
    expect(plan.operations.filter((o) => o.op === 'create')).toHaveLength(
      ['persons', 'units', 'groups', 'memberships'].reduce(
        (n, k) => n + conformed.roster[k as keyof Roster].length,
        0,
      ),
    );
    const documents = batchPlan(plan, 5).map((b) => toImseDocument(b));
    expect(validate(documents).filter((v) => v !== '')).toEqual([]);
    const all = documents.join('\n');
    expect(all).toContain(`<short>${longName.slice(0, 59)}…</short>`);
    expect(all).toContain(`<long>${longName}</long>`);
  });

  it('[IMSE-12] classes and teaching groups carry their ProCapita timeframe; a course its term as adminperiod, never relation 3', () => {
    const roster = procapitaToRoster({
      syncDate: '2026-08-20',
      schools: [{ id: 'S1', name: 'Norra skolan', schoolForm: 'GR' }],
      students: [],
      staff: [],
      classes: [
        {
          id: 'K1',
          name: '7A',
          schoolId: 'S1',
          startDate: '2026-08-17',
          endDate: '2027-06-11',
          studentsIncluded: true,
        },
      ],
      teachingGroups: [
        {
          id: 'A1',
          name: longName,
          schoolId: 'S1',
          startDate: '2026-08-17',
          endDate: null,
          classIds: ['K1'],
          groupIds: [],
          studentsIncluded: true,
        },
      ],
      memberships: [],
    });
    const withCourse: Roster = {
      ...roster,
      groups: [
        ...roster.groups,
        { sourcedId: 't-ht26', kind: 'term', name: 'HT 2026', start: '2026-08-17', end: '2027-01-15' },
        { sourcedId: 'k-7a', kind: 'course', name: '7A', parentId: 'class:K1', termId: 't-ht26' },
      ],
    };
    const plan = planSync(conformRosterToImse(withCourse).roster, emptyTargetState(), {
      syncKeySource: SOURCE,
    });
    const documents = batchPlan(plan, 1000).map((b) => toImseDocument(b));
    expect(validate(documents).filter((v) => v !== '')).toEqual([]);
    const all = documents.join('\n');
    expect(all).toMatch(
      /<id>class:K1<\/id>[\s\S]*?<timeframe>\s*<begin restrict="0">2026-08-17<\/begin>\s*<end restrict="0">2027-06-11<\/end>\s*<\/timeframe>/,
    );
    expect(all).toMatch(
      /<id>teaching-group:A1<\/id>[\s\S]*?<timeframe>\s*<begin restrict="0">2026-08-17<\/begin>\s*<\/timeframe>/,
    );
    expect(all).toMatch(
      /<id>k-7a<\/id>[\s\S]*?<timeframe>\s*<adminperiod>t-ht26<\/adminperiod>\s*<\/timeframe>/,
    );
    expect(all).not.toContain('relation="3"');
    // The parser reads the term back from adminperiod.
    const courseDoc = documents.find((d) => d.includes('<id>k-7a</id>'))!;
    const parsed = parseImseXml(courseDoc);
    expect(parsed.ok && parsed.document.groups[0]?.timeframe).toEqual({ adminPeriod: 't-ht26' });
    // The documents are byte-identical when built again (the batch is resent as it was).
    expect(batchPlan(plan, 1000).map((b) => toImseDocument(b))).toEqual(documents);
    expect(
      execFileSync('xmllint', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    ).toBeDefined();
  });
});
