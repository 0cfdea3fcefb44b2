/** The remote codec server for the Temporal Web UI and CLI (PLAT-9). */
export { startCodecServer, type CodecServer, type CodecServerOptions } from './server';
export {
  fromJsonPayload,
  payloadsBody,
  toJsonPayload,
  type JsonPayload,
  type PayloadsBody,
} from './payload-json';
