export * from './completion-fields';
export * from './completion';
export * from './input';
export * from './input-check';
export * from './attempts';
export * from './describe';
export * from './timeouts';
export * from './replacement';
