import {
  buildExport,
  EmailMappingError,
  parseEmailMappingCsv,
  resolveEmail,
  type EmailMapping,
} from '../../../domain/procapita';
import { config, rows, staffMember, student, SYNC } from './builders';

const GUID = 'B7D3C1E2-1111-4000-8000-00000000ABCD';

describe('[PC-8] e-mail mapping', () => {
  it('[PC-8] parses ProCapita ids and personnummer, comma or semicolon separated, with a BOM', () => {
    const mapping = parseEmailMappingCsv(
      `\uFEFFid;email\n${GUID};astrid@ad.kommun.example\n201203141237;other@ad.kommun.example\n`,
    );
    expect(mapping.byProcapitaId.get(GUID.toLowerCase())).toBe('astrid@ad.kommun.example');
    expect(mapping.byNationalId.get('20120314-1237')).toBe('other@ad.kommun.example');
  });

  it("[PC-8] ProCapita's own e-mail wins; the mapping fills a missing one by id, then by personnummer", () => {
    const mapping = parseEmailMappingCsv(
      `id,email\n${GUID},by-id@ad.example\n20120314-1237,by-pnr@ad.example\n`,
    );
    const p = { id: GUID.toLowerCase(), nationalId: '20120314-1237' };
    expect(resolveEmail({ ...p, email: 'own@kommun.example' }, mapping)).toEqual({
      email: 'own@kommun.example',
      source: 'procapita',
    });
    expect(resolveEmail({ ...p, email: null }, mapping)).toEqual({
      email: 'by-id@ad.example',
      source: 'mapping',
    });
    expect(resolveEmail({ id: 'other', nationalId: '201203141237', email: null }, mapping)).toEqual({
      email: 'by-pnr@ad.example',
      source: 'mapping',
    });
    expect(resolveEmail({ id: 'other', nationalId: null, email: 'not an address' }, mapping)).toBeNull();
  });

  it('[PC-8] a bad file names every bad line, without the personal data in it', () => {
    const csv = 'id,email\n20120314-1237,not-an-email\n,x@y.example\nabc,a@ad.example\nabc,b@ad.example\n';
    expect(() => parseEmailMappingCsv(csv)).toThrow(EmailMappingError);
    try {
      parseEmailMappingCsv(csv);
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(/line 2/);
      expect(message).toMatch(/line 3/);
      expect(message).toMatch(/line 5/);
      expect(message).not.toContain('20120314');
      expect(message).not.toContain('not-an-email');
    }
    expect(() => parseEmailMappingCsv('guid,mail\nabc,a@b.example\n')).toThrow(/header/);
  });

  describe('in the export', () => {
    const r = rows({
      students: [student({ email: null })],
      staff: [staffMember({ email: null })],
    });
    const mapping: EmailMapping = parseEmailMappingCsv('id,email\nstu-1,astrid@ad.kommun.example\n');

    it('[PC-8] fills a missing e-mail from the mapping and counts it', () => {
      const result = buildExport(r, config(), SYNC, mapping);
      expect(result.export.students[0]?.email).toBe('astrid@ad.kommun.example');
      expect(result.summary.email.fromMapping).toBe(1);
    });

    it('[PC-8] a person still without e-mail is exported without it and reported in the summary', () => {
      const result = buildExport(r, config(), SYNC, mapping);
      expect(result.export.staff).toEqual([expect.objectContaining({ id: 'staff-1', email: null })]);
      expect(result.summary.email.withoutEmail).toEqual({ students: [], staff: ['staff-1'] });
      expect(result.export.classes).toHaveLength(1);
    });

    it('[PC-8] with the hold-back policy they are not exported, but counted and reported', () => {
      const result = buildExport(r, config({ personsWithoutEmail: 'hold-back' }), SYNC, mapping);
      expect(result.export.staff).toEqual([]);
      expect(result.summary.excluded.staff.missingEmail).toBe(1);
      expect(result.summary.email.withoutEmail.staff).toEqual(['staff-1']);
      // Without its only teacher, the class is not exported either (PC-5).
      expect(result.export.classes).toEqual([]);
    });

    it('[PC-8] an excluded person is never reported as lacking e-mail', () => {
      const hidden = rows({
        students: [student({ email: null, protectedIdentity: true, studentId: 'secret-id' })],
        classPlacements: [
          { studentId: 'secret-id', classId: 'class-7a', startDate: '2026-08-18', endDate: null },
        ],
      });
      const result = buildExport(hidden, config(), SYNC);
      expect(result.summary.excluded.students.protectedIdentity).toBe(1);
      expect(JSON.stringify(result)).not.toContain('secret-id');
    });
  });
});
