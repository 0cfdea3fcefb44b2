/** Local SMTP sink whose received mail tests and operators can read over HTTP (PLAT-10). */
export { startSmtpSink, type SmtpSink, type SmtpSinkOptions } from './server';
export { sinkMessage, sinkMessageList, type SinkMessage } from './message';
