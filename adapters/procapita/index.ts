/** ProCapita: the SQL Server reader, the fixture reader and the e-mail mapping file. */
export {
  createProcapitaReader,
  type ProcapitaPool,
  type ProcapitaReader,
  type ProcapitaReaderOptions,
} from './reader';
export { readFixture } from './fixture';
export { readEmailMapping } from './email-mapping-file';
export { classifyMssqlError, PROCAPITA } from './errors';
export { defaultSqlDir, loadProcapitaQueries, procapitaQueryFiles, type ProcapitaQuery } from './queries';
