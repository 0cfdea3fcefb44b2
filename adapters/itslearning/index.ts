export {
  createItslearningClient,
  ITSLEARNING_SYSTEM,
  type ItslearningClient,
  type ItslearningClientOptions,
} from './client';
export { toImseDocument, toImseModel } from './to-imse';
export { buildImseXml, parseImseXml, relationCodes, type ImseParseResult } from './imse-xml';
export { conformRosterToImse, cutTo, type ConformedRoster } from './conform';
export {
  GROUP_TYPE_SCHEME,
  imseDocumentSchema,
  imseLimits,
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
