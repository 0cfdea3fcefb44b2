/** The embedded stack's competence demo data, read through the adapters as the lifecycle will read it. */
import { createInfoCaptionClient, guideTypes } from '../../../adapters/infocaption';
import { createWinLasClient } from '../../../adapters/winlas';
import { startInfoCaptionSimulator, type InfoCaptionSimulator } from '../../../simulators/infocaption';
import { startWinLasSimulator, type WinLasSimulator } from '../../../simulators/winlas';
import { competenceDemo, seedCompetenceDemo } from '../../../stack/competence-demo-data';

let infocaption: InfoCaptionSimulator;
let winlas: WinLasSimulator;

beforeAll(async () => {
  infocaption = await startInfoCaptionSimulator();
  winlas = await startWinLasSimulator();
  seedCompetenceDemo({ infocaption, winlas });
});
afterAll(async () => {
  await infocaption.close();
  await winlas.close();
});

it('[CW-1][CW-3][CW-6] the demo has a published course with passing and failing participants, one without a WinLas person, competences with and without default validity', async () => {
  const ic = createInfoCaptionClient({
    baseUrl: infocaption.url,
    clientId: 'integrations',
    clientSecret: 'local-infocaption-secret',
  });
  const wl = createWinLasClient({ baseUrl: winlas.url, apiKey: 'local-winlas-key' });
  const { guides, competences } = competenceDemo;

  const courses = await ic.listGuides({ page: 1, types: [guideTypes.course, guideTypes.physicalCourse] });
  expect(courses.results.map((g) => [g.id, g.published])).toEqual([
    [guides.fireSafety, true],
    [guides.cpr, true],
    [guides.fireSafetyDraft, false],
  ]);
  expect(await ic.getGuide(guides.intranetHowTo)).toMatchObject({ type: 3 });

  const results = await ic.listCourseResults({ guideId: guides.fireSafety, page: 1 });
  expect(results.results.filter((r) => r.passed)).toHaveLength(5);
  expect(results.results.filter((r) => !r.passed)).toHaveLength(1);
  const matched = await Promise.all(results.results.map((r) => wl.findPersonByEmail(r.email)));
  const unmatched = results.results.filter((_r, i) => matched[i] === undefined).map((r) => r.email);
  expect(unmatched).toEqual([competenceDemo.unmatchedEmail]);

  expect(await wl.getCompetence(competences.fireSafety)).toMatchObject({ defaultValidityDays: 365 });
  expect(await wl.getCompetence(competences.introduction)).toMatchObject({ defaultValidityDays: null });
  expect(await wl.listRegistrations({ personId: 'WP-5', competenceId: competences.fireSafety })).toEqual([
    expect.objectContaining({ source: 'manual' }),
  ]);
});
