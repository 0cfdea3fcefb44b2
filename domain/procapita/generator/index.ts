/** Synthetic ProCapita data: the generator and its seeded PRNG. */
export {
  generateProcapitaRows,
  generatorOptionsSchema,
  type GeneratedProcapita,
  type GeneratorOptions,
} from './generate';
export { createRandom, type Random } from './prng';
