export {
  createItslearningClient,
  ITSLEARNING_SYSTEM,
  type ItslearningClient,
  type ItslearningClientOptions,
} from './client';
export { toImseDocument, toImseModel } from './to-imse';
export { buildImseXml, parseImseXml, type ImseParseResult } from './imse-xml';
export {
  GROUP_TYPE_SCHEME,
  imseDocumentSchema,
  recstatusCodes,
  roletypeCodes,
  type ImseDocument,
  type ImseGroup,
  type ImseMember,
  type ImsePerson,
  type ImseSourcedId,
  type Recstatus,
} from './imse-document';
export { importReportSchema, type ImportReport } from './schemas';
