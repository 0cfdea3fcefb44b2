/** Payload encryption for Temporal histories (PLAT-9). Node-only: never import from workflow code. */
export {
  CodecDecryptError,
  CodecKeyError,
  createEncryptionCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  type EncryptionCodecOptions,
} from './encryption-codec';
export { codecFromConfig, dataConverter } from './from-config';
